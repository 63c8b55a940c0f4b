# shellcheck shell=bash
# Shared helpers of the fixture lab: a private network namespace with only a
# loopback interface, an authoritative BIND server on 127.0.0.10, tcpdump on lo,
# real clients (glibc getent, python3 getaddrinfo, dig), text renderings.
#
# Source it from a make-*.sh script (which must run as root):
#   . "$(dirname "$0")/lib.sh"
#   lab_init myscenario          # namespace dnstrace-lab-myscenario, temp dir, trap
#   named_start                  # BIND with the pod-like zones
#   capture_start out.pcap       # tcpdump -i lo port 53
#   call getent ahosts my-blog   # a client call, recorded into the calls log
#   capture_stop                 # waits 2 s, stops tcpdump, copies to fixtures/
#   calls_write out              # fixtures/out.calls.json
#   render_all out.pcap          # fixtures/out.{txt,n.txt,nn-v.txt,vv.txt,tttt.txt}
#
# Nothing here ever sends a packet outside the namespace: the namespace has no
# interface but lo, every address used is 127.0.0.0/8 or ::1 (2001:db8::1 is only
# added to lo so that glibc's AI_ADDRCONFIG sees a non-loopback IPv6 address).

set -euo pipefail
export TZ=UTC LC_ALL=C

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$LAB_DIR/../.." && pwd)
FIXTURES="$REPO_ROOT/fixtures"
NS_PREFIX=dnstrace-lab-

POD_SEARCH="test.svc.cluster.local svc.cluster.local cluster.local us-east-2.compute.internal"
SERVER=127.0.0.10

NS=""
WORK=""
NAMED_PID=""
TCPDUMP_PID=""
CAPTURE_OUT=""
EXTRA_PIDS=()

log() { printf '[lab %s] %s\n' "${NS#"$NS_PREFIX"}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

need_root() { [ "$(id -u)" -eq 0 ] || die "run as root (sudo $0)"; }

# ---------------------------------------------------------------- namespace --

ns_delete() {
  local ns=$1
  if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
    # stop whatever a previous run left inside (only processes of this namespace)
    local p
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    sleep 0.2
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns delete "$ns"
  fi
  rm -rf "/etc/netns/$ns"
}

lab_cleanup() {
  local rc=$?
  set +e
  if [ -n "$TCPDUMP_PID" ]; then kill -INT "$TCPDUMP_PID" 2>/dev/null; wait "$TCPDUMP_PID" 2>/dev/null; fi
  local p
  for p in "${EXTRA_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  if [ -n "$NAMED_PID" ]; then kill "$NAMED_PID" 2>/dev/null; wait "$NAMED_PID" 2>/dev/null; fi
  [ -n "$NS" ] && ns_delete "$NS"
  ns_delete "${NS_PREFIX}render"
  [ -n "$WORK" ] && rm -rf "$WORK"
  exit $rc
}

# lab_init SCENARIO: fresh namespace with lo up and 127.0.0.10/8, pod-like
# resolv.conf, hosts file naming the client "debug" and the server like the
# cluster DNS service of the seed capture.
lab_init() {
  need_root
  NS="${NS_PREFIX}$1"
  ns_delete "$NS"
  WORK=$(mktemp -d -t "${NS}.XXXXXX")
  trap lab_cleanup EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$FIXTURES" "$WORK/named" "$WORK/zones"
  : > "$WORK/calls.jsonl"
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  ip -n "$NS" addr add 127.0.0.10/8 dev lo
  mkdir -p "/etc/netns/$NS"
  write_hosts "/etc/netns/$NS/hosts"
  printf 'hosts: files dns\n' > "/etc/netns/$NS/nsswitch.conf"
  resolv_conf "nameserver $SERVER" "search $POD_SEARCH" "options ndots:5"
  zones_default
}

write_hosts() {
  printf '127.0.0.1\tdebug\n127.0.0.10\tdns-default.openshift-dns.svc.cluster.local\n' > "$1"
}

# resolv_conf LINE...: replace the namespace's resolv.conf with these lines
resolv_conf() { printf '%s\n' "$@" > "/etc/netns/$NS/resolv.conf"; }

# add_addr ADDR/PREFIX: one more address on lo (127.0.0.x, or the IPv6
# documentation address that makes glibc ask AAAA: add_ipv6_doc)
add_addr() { ip -n "$NS" addr add "$1" dev lo; }
add_ipv6_doc() { ip -n "$NS" addr add 2001:db8::1/128 dev lo nodad; }
del_ipv6_doc() { ip -n "$NS" addr del 2001:db8::1/128 dev lo; }

in_ns() { ip netns exec "$NS" "$@"; }

# ------------------------------------------------------------------- BIND --

SOA_CLUSTER='@ IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5'

# zone_new ZONE [SOA-LINE]: start a zone file with SOA and NS
zone_new() {
  local z=$1 soa=${2:-$SOA_CLUSTER}
  printf '$TTL 5\n%s\n@ IN NS ns.dns.cluster.local.\n' "$soa" > "$WORK/zones/zone-$z.db"
}
# zone_add ZONE RECORD-LINE...: append records (owner names relative to ZONE)
zone_add() { local z=$1; shift; printf '%s\n' "$@" >> "$WORK/zones/zone-$z.db"; }
# zone_break ZONE: make the zone fail to load, so BIND answers SERVFAIL for it
zone_break() { printf 'this line is not a resource record\n' >> "$WORK/zones/zone-$1.db"; }

zones_default() {
  rm -f "$WORK/zones/"zone-*.db
  # the cluster zones a pod's search list walks through (all NXDOMAIN + SOA
  # for unknown names, like CoreDNS)
  zone_new test.svc.cluster.local
  zone_add test.svc.cluster.local \
    'my-blog IN CNAME blog.mosuke.tech.' \
    'api IN A 10.96.0.20'
  zone_new svc.cluster.local
  zone_add svc.cluster.local 'kubernetes.default IN A 10.96.0.1'
  zone_new cluster.local
  zone_add cluster.local 'ns.dns IN A 127.0.0.10'
  zone_new us-east-2.compute.internal
  # the "internet" names, served by the same server so that the ExternalName
  # CNAME and its target's A records come back in one response
  zone_new mosuke.tech '@ IN SOA ns.dns.cluster.local. hostmaster.mosuke.tech. 1 7200 1800 86400 5'
  zone_add mosuke.tech \
    'blog IN A 172.67.165.72' \
    'blog IN A 104.21.57.182' \
    'img.v1.static.cdn IN A 172.67.165.72'
  # a stand-in for the upstream: every other name is NXDOMAIN (not REFUSED)
  zone_new . '@ IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400'
  zone_add . 'ns.dns.cluster.local. IN A 127.0.0.10'
}

# named_start [LISTEN_V4 [LISTEN_V6 [EXTRA_OPTIONS]]]: authoritative BIND (LISTEN_V4 may be a
# list: "127.0.0.10; 127.0.0.12"),
# recursion off, one thread, foreground; waits until it answers.
named_start() {
  local v4=${1:-$SERVER} v6=${2:-none} extra=${3:-}
  local conf="$WORK/named/named.conf" z f
  {
    cat <<EOF
options {
  directory "$WORK/named";
  pid-file none;
  session-keyfile none;
  managed-keys-directory "$WORK/named";
  listen-on port 53 { $( [ "$v4" = none ] && echo none || echo "$v4" ); };
  listen-on-v6 port 53 { $v6; };
  // recursion must be on for BIND to follow the ExternalName CNAME into the
  // mosuke.tech zone and return CNAME + A in one response; every name is inside
  // an authoritative zone (down to "."), so nothing is ever recursed.
  recursion yes;
  allow-recursion { 127.0.0.0/8; ::1; };
  rrset-order { order none; };
  notify no;
  dnssec-validation no;
  minimal-responses yes;
  check-integrity no;
  automatic-interface-scan no;
  querylog no;
  $extra
};
controls { };
// belt and braces: were BIND ever to recurse, it may send to no server at all
server 0.0.0.0/0 { bogus yes; };
server ::/0 { bogus yes; };
logging { channel c { stderr; severity info; }; category default { c; }; category lame-servers { null; }; };
EOF
    if [ -f "$WORK/named/views.conf" ]; then
      cat "$WORK/named/views.conf"
    else
      for f in "$WORK/zones/"zone-*.db; do
        z=$(basename "$f" .db); z=${z#zone-}
        printf 'zone "%s" { type primary; file "%s"; };\n' "$z" "$f"
      done
      [ -f "$WORK/named/extra.conf" ] && cat "$WORK/named/extra.conf"
    fi
  } > "$conf"
  ip netns exec "$NS" named -g -n 1 -U 1 -c "$conf" > "$WORK/named.log" 2>&1 &
  NAMED_PID=$!
  # LISTEN_V4 may list several addresses ("127.0.0.10; 127.0.0.12"): the first is probed.
  local probe=${v4%%;*}; [ "$v4" = none ] && probe=::1
  # From the server's own address: a part may refuse the clients' 127.0.0.1 (allow-query).
  local from=(); [ "$v4" = none ] || from=(-b "$SERVER")
  local i
  for i in $(seq 1 50); do
    if in_ns dig "${from[@]}" +norec +tries=1 +time=1 "@$probe" cluster.local SOA 2>/dev/null | grep -q 'status: NOERROR'; then
      return 0
    fi
    kill -0 "$NAMED_PID" 2>/dev/null || { cat "$WORK/named.log" >&2; die "named exited"; }
    sleep 0.2
  done
  cat "$WORK/named.log" >&2
  die "named did not answer"
}

named_stop() {
  [ -n "$NAMED_PID" ] || return 0
  kill "$NAMED_PID" 2>/dev/null || true
  wait "$NAMED_PID" 2>/dev/null || true
  NAMED_PID=""
}

# silent_server ADDR: a UDP socket on ADDR:53 that reads queries and never answers
silent_server() {
  ip netns exec "$NS" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
while True:
    s.recvfrom(4096)
' "$1" &
  EXTRA_PIDS+=($!)
  sleep 0.5
}

# named_start_dropping NAME...: BIND (as named_start) with a response-policy rule that drops each
# NAME: it never answers them, as a server or a network that loses those queries.
named_start_dropping() {
  local n
  {
    printf '$TTL 5\n@ IN SOA localhost. hostmaster.localhost. 1 7200 1800 86400 5\n@ IN NS localhost.\n'
    for n in "$@"; do printf '%s IN CNAME rpz-drop.\n' "$n"; done
  } > "$WORK/zones/rpz.db"
  echo "zone \"rpz\" { type primary; file \"$WORK/zones/rpz.db\"; };" > "$WORK/named/extra.conf"
  named_start "$SERVER" none 'response-policy { zone "rpz"; } qname-wait-recurse no;'
}

# named_start_failing_first ZONE: BIND (as named_start) on $SERVER and 127.0.0.12, with a view
# for each: a query to $SERVER finds ZONE failed to load (SERVFAIL for every name under it), one
# to 127.0.0.12 finds every zone whole. A pod whose first nameserver fails where the second
# answers (a node-local cache whose upstream for the zone is broken).
named_start_failing_first() {
  local broken=$1 view f z
  {
    for view in first second; do
      if [ "$view" = first ]; then echo "view first { match-destinations { $SERVER; };"; else echo 'view second {'; fi
      for f in "$WORK/zones/"zone-*.db; do
        z=$(basename "$f" .db); z=${z#zone-}
        if [ "$view" = first ] && [ "$z" = "$broken" ]; then
          cp "$f" "$WORK/zones/broken-$z.db"
          printf 'this line is not a resource record\n' >> "$WORK/zones/broken-$z.db"
          f="$WORK/zones/broken-$z.db"
        fi
        printf '  zone "%s" { type primary; file "%s"; };\n' "$z" "$f"
      done
      echo '};'
    done
  } > "$WORK/named/views.conf"
  add_addr 127.0.0.12/8
  named_start "127.0.0.12; $SERVER"
}

# slow_refusing_server ADDR SECONDS: a UDP socket on ADDR:53 that answers every query REFUSED
# after SECONDS (a lab prop behind BIND, never in a capture: a failing upstream, answering late)
slow_refusing_server() {
  ip netns exec "$NS" python3 -c '
import socket, sys, threading
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
def refuse(q, peer):
    # the id; QR, the opcode and RD as asked, RA, RCODE 5; the question section as asked
    flags = 0x8000 | (int.from_bytes(q[2:4], "big") & 0x7900) | 0x0080 | 5
    s.sendto(q[:2] + flags.to_bytes(2, "big") + q[4:6] + bytes(6) + q[12:], peer)
while True:
    q, peer = s.recvfrom(4096)
    threading.Timer(float(sys.argv[2]), refuse, (q, peer)).start()
' "$1" "$2" &
  EXTRA_PIDS+=($!)
  sleep 0.5
}

# answers_from_elsewhere: the server's replies leave from 127.0.0.11 although the clients asked
# 127.0.0.10, as when a DNAT to a Service IP is not undone on the way back: queries to
# 127.0.0.10:53 are not tracked, so each reply is a new flow that POSTROUTING rewrites. Call after
# named_start "127.0.0.10; 127.0.0.11" (the probe asks 127.0.0.10 before the rules exist).
# Needs iptables.
answers_from_elsewhere() {
  command -v iptables >/dev/null || die "iptables is needed (apt-get install iptables)"
  in_ns iptables -t raw -A OUTPUT -d "$SERVER" -p udp --dport 53 -j NOTRACK
  in_ns iptables -t nat -A POSTROUTING -s "$SERVER" -p udp --sport 53 -j SNAT --to-source 127.0.0.11
}

# upstream ZONE silent|refuses-late: BIND forwards ZONE (a zone of zones_default below
# cluster.local, which becomes a delegation there) to an upstream on 127.0.0.77 that never answers
# (BIND gives up after its resolver-query-timeout, 10 s at the least: SERVFAIL 10 s late) or that
# answers REFUSED after 0.9 s (SERVFAIL 0.9 s late), as a cluster DNS whose upstream is down or
# failing. Capture with `and not host $UPSTREAM`, as a pod sees it.
UPSTREAM=127.0.0.77
upstream() {
  local z=$1
  rm -f "$WORK/zones/zone-$z.db"
  zone_add cluster.local "${z%.cluster.local} IN NS ns.dns.cluster.local."
  printf 'server %s/32 { bogus no; };\nzone "%s" { type forward; forward only; forwarders { %s; }; };\n' \
    "$UPSTREAM" "$z" "$UPSTREAM" >> "$WORK/named/extra.conf"
  case $2 in
    silent) silent_server "$UPSTREAM" ;;
    refuses-late) slow_refusing_server "$UPSTREAM" 0.9 ;;
    *) die "upstream: $2?" ;;
  esac
}

# -------------------------------------------------------------- scenarios --

# A pod's resolv.conf after its nameserver lines (Kubernetes' default for a pod in "test").
POD_RESOLV=("search $POD_SEARCH" "options ndots:5")

# pod_fresh: the start of a scenario part: default zones, the pod resolv.conf
# with $SERVER as its nameserver, no extra daemons.
pod_fresh() {
  named_stop
  local p; for p in "${EXTRA_PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; EXTRA_PIDS=()
  zones_default
  rm -f "$WORK/named/extra.conf" "$WORK/named/views.conf"
  resolv_conf "nameserver $SERVER" "${POD_RESOLV[@]}"
}

# finish BASENAME: the end of a scenario part: stops the capture, writes
# fixtures/BASENAME.calls.json and the text renderings.
finish() {
  capture_stop
  calls_write "$1"
  render_all "$1.pcap"
}

# ---------------------------------------------------------------- capture --

# capture_start OUTNAME [tcpdump args...]: tcpdump on lo (default filter
# "port 53"); extra args replace the defaults "-i lo port 53".
capture_start() {
  CAPTURE_OUT=$1; shift
  local args=("$@")
  [ ${#args[@]} -eq 0 ] && args=(-i lo port 53)
  ip netns exec "$NS" tcpdump -Z root --immediate-mode -U -w "$WORK/$CAPTURE_OUT" "${args[@]}" 2> "$WORK/tcpdump.err" &
  TCPDUMP_PID=$!
  wait_for_file_text "$WORK/tcpdump.err" 'listening on' || { cat "$WORK/tcpdump.err" >&2; die "tcpdump did not start"; }
  sleep 0.5
}

# capture_start_dumpcap OUTNAME: dumpcap (pcapng) on lo, port 53
capture_start_dumpcap() {
  CAPTURE_OUT=$1
  ip netns exec "$NS" dumpcap -q -i lo -f 'port 53' -w "$WORK/$CAPTURE_OUT" 2> "$WORK/tcpdump.err" &
  TCPDUMP_PID=$!
  sleep 1.5
  kill -0 "$TCPDUMP_PID" || { cat "$WORK/tcpdump.err" >&2; die "dumpcap did not start"; }
}

wait_for_file_text() {
  local i
  for i in $(seq 1 50); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

capture_stop() {
  sleep 2
  kill -INT "$TCPDUMP_PID"
  wait "$TCPDUMP_PID" || true
  TCPDUMP_PID=""
  grep -v -e '^listening on' -e 'packets captured' -e 'packets received by filter' \
    -e 'packets dropped by kernel' -e '^$' "$WORK/tcpdump.err" >&2 || true
  cp "$WORK/$CAPTURE_OUT" "$FIXTURES/$CAPTURE_OUT"
  chmod 0644 "$FIXTURES/$CAPTURE_OUT"
  log "wrote fixtures/$CAPTURE_OUT ($(stat -c %s "$FIXTURES/$CAPTURE_OUT") bytes)"
}

# ----------------------------------------------------------------- clients --

# call TOOL ARGS...: run one client call inside the namespace and record what
# it printed (see client.py): getent ahosts NAME | gai NAME [FAMILY] | dig ...
call() { in_ns python3 "$LAB_DIR/client.py" --log "$WORK/calls.jsonl" "$@"; }

# calls_write BASENAME: fixtures/BASENAME.calls.json from the calls log
calls_write() {
  python3 "$LAB_DIR/client.py" --write-json "$WORK/calls.jsonl" > "$FIXTURES/$1.calls.json"
  : > "$WORK/calls.jsonl"
  log "wrote fixtures/$1.calls.json"
}

# -------------------------------------------------------------- renderings --

# render_all FILE: tcpdump's text renderings of fixtures/FILE, made inside a
# namespace whose name service is the hosts file only (so the lab names
# resolve and no reverse lookup can wait on, or leave, anything).
render_all() {
  local f=$1 base rns="${NS_PREFIX}render"
  base=${f%.pcap}; base=${base%.pcapng}
  if ! ip netns list | awk '{print $1}' | grep -qx "$rns"; then
    ip netns add "$rns"
    ip -n "$rns" link set lo up
    mkdir -p "/etc/netns/$rns"
    write_hosts "/etc/netns/$rns/hosts"
    printf 'hosts: files\nservices: files\n' > "/etc/netns/$rns/nsswitch.conf"
    printf 'nameserver 127.0.0.10\noptions timeout:1 attempts:1\n' > "/etc/netns/$rns/resolv.conf"
  fi
  local src="$FIXTURES/$f"
  rtcpdump() { ip netns exec "$rns" env TZ=UTC tcpdump -r "$src" "$@" 2>/dev/null; }
  rtcpdump            > "$FIXTURES/$base.txt"
  rtcpdump -n         > "$FIXTURES/$base.n.txt"
  rtcpdump -nn -v     > "$FIXTURES/$base.nn-v.txt"
  rtcpdump -vv        > "$FIXTURES/$base.vv.txt"
  rtcpdump -n -tttt   > "$FIXTURES/$base.tttt.txt"
  log "rendered fixtures/$base.{txt,n.txt,nn-v.txt,vv.txt,tttt.txt}"
}

# summary FILE: the tshark view used to check a capture (printed to stderr)
summary() {
  tshark -r "$FIXTURES/$1" -Y dns -T fields -e frame.number -e frame.time_relative -e udp.srcport -e tcp.srcport \
    -e dns.id -e dns.flags.response -e dns.qry.name -e dns.qry.type -e dns.flags.rcode -e dns.count.answers \
    -e dns.flags.truncated 2>/dev/null >&2 || true
}
