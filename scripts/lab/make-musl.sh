#!/usr/bin/env bash
# Scenario 8: musl's resolver (Alpine images), with a small client linked statically against
# musl (scripts/lab/musllookup; Debian: musl-tools). Usage: make-musl.sh [PART...]; parts:
# search nodata-midwalk servfail servfail-timeout1 servfail-slow refused foreign-source silent-name
# dead-first two-servers refused-first servfail-first (default: all).
#   musl-search.pcap          my-blog (ExternalName), then blog.mosuke.tech (the whole walk)
#   musl-nodata-midwalk.pcap  blog.mosuke.tech with a TXT-only name under svc.cluster.local
#   musl-servfail.pcap        kubernetes.default with svc.cluster.local broken (SERVFAIL)
#   musl-servfail-timeout1.pcap  the same with options timeout:1 attempts:4 (a round every 250 ms)
#   musl-servfail-slow.pcap   kubernetes.default with svc.cluster.local's upstream refusing 0.9 s late
#   musl-refused.pcap         my-blog with BIND refusing the client (allow-query)
#   musl-foreign-source.pcap  my-blog with every answer from 127.0.0.11, asked at 127.0.0.10
#   musl-silent-name.pcap     blog.mosuke.tech with blog.mosuke.tech.svc.cluster.local dropped, then my-blog
#   musl-dead-first.pcap      my-blog with a dead nameserver listed first
#   musl-two-servers.pcap     my-blog, then blog.mosuke.tech, with two live nameservers
#   musl-refused-first.pcap   the same, the first nameserver refusing the client (allow-query-on)
#   musl-servfail-first.pcap  kubernetes.default, svc.cluster.local failed at the first nameserver only
. "$(dirname "$0")/lib.sh"

part_search() {
  pod_fresh
  named_start
  capture_start musl-search.pcap
  call musl my-blog
  sleep 1
  call musl blog.mosuke.tech
  finish musl-search
}

# NODATA for A and AAAA on svc.cluster.local: musl stops the walk there (glibc goes on).
part_nodata_midwalk() {
  pod_fresh
  zone_add svc.cluster.local 'blog.mosuke.tech IN TXT "not an address"'
  named_start
  capture_start musl-nodata-midwalk.pcap
  call musl blog.mosuke.tech
  finish musl-nodata-midwalk
}

part_servfail() {
  pod_fresh
  zone_break svc.cluster.local
  named_start
  capture_start musl-servfail.pcap
  call musl kubernetes.default
  finish musl-servfail
}

# musl's retry interval is its timeout over its attempts: four rounds 250 ms apart, given up 1 s
# after the first send.
part_servfail_timeout1() {
  pod_fresh
  zone_break svc.cluster.local
  resolv_conf "nameserver $SERVER" "search $POD_SEARCH" "options ndots:5 timeout:1 attempts:4"
  named_start
  capture_start musl-servfail-timeout1.pcap
  call musl kubernetes.default
  finish musl-servfail-timeout1
}

# svc.cluster.local forwarded to an upstream that refuses after 0.9 s: BIND's SERVFAIL comes 0.9 s
# late, before musl's 2.5 s retry interval; musl asks again at once. No upstream traffic in the
# capture, as in a pod's.
part_servfail_slow() {
  pod_fresh
  upstream svc.cluster.local refuses-late
  named_start
  capture_start musl-servfail-slow.pcap -i lo port 53 and not host "$UPSTREAM"
  call musl kubernetes.default
  finish musl-servfail-slow
}

# BIND refuses every query from the client's address: musl ignores REFUSED (it takes only answers
# and NXDOMAIN, and asks again at once only after SERVFAIL), so it asks again each retry interval
# and says "try again" at its timeout.
part_refused() {
  pod_fresh
  named_start "$SERVER" none 'allow-query { !127.0.0.1; any; };'
  capture_start musl-refused.pcap
  call musl my-blog
  finish musl-refused
}

# Every answer comes from 127.0.0.11, asked at 127.0.0.10: musl drops each (it takes answers from
# its nameservers only), asks again at its next round and gives up at its timeout.
part_foreign_source() {
  pod_fresh
  named_start "$SERVER; 127.0.0.11"
  answers_from_elsewhere
  capture_start musl-foreign-source.pcap
  call musl my-blog
  finish musl-foreign-source
}

# A response-policy rule drops blog.mosuke.tech.svc.cluster.local: BIND never answers it.
part_silent_name() {
  pod_fresh
  named_start_dropping blog.mosuke.tech.svc.cluster.local
  capture_start musl-silent-name.pcap
  call musl blog.mosuke.tech
  # A later lookup takes the capture past the 5 s an unanswered query is waited for after its
  # last send (--timeout): otherwise the capture ends with the silent queries, cut off.
  sleep 3
  call musl my-blog
  finish musl-silent-name
}

part_dead_first() {
  pod_fresh
  named_start
  resolv_conf "nameserver 127.0.0.9" "nameserver $SERVER" "${POD_RESOLV[@]}"
  capture_start musl-dead-first.pcap -i lo 'port 53 or icmp or icmp6'
  call musl my-blog
  finish musl-dead-first
}

# Two nameservers that both answer: musl asks every nameserver at once, same socket and id, and
# takes the first answer.
part_two_servers() {
  pod_fresh
  add_addr 127.0.0.12/8
  named_start "$SERVER; 127.0.0.12"
  resolv_conf "nameserver $SERVER" "nameserver 127.0.0.12" "${POD_RESOLV[@]}"
  capture_start musl-two-servers.pcap
  call musl my-blog
  sleep 1
  call musl blog.mosuke.tech
  finish musl-two-servers
}

# Two nameservers, the first refusing (BIND takes queries on 127.0.0.12 only: allow-query-on): musl
# asks both at once, same socket and id, ignores the REFUSED and takes the second's answer.
part_refused_first() {
  pod_fresh
  add_addr 127.0.0.12/8
  named_start "127.0.0.12; $SERVER" none 'allow-query-on { 127.0.0.12; };'
  resolv_conf "nameserver $SERVER" "nameserver 127.0.0.12" "${POD_RESOLV[@]}"
  capture_start musl-refused-first.pcap
  call musl my-blog
  sleep 1
  call musl blog.mosuke.tech
  finish musl-refused-first
}

# Two nameservers, the first finding svc.cluster.local failed to load (SERVFAIL), the second
# answering it (BIND views by destination); musl asks both at once.
part_servfail_first() {
  pod_fresh
  resolv_conf "nameserver $SERVER" "nameserver 127.0.0.12" "${POD_RESOLV[@]}"
  named_start_failing_first svc.cluster.local
  capture_start musl-servfail-first.pcap
  call musl kubernetes.default
  finish musl-servfail-first
}

command -v musl-gcc >/dev/null || die "musl-gcc is needed (apt-get install musl-tools)"
lab_init musl
MUSLLOOKUP="$WORK/musllookup"
musl-gcc -static -O2 -Wall -o "$MUSLLOOKUP" "$LAB_DIR/musllookup/musllookup.c" || die "musl-gcc failed"
export MUSLLOOKUP
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(search nodata-midwalk servfail servfail-timeout1 servfail-slow refused foreign-source silent-name dead-first two-servers refused-first servfail-first)
for p in "${parts[@]}"; do "part_${p//-/_}"; done
