import type { ResolverProfile } from '../model.js';
import type { ProfileField, ResolverPair } from './report-diff.js';

/**
 * Puts each client's inferred resolv.conf before beside the one after. The same client address
 * pairs with itself; when a fix redeployed the pod, the new pod has a new address, so a lone
 * client on each side is paired too (the usual single-pod capture). Anything else stays unpaired.
 */
export function pairResolverProfiles(before: readonly ResolverProfile[], after: readonly ResolverProfile[]): ResolverPair[] {
  const afterByClient = new Map(after.map((p) => [p.client, p]));
  const pairs: ResolverPair[] = [];
  const lonelyBefore: ResolverProfile[] = [];
  const used = new Set<ResolverProfile>();
  for (const b of before) {
    const a = afterByClient.get(b.client);
    if (a) {
      pairs.push(pairOf(b, a));
      used.add(a);
    } else {
      lonelyBefore.push(b);
    }
  }
  const lonelyAfter = after.filter((a) => !used.has(a));
  if (lonelyBefore.length === 1 && lonelyAfter.length === 1) return [...pairs, pairOf(lonelyBefore[0], lonelyAfter[0])];
  return [...pairs, ...lonelyBefore.map((b) => pairOf(b, null)), ...lonelyAfter.map((a) => pairOf(null, a))];
}

function pairOf(before: ResolverProfile | null, after: ResolverProfile | null): ResolverPair {
  const changed: ProfileField[] = [];
  if (before && after) {
    if (before.searchList.join(' ') !== after.searchList.join(' ')) changed.push('searchList');
    if (before.ndots !== after.ndots) changed.push('ndots');
    if (before.namespace !== after.namespace) changed.push('namespace');
    if (before.nameservers.join(' ') !== after.nameservers.join(' ')) changed.push('nameservers');
  }
  return { before, after, changed };
}
