/**
 * Hand-edited copies of the seed tcpdump text, kept inline: the same application traffic after a
 * fix. The lab's real before/after capture pairs are tested in diff-fixtures.test.ts.
 */
import { readFileSync } from 'node:fs';
import { FIXTURES } from '../helpers.js';

/** glibc walking 4 suffixes (ndots:5) before blog.mosuke.tech answers: 5 queries, 5.474 ms. */
export const SEARCH_WALK = readFileSync(`${FIXTURES}search-expansion.tcpdump.txt`, 'utf8');

/** my-blog answered on the first suffix through an ExternalName Service: 1 query, 37.828 ms. */
export const EXTERNALNAME_HIT = readFileSync(`${FIXTURES}externalname-hit.tcpdump.txt`, 'utf8');

/** The same application after the fix "blog.mosuke.tech." (trailing dot): the last step alone. */
export const TRAILING_DOT = `08:35:51.198198 IP debug.51284 > dns-default.openshift-dns.svc.cluster.local.domain: 5698+ [1au] A? blog.mosuke.tech. (57)
08:35:51.198332 IP dns-default.openshift-dns.svc.cluster.local.domain > debug.51284: 5698* 2/0/1 A 172.67.165.72, A 104.21.57.182 (121)
`;

/** First nameserver 10.0.0.99 silent: each lookup waits 5 s before glibc asks 10.0.0.10. */
export const SILENT_NS_BEFORE = `10:00:00.000000 IP 10.1.0.5.40000 > 10.0.0.99.53: 111+ A? api.example.com. (33)
10:00:05.005000 IP 10.1.0.5.40001 > 10.0.0.10.53: 111+ A? api.example.com. (33)
10:00:05.005400 IP 10.0.0.10.53 > 10.1.0.5.40001: 111 1/0/0 A 192.0.2.7 (49)
10:00:06.000000 IP 10.1.0.5.40002 > 10.0.0.99.53: 222+ A? db.example.com. (32)
10:00:11.006000 IP 10.1.0.5.40003 > 10.0.0.10.53: 222+ A? db.example.com. (32)
10:00:11.006300 IP 10.0.0.10.53 > 10.1.0.5.40003: 222 1/0/0 A 192.0.2.8 (48)
`;

/** The silent nameserver removed from resolv.conf (a new pod, 10.1.0.6). */
export const SILENT_NS_AFTER = `11:00:00.000000 IP 10.1.0.6.40000 > 10.0.0.10.53: 333+ A? api.example.com. (33)
11:00:00.000400 IP 10.0.0.10.53 > 10.1.0.6.40000: 333 1/0/0 A 192.0.2.7 (49)
11:00:01.000000 IP 10.1.0.6.40002 > 10.0.0.10.53: 444+ A? db.example.com. (32)
11:00:01.000300 IP 10.0.0.10.53 > 10.1.0.6.40002: 444 1/0/0 A 192.0.2.8 (48)
`;
