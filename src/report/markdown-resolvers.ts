import type { ResolverProfile } from '../model.js';
import { code, fenced, md } from './markdown-escape.js';

/** Each client's inferred /etc/resolv.conf, ready to compare with the pod's, and where each value came from. */
export function renderResolvers(profiles: readonly ResolverProfile[], top: number): string[] {
  if (profiles.length === 0) return [];
  const out = ['## Resolver profiles (inferred)', ''];
  for (const p of profiles.slice(0, top)) {
    out.push(`**${code(p.client)}**${p.namespace ? ` (namespace ${code(p.namespace)}${p.clusterDomain ? `, cluster domain ${code(p.clusterDomain)}` : ''})` : ''}`, '');
    out.push(...fenced(resolvConf(p).join('\n')), '');
    const why = Object.entries(p.sources).map(([k, v]) => `- ${md(k)}: ${md(v)}`);
    if (why.length) out.push(...why, '');
  }
  if (profiles.length > top) out.push(`…and ${profiles.length - top} more clients (see \`--format json\`).`, '');
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
