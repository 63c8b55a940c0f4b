#!/usr/bin/env bash
# Scenario 5: threads-mixed.pcap, eight python3 getaddrinfo calls from four
# threads at once (dual-stack host: 2001:db8::1 on lo), mixing a short
# ExternalName name, a search walk, a name with 5 dots, a trailing dot,
# AF_INET and AF_UNSPEC. threads-mixed.calls.json has each call's thread and times.
. "$(dirname "$0")/lib.sh"
lab_init threads
named_start
add_ipv6_doc
cat > "$WORK/threads.json" <<'JSON'
{"threads": 4, "calls": [
  {"thread": 0, "name": "my-blog", "family": "AF_UNSPEC"},
  {"thread": 0, "name": "api", "family": "AF_INET"},
  {"thread": 1, "name": "blog.mosuke.tech", "family": "AF_UNSPEC"},
  {"thread": 1, "name": "kubernetes.default", "family": "AF_UNSPEC"},
  {"thread": 2, "name": "img.v1.static.cdn.mosuke.tech", "family": "AF_UNSPEC"},
  {"thread": 2, "name": "blog.mosuke.tech.", "family": "AF_UNSPEC"},
  {"thread": 3, "name": "api", "family": "AF_UNSPEC", "addrconfig": true},
  {"thread": 3, "name": "my-blog", "family": "AF_INET"}
]}
JSON
capture_start threads-mixed.pcap
call threads "$WORK/threads.json"
capture_stop
calls_write threads-mixed
render_all threads-mixed.pcap
