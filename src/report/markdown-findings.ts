import type { Finding } from '../model.js';
import { frameList, impactText, ms, plural } from './format-numbers.js';
import { fenced, md } from './markdown-escape.js';
import { table } from './markdown-table.js';

/** Findings told in full, each with its remedy; the next ones are one table row each. */
const DETAILED = 10;

/**
 * Findings in the order the analysis ranked them (impact first): the first ones with evidence,
 * impact and remedy, the next ones as table rows, then "and N more".
 */
export function renderFindings(list: readonly Finding[], unit: 'frames' | 'lines', top: number): string[] {
  if (list.length === 0) return [];
  const out = ['## Findings', ''];
  const detailed = Math.min(top, DETAILED);
  list.slice(0, detailed).forEach((f, i) => {
    out.push(`### ${i + 1}. ${md(f.title)}`, '', md(f.summary), '');
    if (f.evidence.length > 0) out.push(`- **Evidence:** ${unit} ${frameList(f.evidence)}`);
    if (f.impact.queries > 0 || f.impact.ms > 0) out.push(`- **Impact:** ${impactText(f.impact)}`);
    out.push(`- **Remedy:** ${md(f.remedy)}`, '');
    if (f.snippet) out.push(...fenced(f.snippet, snippetLanguage(f.snippet)), '');
  });
  const rows = list.slice(detailed, top).map((f, i) => [String(detailed + i + 1), md(f.title), String(f.impact.queries), ms(f.impact.ms), frameList(f.evidence, 4)]);
  if (rows.length > 0) {
    out.push('### Further findings', '', table(['#', 'Finding', 'Queries', 'Time', unit[0].toUpperCase() + unit.slice(1)], rows, ['r', 'l', 'r', 'r', 'l']), '');
  }
  if (list.length > top) out.push(`…and ${plural(list.length - top, 'more finding')} of lower impact (see \`--format json\`).`, '');
  return out;
}

/** YAML when every line looks like YAML (a pod spec, a manifest), plain text otherwise (resolv.conf). */
function snippetLanguage(snippet: string): string {
  return snippet.split('\n').every((l) => /^\s*(#.*|-\s.*|[\w.-]+:.*|)$/.test(l)) ? 'yaml' : 'text';
}
