#!/usr/bin/env bash
# Scenario 6: before/after pairs for a diff command. One python3 program makes
# the same getaddrinfo calls (AF_UNSPEC + AI_ADDRCONFIG on an IPv4-only host:
# A only), one after the other, 0.5 s apart.
#   diff-ndots5.pcap / diff-ndots1.pcap   the same short names under ndots:5 and ndots:1
#   diff-trailing-dot.pcap                the fully qualified names with a trailing dot, ndots:5
#   diff-silent-ns-before.pcap / -after   with and without a silent first nameserver
. "$(dirname "$0")/lib.sh"
lab_init diff
named_start

spec() {  # spec FILE NAME...: a one-thread program, calls 0.5 s apart
  local f=$1 i=0 n; shift
  { echo '{"threads": 1, "calls": ['
    for n in "$@"; do
      [ $i -gt 0 ] && echo ','
      printf '{"thread": 0, "name": "%s", "family": "AF_UNSPEC", "addrconfig": true, "delay": %s}' "$n" "$((i * 5 / 10)).$((i * 5 % 10))"
      i=$((i + 1))
    done
    echo ']}'; } > "$f"
}

run() {  # run BASENAME SPEC
  capture_start "$1.pcap"
  call threads "$2"
  capture_stop
  calls_write "$1"
  render_all "$1.pcap"
}

spec "$WORK/short.json" my-blog blog.mosuke.tech kubernetes.default api.test
spec "$WORK/fqdn.json" my-blog.test.svc.cluster.local. blog.mosuke.tech. kubernetes.default.svc.cluster.local. api.test.svc.cluster.local.

resolv_conf "nameserver $SERVER" "search $POD_SEARCH" "options ndots:5"
run diff-ndots5 "$WORK/short.json"
resolv_conf "nameserver $SERVER" "search $POD_SEARCH" "options ndots:1"
run diff-ndots1 "$WORK/short.json"
resolv_conf "nameserver $SERVER" "search $POD_SEARCH" "options ndots:5"
run diff-trailing-dot "$WORK/fqdn.json"

spec "$WORK/silent.json" my-blog api kubernetes.default
silent_server 127.0.0.11
resolv_conf "nameserver 127.0.0.11" "nameserver $SERVER" "search $POD_SEARCH" "options ndots:5"
run diff-silent-ns-before "$WORK/silent.json"
resolv_conf "nameserver $SERVER" "search $POD_SEARCH" "options ndots:5"
run diff-silent-ns-after "$WORK/silent.json"
