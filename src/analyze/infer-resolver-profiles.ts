import type { ResolverProfile, Transaction } from '../model.js';
import { hostOf } from './endpoints.js';

export interface ResolverOverrides {
  searchList?: string[];
  ndots?: number;
  namespace?: string;
}

/** `<name>.<namespace>.svc.<cluster domain>`: the first suffix of a pod's search list. */
const SERVICE_NAME_RE = /^(?:[^.]+\.)+?([a-z0-9-]+)\.svc\.([a-z0-9.-]+)$/;

/** Kubernetes' default (kubelet writes ndots:5 into every pod's resolv.conf). */
const KUBERNETES_NDOTS = 5;

/**
 * What a client's queries say about its resolv.conf. A search list shows itself when a name is
 * queried with suffixes and then bare (`x.s1`, `x.s2`, ..., `x`): each suffix is what was
 * appended. A Kubernetes pod shows its namespace in the first suffix `<ns>.svc.<zone>`, even when
 * the first suffix answered and nothing else was asked.
 */
export function inferResolverProfiles(transactions: readonly Transaction[], overrides: ResolverOverrides = {}): ResolverProfile[] {
  const byClient = new Map<string, Transaction[]>();
  for (const tx of transactions) {
    if (tx.queryFrame === null || tx.name === null) continue;
    const host = hostOf(tx.client);
    const list = byClient.get(host);
    if (list) list.push(tx);
    else byClient.set(host, [tx]);
  }
  const profiles: ResolverProfile[] = [];
  for (const [client, txs] of byClient) {
    profiles.push(inferOne(client, txs, overrides));
  }
  return profiles.sort((a, b) => a.client.localeCompare(b.client));
}

function inferOne(client: string, txs: Transaction[], overrides: ResolverOverrides): ResolverProfile {
  const sources: Record<string, string> = {};
  const names = txs.map((t) => t.name as string);
  const nameSet = new Set(names);

  // Suffixes proven by a later bare query of the same name: "x.s" ... then "x".
  const walked: string[] = [];
  const firstSeen = new Map<string, number>();
  names.forEach((n, i) => {
    if (!firstSeen.has(n)) firstSeen.set(n, i);
  });
  for (const [n, i] of firstSeen) {
    let dot = n.indexOf('.');
    while (dot > 0) {
      const base = n.slice(0, dot);
      const suffix = n.slice(dot + 1);
      const bareAt = firstSeen.get(base);
      if (bareAt !== undefined && bareAt > i && !walked.includes(suffix)) walked.push(suffix);
      dot = n.indexOf('.', dot + 1);
    }
  }

  // Kubernetes: <ns>.svc.<zone> anywhere gives the first three suffixes.
  let namespace: string | null = null;
  let clusterDomain: string | null = null;
  const k8s = new Map<string, number>();
  for (const n of nameSet) {
    const m = SERVICE_NAME_RE.exec(n);
    if (m) k8s.set(`${m[1]} ${m[2]}`, (k8s.get(`${m[1]} ${m[2]}`) ?? 0) + 1);
  }
  const walkedK8s = walked.map((s) => /^([a-z0-9-]+)\.svc\.(.+)$/.exec(s)).find((m) => m !== null);
  if (walkedK8s) {
    namespace = walkedK8s[1];
    clusterDomain = walkedK8s[2];
    sources.namespace = `inferred from the search suffix ${walkedK8s[0]}`;
  } else if (k8s.size > 0) {
    const [best] = [...k8s.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    [namespace, clusterDomain] = best[0].split(' ');
    sources.namespace = `inferred from queries for *.${namespace}.svc.${clusterDomain}`;
  }
  if (clusterDomain) sources.clusterDomain = sources.namespace.replace('namespace', 'cluster domain');

  let searchList = [...walked];
  if (namespace && clusterDomain) {
    const k8sSuffixes = [`${namespace}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain];
    searchList = [...k8sSuffixes, ...walked.filter((s) => !k8sSuffixes.includes(s))];
  }
  if (searchList.length > 0) {
    sources.searchList = walked.length > 0 ? 'inferred from names queried with suffixes and then as written' : 'inferred from the Kubernetes namespace';
  }

  let ndots: number | null = null;
  if (namespace) {
    ndots = KUBERNETES_NDOTS;
    sources.ndots = 'assumed: the Kubernetes default for pods';
  }
  // A name expanded with suffixes had fewer than ndots dots.
  let mostDotsExpanded = -1;
  for (const s of walked) {
    for (const n of nameSet) {
      if (n.endsWith(`.${s}`) && nameSet.has(n.slice(0, -s.length - 1))) {
        mostDotsExpanded = Math.max(mostDotsExpanded, n.slice(0, -s.length - 1).split('.').length - 1);
      }
    }
  }
  if (ndots === null && mostDotsExpanded >= 0) {
    ndots = mostDotsExpanded + 1;
    sources.ndots = `inferred: a name with ${mostDotsExpanded} dots was search-expanded, so ndots is at least ${ndots}`;
  }

  if (overrides.searchList) {
    searchList = overrides.searchList;
    sources.searchList = 'given on the command line';
  }
  if (overrides.ndots !== undefined) {
    ndots = overrides.ndots;
    sources.ndots = 'given on the command line';
  }
  if (overrides.namespace !== undefined) {
    namespace = overrides.namespace;
    sources.namespace = 'given on the command line';
  }

  const nameservers = [...new Set(txs.map((t) => hostOf(t.server)))].sort();
  return { client, searchList, ndots, namespace, clusterDomain, nameservers, sources };
}
