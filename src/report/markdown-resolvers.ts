import type { ResolverProfile } from '../model.js';
import { code, fenced, md } from './markdown-escape.js';

/** Clients named in one profile's heading before "and N more". */
const CLIENTS_NAMED = 5;

/**
 * A count standing on its own in a source's text ("inferred from 3086 search steps"), not part of
 * a name or an address ("n12.example", "10.96.0.10"): clients that differ only in such counts
 * share one block.
 */
const COUNT = /(?<![\w.:-])\d+(?![\w.:-])/g;

/**
 * Each inferred /etc/resolv.conf, ready to compare with the pod's, and where each value came
 * from. Clients with the same profile (every pod of a Deployment) share one block, even when the
 * evidence behind it was counted differently on each (a range then gives the counts).
 */
export function renderResolvers(profiles: readonly ResolverProfile[], top: number): string[] {
  if (profiles.length === 0) return [];
  const groups = new Map<string, ResolverProfile[]>();
  for (const p of profiles) {
    const sources = Object.entries(p.sources).map(([k, v]) => [k, v.replace(COUNT, '#')]);
    const key = JSON.stringify([resolvConf(p), p.namespace, p.clusterDomain, sources]);
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
    let ranged = false;
    const why = Object.keys(p.sources).map((k) => {
      const text = mergeCounts(clients.map((c) => c.sources[k]));
      ranged ||= text.ranged;
      return `- ${md(k)}: ${md(text.text)}`;
    });
    if (why.length) out.push(...why, '');
    if (ranged) out.push('Where the counts of these clients differ, a range gives the lowest and the highest.', '');
  }
  if (blocks.length > top) out.push(`…and ${blocks.length - top} more profiles (see \`--format json\`).`, '');
  return out;
}

/** Texts equal but for their counts, as one: each count that differs becomes "lowest–highest". */
function mergeCounts(texts: readonly string[]): { text: string; ranged: boolean } {
  const counts = texts.map((t) => [...t.matchAll(COUNT)].map((m) => Number(m[0])));
  let i = 0;
  let ranged = false;
  const text = texts[0].replace(COUNT, (first) => {
    const here = counts.map((c) => c[i]);
    i++;
    const lo = Math.min(...here);
    const hi = Math.max(...here);
    if (lo === hi) return first;
    ranged = true;
    return `${lo}–${hi}`;
  });
  return { text, ranged };
}

/**
 * resolv.conf(5) lines; a value with spaces or controls would be a different directive, so it is
 * made visible. The options are glibc's: timeout in whole seconds, and single-request or
 * single-request-reopen for A and AAAA sent one after the other (on one socket, or two).
 */
function resolvConf(p: ResolverProfile): string[] {
  const safe = (s: string) => s.replace(/[^\x21-\x7e]/g, '?');
  const lines = p.nameservers.map((n) => `nameserver ${safe(n)}`);
  if (p.searchList.length) lines.push(`search ${p.searchList.map(safe).join(' ')}`);
  const options: string[] = [];
  if (p.ndots !== null) options.push(`ndots:${p.ndots}`);
  if (p.timeoutMs !== null) options.push(`timeout:${Math.max(1, Math.round(p.timeoutMs / 1000))}`);
  if (p.attempts !== null) options.push(`attempts:${p.attempts}`);
  if (p.aaaaMode === 'serial') options.push('single-request');
  if (p.aaaaMode === 'serial-reopen') options.push('single-request-reopen');
  if (options.length) lines.push(`options ${options.join(' ')}`);
  if (lines.length === 0) lines.push('# nothing could be inferred');
  return lines;
}
