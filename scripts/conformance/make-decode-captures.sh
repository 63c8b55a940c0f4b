#!/usr/bin/env bash
# Makes the real captures in test/decode/captures/ that the decode tests read: BIND answering dig
# inside a throw-away network namespace, on loopback only. Needs root, ip, named (BIND 9),
# dig, tcpdump and dumpcap. The loopback MTU is lowered to 1280 so that large UDP answers
# really fragment (IPv4 and IPv6), as they do on a path with a small MTU.
#
# Usage: sudo scripts/conformance/make-decode-captures.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/test/decode/captures"
ns="dnstrace-decode-$$"
work=$(mktemp -d)
mkdir -p "$out"
cleanup() {
  ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns"
run() { ip netns exec "$ns" "$@"; }
run ip link set lo up
run ip link set lo mtu 1280

# A zone with an HTTPS record, and a TXT set too big for one 1280-byte packet.
big=$(for i in $(seq 1 12); do printf 'big IN TXT "%0200d"\n' "$i"; done)
cat >"$work/zone" <<ZONE
\$TTL 300
@ IN SOA ns.example.test. admin.example.test. 1 3600 600 86400 300
@ IN NS ns
ns IN A 127.0.0.1
www IN A 192.0.2.10
www IN AAAA 2001:db8::10
svc IN HTTPS 1 . alpn="h3,h2" port=8443 ipv4hint=192.0.2.10,192.0.2.11 ipv6hint=2001:db8::10
alias IN HTTPS 0 svc.example.test.
$big
ZONE
cat >"$work/named.conf" <<CONF
options {
  directory "$work";
  listen-on { 127.0.0.1; };
  listen-on-v6 { ::1; };
  recursion no;
  pid-file "$work/named.pid";
  max-udp-size 4096;
  edns-udp-size 4096;
};
zone "example.test" { type primary; file "$work/zone"; };
CONF
run named -g -u root -c "$work/named.conf" >"$work/named.log" 2>&1 &
for _ in $(seq 1 50); do run dig +short @127.0.0.1 www.example.test >/dev/null 2>&1 && break; sleep 0.1; done

capture() { # tool args... : runs queries() while the tool captures inside the namespace
  ip netns exec "$ns" "$@" &
  local pid=$!
  sleep 1
  queries
  sleep 1
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
queries() {
  run dig @127.0.0.1 +tries=1 svc.example.test HTTPS >/dev/null
  run dig @127.0.0.1 +tries=1 alias.example.test HTTPS >/dev/null
  run dig @::1 +tries=1 www.example.test AAAA >/dev/null
  # A 2.5 kB answer over UDP: fragmented at the 1280-byte MTU, IPv4 and IPv6.
  run dig @127.0.0.1 +tries=1 +bufsize=4096 big.example.test TXT >/dev/null
  run dig @::1 +tries=1 +bufsize=4096 big.example.test TXT >/dev/null
  # The same answer to a 512-byte client: TC set, dig retries over TCP.
  run dig @127.0.0.1 +tries=1 +noedns big.example.test TXT >/dev/null
  # Nothing listens on 127.0.0.2 port 53: an ICMP port unreachable answers the query, the way
  # a dead nameserver in resolv.conf answers glibc.
  run dig @127.0.0.2 +tries=1 +timeout=1 www.example.test A >/dev/null || true
}

capture tcpdump -i any -s 0 -w "$out/lab-any-sll2.pcap" 2>/dev/null
capture tcpdump -i any -y LINUX_SLL -s 0 -w "$out/lab-any-sll.pcap" 2>/dev/null
capture dumpcap -q -i lo -w "$out/lab-lo-dumpcap.pcapng" 2>/dev/null
# The same packets in other containers, converted by Wireshark's editcap: pcapng (one EPB per
# packet) and nanosecond pcap; and a gzip of the pcap, as rotated captures are kept.
editcap -F pcapng "$out/lab-any-sll2.pcap" "$out/lab-any-sll2.pcapng"
editcap -F nsecpcap "$out/lab-any-sll2.pcap" "$out/lab-any-sll2-nsec.pcap"
gzip -9 -n -c "$out/lab-any-sll2.pcap" >"$out/lab-any-sll2.pcap.gz"
chmod 644 "$out"/*
echo "wrote $(ls "$out" | tr '\n' ' ')"
