#!/usr/bin/env bash
# Scenario 3: truncation and the retry over TCP.
# big.test.svc.cluster.local has 100 A records (198.18.0.1-100, benchmarking
# range): about 1.6 KB, more than glibc's 512-byte UDP limit and dig's 1232.
#   tc-tcp.pcap       getent ahosts big (IPv6 address on lo: A+AAAA), port 53 or icmp
#   dig-tc-tcp.pcap   dig +search big
. "$(dirname "$0")/lib.sh"
lab_init tcp
for i in $(seq 1 100); do zone_add test.svc.cluster.local "big IN A 198.18.0.$i"; done
named_start
add_ipv6_doc

capture_start tc-tcp.pcap -i lo 'port 53 or icmp or icmp6'
call getent ahosts big
capture_stop
calls_write tc-tcp
render_all tc-tcp.pcap

capture_start dig-tc-tcp.pcap -i lo 'port 53 or icmp or icmp6'
call dig +search big
capture_stop
calls_write dig-tc-tcp
render_all dig-tc-tcp.pcap
summary tc-tcp.pcap
summary dig-tc-tcp.pcap
