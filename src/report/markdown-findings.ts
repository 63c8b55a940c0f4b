import type { Finding } from '../model.js';
import { frameList, ms, plural } from './format-numbers.js';
import { fenced, md } from './markdown-escape.js';

/** Findings in the order the analysis ranked them (impact first), each with evidence, impact and remedy. */
export function renderFindings(list: readonly Finding[], unit: 'frames' | 'lines'): string[] {
  if (list.length === 0) return [];
  const out = ['## Findings', ''];
  list.forEach((f, i) => {
    out.push(`### ${i + 1}. ${md(f.title)}`, '', md(f.summary), '');
    if (f.evidence.length > 0) out.push(`- **Evidence:** ${unit} ${frameList(f.evidence)}`);
    if (f.impact.queries > 0 || f.impact.ms > 0) out.push(`- **Impact:** ${plural(f.impact.queries, 'query', 'queries')}, ${ms(f.impact.ms)}`);
    out.push(`- **Remedy:** ${md(f.remedy)}`, '');
    if (f.snippet) out.push(...fenced(f.snippet, snippetLanguage(f.snippet)), '');
  });
  return out;
}

/** YAML when every line looks like YAML (a pod spec, a manifest), plain text otherwise (resolv.conf). */
function snippetLanguage(snippet: string): string {
  return snippet.split('\n').every((l) => /^\s*(#.*|-\s.*|[\w.-]+:.*|)$/.test(l)) ? 'yaml' : 'text';
}
