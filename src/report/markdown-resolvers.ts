import type { ResolverProfile } from '../model.js';
import { code, fenced, md } from './markdown-escape.js';

/** Clients named in one profile's heading before "and N more". */
const CLIENTS_NAMED = 5;

/**
 * Each inferred /etc/resolv.conf, ready to compare with the pod's, and where each value came
 * from. Clients with the same profile (every pod of a Deployment) share one block.
 */
export function renderResolvers(profiles: readonly ResolverProfile[], top: number): string[] {
  if (profiles.length === 0) return [];
  const groups = new Map<string, ResolverProfile[]>();
  for (const p of profiles) {
    const key = JSON.stringify([resolvConf(p), p.namespace, p.clusterDomain, p.sources]);
    const list = groups.get(key);
    if (list) list.push(p);
    else groups.set(key, [p]);
  }
  const out = ['## Resolver profiles (inferred)', ''];
  const blocks = [...groups.values()];
  for (const clients of blocks.slice(0, top)) {
    const p = clients[0];
    const names = clients.slice(0, CLIENTS_NAMED).map((c) => code(c.client)).join(', ');
    const more = clients.length > CLIENTS_NAMED ? ` and ${clients.length - CLIENTS_NAMED} more (${clients.length} clients)` : '';
    out.push(`**${names}${more}**${p.namespace ? ` (namespace ${code(p.namespace)}${p.clusterDomain ? `, cluster domain ${code(p.clusterDomain)}` : ''})` : ''}`, '');
    out.push(...fenced(resolvConf(p).join('\n')), '');
    const why = Object.entries(p.sources).map(([k, v]) => `- ${md(k)}: ${md(v)}`);
    if (why.length) out.push(...why, '');
  }
  if (blocks.length > top) out.push(`…and ${blocks.length - top} more profiles (see \`--format json\`).`, '');
  return out;
}

/** resolv.conf(5) lines; a value with spaces or controls would be a different directive, so it is made visible. */
function resolvConf(p: ResolverProfile): string[] {
  const safe = (s: string) => s.replace(/[^\x21-\x7e]/g, '?');
  const lines = p.nameservers.map((n) => `nameserver ${safe(n)}`);
  if (p.searchList.length) lines.push(`search ${p.searchList.map(safe).join(' ')}`);
  if (p.ndots !== null) lines.push(`options ndots:${p.ndots}`);
  if (lines.length === 0) lines.push('# nothing could be inferred');
  return lines;
}
