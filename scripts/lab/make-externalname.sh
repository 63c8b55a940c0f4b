#!/usr/bin/env bash
# Scenario 1: the ExternalName hit versus the search-path walk.
#   externalname-vs-search.pcap       getent ahosts my-blog, then getent ahosts blog.mosuke.tech
#                                     (IPv4-only host: glibc asks A only, like the seed)
#   externalname-vs-search-aaaa.pcap  the same two calls with an IPv6 address on lo (A+AAAA)
#   dig-search.pcap                   dig +search my-blog, then dig +search blog.mosuke.tech
. "$(dirname "$0")/lib.sh"
lab_init externalname
named_start

capture_start externalname-vs-search.pcap
call getent ahosts my-blog
sleep 1
call getent ahosts blog.mosuke.tech
capture_stop
calls_write externalname-vs-search
render_all externalname-vs-search.pcap

add_ipv6_doc
capture_start externalname-vs-search-aaaa.pcap
call getent ahosts my-blog
sleep 1
call getent ahosts blog.mosuke.tech
capture_stop
calls_write externalname-vs-search-aaaa
render_all externalname-vs-search-aaaa.pcap
del_ipv6_doc

capture_start dig-search.pcap
call dig +search my-blog
sleep 1
call dig +search blog.mosuke.tech
capture_stop
calls_write dig-search
render_all dig-search.pcap

summary externalname-vs-search.pcap
