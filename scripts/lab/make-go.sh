#!/usr/bin/env bash
# Scenario 7: Go's own resolver (net.Resolver, CGO_ENABLED=0: how most Go binaries in container
# images resolve), the client most Kubernetes controllers and services are. Needs the Go
# toolchain (Debian: golang-go) to build scripts/lab/golookup. Usage: make-go.sh [PART...];
# parts: search servfail servfail-two silent-name dead-first dead-only foreign-source refused
# refused-first (default: all).
#   go-search.pcap        my-blog (ExternalName), then blog.mosuke.tech (the whole walk)
#   go-servfail.pcap      kubernetes.default with svc.cluster.local broken (SERVFAIL)
#   go-servfail-two.pcap  the same with two nameservers (one BIND on two addresses)
#   go-silent-name.pcap   blog.mosuke.tech with blog.mosuke.tech.svc.cluster.local dropped
#   go-dead-first.pcap    my-blog with a dead nameserver listed first
#   go-dead-only.pcap     my-blog with a dead nameserver the only one
#   go-foreign-source.pcap  my-blog with every answer from 127.0.0.11, asked at 127.0.0.10
#   go-refused.pcap       my-blog with BIND refusing the client (allow-query)
#   go-refused-first.pcap my-blog, then blog.mosuke.tech, the first of two nameservers refusing
. "$(dirname "$0")/lib.sh"

part_search() {
  pod_fresh
  named_start
  capture_start go-search.pcap
  call go my-blog
  sleep 1
  call go blog.mosuke.tech
  finish go-search
}

# svc.cluster.local fails to load: Go asks each type again at once with a new id from a new
# socket, then goes on down the list.
part_servfail() {
  pod_fresh
  zone_break svc.cluster.local
  named_start
  capture_start go-servfail.pcap
  call go kubernetes.default
  finish go-servfail
}

# Two nameservers, both SERVFAIL for svc.cluster.local: Go tries each twice in turn.
part_servfail_two() {
  pod_fresh
  add_addr 127.0.0.12/8
  zone_break svc.cluster.local
  named_start "$SERVER; 127.0.0.12"
  resolv_conf "nameserver $SERVER" "nameserver 127.0.0.12" "${POD_RESOLV[@]}"
  capture_start go-servfail-two.pcap
  call go kubernetes.default
  finish go-servfail-two
}

# A response-policy rule drops blog.mosuke.tech.svc.cluster.local: BIND never answers it.
part_silent_name() {
  pod_fresh
  named_start_dropping blog.mosuke.tech.svc.cluster.local
  capture_start go-silent-name.pcap
  call go blog.mosuke.tech
  finish go-silent-name
}

part_dead_first() {
  pod_fresh
  named_start
  resolv_conf "nameserver 127.0.0.9" "nameserver $SERVER" "${POD_RESOLV[@]}"
  capture_start go-dead-first.pcap -i lo 'port 53 or icmp or icmp6'
  call go my-blog
  finish go-dead-first
}

part_dead_only() {
  pod_fresh
  resolv_conf "nameserver 127.0.0.9" "${POD_RESOLV[@]}"
  capture_start go-dead-only.pcap -i lo 'port 53 or icmp or icmp6'
  call go my-blog
  finish go-dead-only
}

# Every answer comes from 127.0.0.11, asked at 127.0.0.10 (a DNAT not undone on the way back). Go's
# sockets are connected: the client's kernel refuses each answer with ICMP port unreachable (in
# the capture: its filter takes ICMP), and Go asks again with a new id 5 s later, each step twice,
# then walks on: "server misbehaving" after 50 s.
part_foreign_source() {
  pod_fresh
  named_start "$SERVER; 127.0.0.11"
  answers_from_elsewhere
  capture_start go-foreign-source.pcap -i lo 'port 53 or icmp or icmp6'
  call go my-blog
  finish go-foreign-source
}

# BIND refuses every query from the client's address (allow-query): Go asks each query again at
# once with a new id from a new socket, as after SERVFAIL, then goes on down the whole search list
# and the name as written: "server misbehaving" in 5 ms (glibc stops the list at the first REFUSED).
part_refused() {
  pod_fresh
  named_start "$SERVER" none 'allow-query { !127.0.0.1; any; };'
  capture_start go-refused.pcap
  call go my-blog
  finish go-refused
}

# Two nameservers, the first refusing (BIND takes queries on 127.0.0.12 only: allow-query-on): Go
# asks the second at once with a new id from a new socket, and takes its answer.
part_refused_first() {
  pod_fresh
  add_addr 127.0.0.12/8
  named_start "127.0.0.12; $SERVER" none 'allow-query-on { 127.0.0.12; };'
  resolv_conf "nameserver $SERVER" "nameserver 127.0.0.12" "${POD_RESOLV[@]}"
  capture_start go-refused-first.pcap
  call go my-blog
  sleep 1
  call go blog.mosuke.tech
  finish go-refused-first
}

command -v go >/dev/null || die "the Go toolchain is needed (apt-get install golang-go)"
lab_init go
GOLOOKUP="$WORK/golookup"
( cd "$LAB_DIR/golookup" && CGO_ENABLED=0 GOFLAGS=-mod=mod GOCACHE="$WORK/gocache" go build -o "$GOLOOKUP" . ) || die "go build failed"
export GOLOOKUP
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(search servfail servfail-two silent-name dead-first dead-only foreign-source refused refused-first)
for p in "${parts[@]}"; do "part_${p//-/_}"; done
