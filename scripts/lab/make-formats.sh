#!/usr/bin/env bash
# Scenario 2: the scenario-1 getent traffic (getent ahosts my-blog, then
# getent ahosts blog.mosuke.tech, A only) in other link types and file formats.
#   sll2-any.pcap          tcpdump -i any                (LINUX_SLL2)
#   sll-any.pcap           tcpdump -i any -y LINUX_SLL   (LINUX_SLL)
#   dumpcap.pcapng         dumpcap -i lo                 (pcapng, EN10MB)
#   nanosecond.pcap        tcpdump --time-stamp-precision=nano (pcap magic a1b23c4d)
#   ipv6-transport.pcap    BIND on ::1 only, resolv.conf "nameserver ::1"
#   externalname-vs-search.pcap.gz   gzip -n of fixtures/externalname-vs-search.pcap
. "$(dirname "$0")/lib.sh"

traffic() {
  call getent ahosts my-blog
  sleep 1
  call getent ahosts blog.mosuke.tech
}

one() {  # one NAME CAPTURE-ARGS...
  local out=$1; shift
  capture_start "$out" "$@"
  traffic
  capture_stop
  calls_write "${out%.*}"
  render_all "$out"
}

lab_init formats
named_start
one sll2-any.pcap -i any port 53
one sll-any.pcap -i any -y LINUX_SLL port 53
one nanosecond.pcap --time-stamp-precision=nano -i lo port 53
# tcpdump -r prints microseconds unless asked for nanoseconds
TZ=UTC tcpdump -n --time-stamp-precision=nano -r "$FIXTURES/nanosecond.pcap" > "$FIXTURES/nanosecond.nano.txt" 2>/dev/null

capture_start_dumpcap dumpcap.pcapng
traffic
capture_stop
# keep no description of the capturing machine (CPU, kernel) in the fixture
python3 "$LAB_DIR/pcapng-scrub.py" "$FIXTURES/dumpcap.pcapng"
calls_write dumpcap
render_all dumpcap.pcapng

# IPv6 transport: a second BIND listening on ::1 only
kill "$NAMED_PID"; wait "$NAMED_PID" || true; NAMED_PID=""
named_start none ::1
resolv_conf "nameserver ::1" "search $POD_SEARCH" "options ndots:5"
one ipv6-transport.pcap -i lo port 53

if [ -f "$FIXTURES/externalname-vs-search.pcap" ]; then
  gzip -n -9 -c "$FIXTURES/externalname-vs-search.pcap" > "$FIXTURES/externalname-vs-search.pcap.gz"
  log "wrote fixtures/externalname-vs-search.pcap.gz"
else
  log "fixtures/externalname-vs-search.pcap missing: run make-externalname.sh first"
fi
