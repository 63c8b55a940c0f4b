#!/usr/bin/env bash
# Scenario 4: failures, seen through glibc (getent ahosts, python3 getaddrinfo)
# and dig. Usage: make-failures.sh [PART...]; parts: servfail servfail-attempts3 servfail-slow
# refused foreign-source silent-name silent-timeout1 dead-nameserver silent-nameserver dead-nameserver-pair silent-nameserver-pair
# dead-only-nameserver nodata-midwalk single-request refused-first servfail-first dig-refused
# (default: all).
. "$(dirname "$0")/lib.sh"

fresh() {  # fresh: pod_fresh, IPv4 only
  pod_fresh
  del_ipv6_doc 2>/dev/null || true
}

# svc.cluster.local fails to load: BIND answers SERVFAIL (no aa, no SOA) for
# every name under it. glibc retries the SERVFAIL once, same id, then moves on.
part_servfail() {
  fresh
  zone_break svc.cluster.local
  named_start
  capture_start servfail.pcap
  call getent ahosts blog.mosuke.tech          # A only; answered as written
  sleep 1
  call gai kubernetes.default                  # A+AAAA; exists, but its zone is broken
  sleep 1
  call gai kubernetes.default --family AF_INET # the same, A only
  finish servfail
}

# With options attempts:3 glibc asks a SERVFAIL'd pair three times at once on its socket with the
# same ids, as musl does (musl also again a retry interval later), then walks on; a name asked
# fully qualified has no step to walk on to: "Try again" at once.
part_servfail_attempts3() {
  fresh
  zone_break svc.cluster.local
  resolv_conf "nameserver $SERVER" "${POD_RESOLV[@]}" "options attempts:3"
  named_start
  capture_start servfail-attempts3.pcap
  call gai kubernetes.default                          # A+AAAA; the svc step fails, the walk goes on
  sleep 1
  call gai kubernetes.default.svc.cluster.local.       # its only step fails
  finish servfail-attempts3
}

# svc.cluster.local is forwarded to an upstream that never answers: BIND answers SERVFAIL 10 s
# late (its resolver-query-timeout), as a cluster DNS whose upstream is down. glibc resends at its
# 5 s timeout, takes the SERVFAIL at 10 s and walks on; a name asked fully qualified fails after
# 10 s. The capture, like a pod's, holds no upstream traffic.
part_servfail_slow() {
  fresh
  upstream svc.cluster.local silent
  named_start
  capture_start servfail-slow.pcap -i lo port 53 and not host "$UPSTREAM"
  call gai kubernetes.default                  # A+AAAA; the svc step fails slowly, the walk goes on
  sleep 3
  call gai kubernetes.default.svc.cluster.local. --family AF_INET  # its only step fails
  finish servfail-slow
}

# BIND refuses every query from the clients' address (allow-query), as a server whose ACL leaves
# the pod out. glibc asks the REFUSED pair again at once, then gives the search list up and tries
# the name as written (refused too): EAI_AGAIN in milliseconds.
part_refused() {
  fresh
  named_start "$SERVER" none 'allow-query { !127.0.0.1; any; };'
  capture_start refused.pcap
  call gai my-blog
  sleep 1
  call getent ahosts blog.mosuke.tech          # A only
  finish refused
}

# Every answer comes from 127.0.0.11, the query went to 127.0.0.10 (a DNAT not undone on the way
# back): glibc drops each, resends at its timeout, gives up the search list after the second
# timeout and asks the name as written the same way: EAI_AGAIN after 20 s.
part_foreign_source() {
  fresh
  named_start "$SERVER; 127.0.0.11"
  answers_from_elsewhere
  capture_start foreign-source.pcap
  call gai my-blog
  finish foreign-source
}

# A response-policy rule drops blog.mosuke.tech.svc.cluster.local: BIND never answers it.
part_silent_name() {
  fresh
  named_start_dropping blog.mosuke.tech.svc.cluster.local
  capture_start silent-name.pcap
  call getent ahosts blog.mosuke.tech          # A only
  sleep 1
  call gai blog.mosuke.tech                    # A+AAAA
  finish silent-name
}

# blog.mosuke.tech dropped under svc.cluster.local and as written, with options timeout:1
# attempts:1: glibc waits 1 s for the silent svc pair, gives the list up for the name as written,
# waits 1 s for that and says EAI_AGAIN after 2 s. No resend shows the timeout: only the walk does.
part_silent_timeout1() {
  fresh
  named_start_dropping blog.mosuke.tech.svc.cluster.local blog.mosuke.tech
  resolv_conf "nameserver $SERVER" "${POD_RESOLV[@]}" "options timeout:1 attempts:1"
  capture_start silent-timeout1.pcap
  call gai blog.mosuke.tech                    # A+AAAA
  sleep 5
  call gai my-blog                             # its ExternalName target dropped too: 1 s, then NXDOMAIN as written
  finish silent-timeout1
}

# First nameserver 127.0.0.9: nothing listens, the kernel answers ICMP port unreachable.
part_dead_nameserver() {
  fresh
  named_start
  resolv_conf "nameserver 127.0.0.9" "nameserver $SERVER" "${POD_RESOLV[@]}"
  capture_start dead-nameserver.pcap -i lo 'port 53 or icmp or icmp6'
  call getent ahosts my-blog
  sleep 1
  call getent ahosts blog.mosuke.tech
  finish dead-nameserver
}

# First nameserver 127.0.0.11: a socket that reads and never answers.
part_silent_nameserver() {
  fresh
  named_start
  silent_server 127.0.0.11
  resolv_conf "nameserver 127.0.0.11" "nameserver $SERVER" "${POD_RESOLV[@]}"
  capture_start silent-nameserver.pcap -i lo 'port 53 or icmp or icmp6'
  call getent ahosts my-blog
  sleep 1
  call getent ahosts api
  finish silent-nameserver
}

# The two above with A+AAAA pairs (getaddrinfo AF_UNSPEC): how glibc fails a pair over.
part_dead_nameserver_pair() {
  fresh
  named_start
  resolv_conf "nameserver 127.0.0.9" "nameserver $SERVER" "${POD_RESOLV[@]}"
  capture_start dead-nameserver-pair.pcap -i lo 'port 53 or icmp or icmp6'
  call gai my-blog
  sleep 1
  call gai blog.mosuke.tech
  finish dead-nameserver-pair
}

part_silent_nameserver_pair() {
  fresh
  named_start
  silent_server 127.0.0.11
  resolv_conf "nameserver 127.0.0.11" "nameserver $SERVER" "${POD_RESOLV[@]}"
  capture_start silent-nameserver-pair.pcap -i lo 'port 53 or icmp or icmp6'
  call gai my-blog
  finish silent-nameserver-pair
}

# The only nameserver is dead (a crashed node-local cache with nothing behind it): every query
# draws ICMP port unreachable. How glibc walks the search list then, and how soon glibc and dig
# send again after the ICMP error (the pairer keeps an ICMP'd query open only that long).
part_dead_only_nameserver() {
  fresh
  resolv_conf "nameserver 127.0.0.9" "${POD_RESOLV[@]}"
  capture_start dead-only-nameserver.pcap -i lo 'port 53 or icmp or icmp6'
  call getent ahosts my-blog
  sleep 1
  call dig +tries=2 @127.0.0.9 blog.mosuke.tech
  finish dead-only-nameserver
}

# blog.mosuke.tech.svc.cluster.local exists with a TXT record only: NOERROR,
# no answer (NODATA) for A in the middle of the walk. ghost.svc.cluster.local
# likewise, and "ghost" exists nowhere else.
part_nodata_midwalk() {
  fresh
  zone_add svc.cluster.local \
    'blog.mosuke.tech IN TXT "not an address"' \
    'ghost IN TXT "not an address"'
  named_start
  capture_start nodata-midwalk.pcap
  call getent ahosts blog.mosuke.tech
  sleep 1
  call gai ghost --family AF_INET
  finish nodata-midwalk
  capture_start dig-nodata-midwalk.pcap
  call dig +search blog.mosuke.tech
  finish dig-nodata-midwalk
}

# options single-request / single-request-reopen, dual-stack (A and AAAA asked).
part_single_request() {
  local opt
  for opt in single-request single-request-reopen; do
    fresh
    named_start
    add_ipv6_doc
    resolv_conf "nameserver $SERVER" "search $POD_SEARCH" "options ndots:5 $opt"
    capture_start "$opt.pcap"
    call getent ahosts my-blog
    sleep 1
    call getent ahosts blog.mosuke.tech
    finish "$opt"
  done
}

# Two nameservers, the first refusing (BIND takes queries on 127.0.0.12 only: allow-query-on), as a
# pod whose first nameserver is a cache that does not serve it. glibc asks the second at once,
# same id, and takes its answer: the lookups succeed, each step a refusal slower.
part_refused_first() {
  fresh
  add_addr 127.0.0.12/8
  named_start "127.0.0.12; $SERVER" none 'allow-query-on { 127.0.0.12; };'
  resolv_conf "nameserver $SERVER" "nameserver 127.0.0.12" "${POD_RESOLV[@]}"
  capture_start refused-first.pcap
  call gai my-blog
  sleep 1
  call getent ahosts blog.mosuke.tech          # A only
  finish refused-first
}

# Two nameservers, the first finding svc.cluster.local failed to load (SERVFAIL), the second
# answering it (BIND views by destination). glibc asks the second at once, same id, and takes its
# answer, as after REFUSED.
part_servfail_first() {
  fresh
  resolv_conf "nameserver $SERVER" "nameserver 127.0.0.12" "${POD_RESOLV[@]}"
  named_start_failing_first svc.cluster.local
  capture_start servfail-first.pcap
  call gai kubernetes.default                  # A+AAAA; the svc step fails at the first server only
  sleep 1
  call getent ahosts blog.mosuke.tech          # A only; every step meets the first server
  finish servfail-first
}

# dig against the same two nameservers, the first refusing: dig asks only the first, takes the
# REFUSED and stops: no next nameserver (glibc and musl go on), and with +search no next suffix.
part_dig_refused() {
  fresh
  add_addr 127.0.0.12/8
  named_start "127.0.0.12; $SERVER" none 'allow-query-on { 127.0.0.12; };'
  resolv_conf "nameserver $SERVER" "nameserver 127.0.0.12" "${POD_RESOLV[@]}"
  capture_start dig-refused.pcap
  call dig blog.mosuke.tech
  sleep 1
  call dig +search my-blog
  finish dig-refused
}

lab_init failures
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(servfail servfail-attempts3 servfail-slow refused foreign-source silent-name silent-timeout1 dead-nameserver silent-nameserver dead-nameserver-pair silent-nameserver-pair dead-only-nameserver nodata-midwalk single-request refused-first servfail-first dig-refused)
for p in "${parts[@]}"; do "part_${p//-/_}"; done
