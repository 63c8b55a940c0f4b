/**
 * The simulated cluster: pods (the clients), the cluster DNS Service, and the names their
 * applications look up. Addresses come from documentation ranges (RFC 5737, RFC 3849) for
 * everything outside the cluster, so the capture never names a real host's address.
 */
import type { Prng } from './create-prng.js';
import type { Host } from './write-capture-frame.js';

export const CLUSTER_DOMAIN = 'cluster.local';
/** The node's domain, as kubelet copies it from the node's resolv.conf on AWS (us-east-2). */
export const NODE_DOMAIN = 'us-east-2.compute.internal';

/** A pod's search list as kubelet writes it (ndots:5): RESOLVERS.md, DESIGN.md. */
export function searchListOf(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN, NODE_DOMAIN];
}

/**
 * What an application asks for, by what the cluster DNS does with it:
 * - `service`: a Service in the pod's own namespace (`redis`), answered on the first suffix;
 * - `cross-namespace`: `<svc>.<ns>`, NXDOMAIN on the first suffix, answered on the second;
 * - `externalname`: an ExternalName Service, a CNAME on the first suffix;
 * - `external`: an Internet name with fewer than 5 dots, NXDOMAIN on all four suffixes first;
 * - `external-cname`: the same, but the bare name answers with a CNAME chain;
 * - `missing`: a name that exists nowhere (a typo), NXDOMAIN all the way;
 * - `fqdn`: written with a trailing dot, never search-expanded.
 */
export type NameKind = 'service' | 'cross-namespace' | 'externalname' | 'external' | 'external-cname' | 'missing' | 'fqdn';

export interface NameEntry {
  kind: NameKind;
  /** As the application wrote it, without a trailing dot. */
  name: string;
  /** For `service`/`cross-namespace`: the namespace the Service lives in (null: the pod's own). */
  namespace: string | null;
  /** ExternalName target, or the bare name's CNAME target. */
  cname: string | null;
  v4: string[];
  /** Empty: the name has no AAAA (NODATA with the zone's SOA). */
  v6: string[];
}

export interface Pod {
  name: string;
  namespace: string;
  host: Host;
  /** How often this pod starts a lookup, relative to the others. */
  weight: number;
  /** Source port → time (µs) its socket closes: glibc opens one socket per search step. */
  busyPorts: Map<number, number>;
  /** Name → time its lookup ends: two concurrent lookups of one name by one pod are not made. */
  busyNames: Map<string, number>;
  names: readonly (readonly [number, NameEntry])[];
  /** Resolves with Go's own resolver, not glibc's (CaptureOptions.goShare). */
  go?: boolean;
}

/** kube-dns ClusterIP, the nameserver in every pod's resolv.conf. */
export const DNS_SERVER: Host = { mac: mac(0x02, 0x42, 0x0a, 0x60, 0x00, 0x0a), ip: new Uint8Array([10, 96, 0, 10]) };
/** NodeLocal DNSCache's link-local address, listed before the cluster DNS in the failover runs: a cache that died silently. */
export const NODE_CACHE: Host = { mac: mac(0x02, 0x42, 0xa9, 0xfe, 0x14, 0x0a), ip: new Uint8Array([169, 254, 20, 10]) };

const NAMESPACES = ['shop', 'payments', 'test', 'monitoring', 'default'];

const EXTERNAL: readonly NameEntry[] = [
  external('api.stripe.com', ['192.0.2.10', '192.0.2.11'], []),
  external('sqs.us-east-2.amazonaws.com', ['192.0.2.20', '192.0.2.21', '192.0.2.22'], []),
  external('s3.us-east-2.amazonaws.com', ['192.0.2.30', '192.0.2.31', '192.0.2.32', '192.0.2.33'], ['2001:db8:30::1', '2001:db8:30::2']),
  external('www.googleapis.com', ['198.51.100.40'], ['2001:db8:40::a']),
  external('oauth2.googleapis.com', ['198.51.100.41'], ['2001:db8:40::b']),
  external('registry-1.docker.io', ['198.51.100.50', '198.51.100.51'], []),
  external('hooks.slack.com', ['198.51.100.60'], []),
  external('o450123.ingest.sentry.io', ['198.51.100.70'], []),
  external('http-intake.logs.datadoghq.com', ['203.0.113.80', '203.0.113.81'], []),
  external('pypi.org', ['203.0.113.90', '203.0.113.91'], ['2001:db8:90::1']),
  external('blog.mosuke.tech', ['172.67.165.72', '104.21.57.182'], []),
  external('github.com', ['203.0.113.100'], []),
  { kind: 'external-cname', name: 'login.microsoftonline.com', namespace: null, cname: 'login.mso.msidentity.com', v4: ['203.0.113.110', '203.0.113.111'], v6: [] },
  { kind: 'external-cname', name: 'api.segment.io', namespace: null, cname: 'api-segment-io.edge.example.net', v4: ['203.0.113.120'], v6: ['2001:db8:120::1'] },
];

const SERVICES = ['redis', 'postgres', 'api', 'auth', 'cart', 'catalog', 'kafka', 'web'];

/** Builds the pods of the simulated cluster, each with its weighted catalogue of names. */
export function buildPods(prng: Prng): Pod[] {
  const pods: Pod[] = [];
  let n = 0;
  for (const ns of NAMESPACES) {
    for (let i = 0; i < 3; i++, n++) {
      const names: [number, NameEntry][] = [];
      for (const s of SERVICES) names.push([6, { kind: 'service', name: s, namespace: null, cname: null, v4: [clusterIp(ns, s)], v6: [] }]);
      for (const other of NAMESPACES.filter((o) => o !== ns).slice(0, 2)) {
        names.push([3, { kind: 'cross-namespace', name: `postgres.${other}`, namespace: other, cname: null, v4: [clusterIp(other, 'postgres')], v6: [] }]);
      }
      const blog = ns === 'test' ? 'my-blog' : 'stripe';
      const target = ns === 'test' ? EXTERNAL[10] : EXTERNAL[0];
      names.push([5, { kind: 'externalname', name: blog, namespace: null, cname: target.name, v4: target.v4, v6: target.v6 }]);
      for (const e of EXTERNAL) names.push([e.kind === 'external' ? 7 : 3, e]);
      names.push([2, { kind: 'missing', name: 'redis-mastr', namespace: null, cname: null, v4: [], v6: [] }]);
      names.push([1, { kind: 'missing', name: 'metrics.internal.example', namespace: null, cname: null, v4: [], v6: [] }]);
      names.push([2, { kind: 'fqdn', name: 'vault.example.com', namespace: null, cname: null, v4: ['192.0.2.200'], v6: [] }]);
      pods.push({
        name: `${ns}-${i}`,
        namespace: ns,
        host: { mac: mac(0x0a, 0x58, 0x0a, 0xf4, 1 + (n >> 8), n & 0xff), ip: new Uint8Array([10, 244, 1 + Math.floor(n / 6), 10 + n]) },
        weight: prng.int(1, 8),
        busyPorts: new Map(),
        busyNames: new Map(),
        names,
      });
    }
  }
  return pods;
}

function external(name: string, v4: string[], v6: string[]): NameEntry {
  return { kind: 'external', name, namespace: null, cname: null, v4, v6 };
}

/** A stable ClusterIP in 10.96.0.0/12 for a Service. */
function clusterIp(ns: string, service: string): string {
  let h = 0;
  for (const c of `${ns}/${service}`) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return `10.${96 + ((h >>> 16) & 0x0f)}.${(h >>> 8) & 0xff}.${1 + (h % 254)}`;
}

function mac(...bytes: number[]): Uint8Array {
  return new Uint8Array(bytes);
}
