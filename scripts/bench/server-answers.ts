/**
 * What the generated cluster's DNS server sends back, and the queries it answers: CoreDNS in
 * front of the cluster zone and an upstream, as the bench's lookups meet it.
 */
import { CLUSTER_DOMAIN, type NameEntry } from './cluster-catalogue.js';
import type { Prng } from './create-prng.js';
import { RCODE, type WireMessage, type WireRecord, TYPE } from './write-dns-message.js';

/** What one step of a walk gets: NXDOMAIN, the entry's answer, or SERVFAIL. */
export type StepResult = 'nxdomain' | 'answer' | 'servfail';

export interface Step {
  name: string;
  result: StepResult;
}

const CLUSTER_SOA: WireRecord = {
  name: CLUSTER_DOMAIN,
  ttl: 5,
  data: { type: 'SOA', mname: `ns.dns.${CLUSTER_DOMAIN}`, rname: `hostmaster.${CLUSTER_DOMAIN}`, serial: 1_768_471_200, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 },
};

const ROOT_SOA: WireRecord = {
  name: '',
  ttl: 900,
  data: { type: 'SOA', mname: 'a.root-servers.net', rname: 'nstld.verisign-grs.com', serial: 2_026_011_500, refresh: 1800, retry: 900, expire: 604800, minimum: 86400 },
};

/** A query as the client sends it (glibc: RD set, no EDNS). */
export function queryMessage(id: number, name: string, qtype: number): WireMessage {
  return { id, isResponse: false, aa: false, rd: true, ra: false, rcode: RCODE.NOERROR, question: { name, type: qtype }, answers: [], authorities: [] };
}

/** CoreDNS with no healthy upstream: SERVFAIL, no records, not authoritative. */
export function servfailMessage(query: WireMessage): WireMessage {
  return { id: query.id, isResponse: true, aa: false, rd: true, ra: true, rcode: RCODE.SERVFAIL, question: query.question, answers: [], authorities: [] };
}

/**
 * What CoreDNS sends back: negative answers carry the zone's SOA in authority (RFC 2308 §3),
 * cluster answers are authoritative with TTL 5, forwarded answers are not authoritative.
 */
export function responseMessage(query: WireMessage, step: Step, entry: NameEntry): WireMessage {
  const inCluster = step.name.endsWith(`.${CLUSTER_DOMAIN}`);
  const base = { id: query.id, isResponse: true, aa: inCluster, rd: true, ra: true, question: query.question };
  const qtype = query.question.type;
  if (step.result === 'nxdomain') {
    return { ...base, rcode: RCODE.NXDOMAIN, answers: [], authorities: [inCluster ? CLUSTER_SOA : ROOT_SOA] };
  }
  const answers: WireRecord[] = [];
  let owner = step.name;
  const addressTtl = inCluster && entry.kind !== 'externalname' ? 5 : 30;
  if (entry.cname !== null) {
    answers.push({ name: step.name, ttl: inCluster ? 5 : 300, data: { type: 'CNAME', target: entry.cname } });
    owner = entry.cname;
  }
  const addresses = qtype === TYPE.A ? entry.v4 : entry.v6;
  for (const address of addresses) {
    answers.push({ name: owner, ttl: addressTtl, data: qtype === TYPE.A ? { type: 'A', address } : { type: 'AAAA', address } });
  }
  // NODATA (an IPv4-only Service or host asked for AAAA): NOERROR, SOA of the owner's zone.
  const authorities = addresses.length === 0 ? [soaOf(owner, owner.endsWith(`.${CLUSTER_DOMAIN}`))] : [];
  return { ...base, rcode: RCODE.NOERROR, answers, authorities };
}

function soaOf(owner: string, inCluster: boolean): WireRecord {
  if (inCluster) return CLUSTER_SOA;
  const zone = owner.split('.').slice(-2).join('.');
  return { name: zone, ttl: 300, data: { type: 'SOA', mname: `ns1.${zone}`, rname: `hostmaster.${zone}`, serial: 2_026_011_501, refresh: 7200, retry: 900, expire: 1_209_600, minimum: 300 } };
}

/**
 * Warm CoreDNS answers in 0.1–0.3 ms (RESOLVERS.md measured BIND on loopback alike); names
 * forwarded upstream miss the cache now and then and take milliseconds.
 */
export function latencyUs(prng: Prng, name: string): number {
  if (name.endsWith(`.${CLUSTER_DOMAIN}`)) return prng.int(60, 250) + (prng.chance(0.1) ? prng.int(200, 800) : 0);
  return prng.chance(0.1) ? prng.int(1000, 25_000) : prng.int(80, 600);
}
