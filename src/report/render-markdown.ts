import type { Finding, Lookup, Report } from '../model.js';
import { frameList, ms, plural, timestamp } from './format-numbers.js';
import { code, md } from './markdown-escape.js';
import { table } from './markdown-table.js';

export interface MarkdownOptions {
  /** Rows shown in long tables before "and N more". */
  top: number;
}

/** The incident-review report. Every capture-derived string goes through md() or code(). */
export function renderMarkdown(r: Report, opts: MarkdownOptions = { top: 20 }): string {
  const out: string[] = [];
  out.push(`# DNS report: ${md(r.input.source)}`, '', verdict(r), '');
  out.push(...warnings(r));
  out.push(...captureSummary(r));
  out.push(...findings(r.findings, r.input.format === 'text' ? 'lines' : 'frames'));
  out.push(...comparison(r.lookups));
  out.push(...lookupsTable(r.lookups, opts.top));
  out.push(...walks(r.lookups, opts.top));
  out.push(...resolvers(r));
  out.push(...anomalies(r, opts.top));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function verdict(r: Report): string {
  const f = r.findings[0];
  if (!f) {
    return r.lookups.length === 0
      ? '**Verdict:** no DNS lookups were found.'
      : `**Verdict:** nothing wrong stood out in ${plural(r.lookups.length, 'lookup')}.`;
  }
  return `**Verdict:** ${md(f.summary)}`;
}

function warnings(r: Report): string[] {
  if (r.warnings.length === 0) return [];
  return [...r.warnings.map((w) => `> **Warning:** ${md(w)}`), ''];
}

function captureSummary(r: Report): string[] {
  const s = r.summary;
  const fa = s.frameAccounting;
  const clients = new Set(r.transactions.map((t) => t.client.replace(/:\d+$/, ''))).size;
  const servers = new Set(r.transactions.map((t) => t.server)).size;
  const unit = r.input.format === 'text' ? 'lines' : 'frames';
  const rows: string[][] = [
    ['Source', `${code(r.input.source)} (${r.input.format})`],
    ['Time span', `${timestamp(s.firstTimeUs)} → ${timestamp(s.lastTimeUs)}`],
    [
      unit[0].toUpperCase() + unit.slice(1),
      `${fa.frames} (${fa.dns} DNS, ${fa.notDns} other, ${fa.malformed} malformed, ${fa.truncated} truncated` +
        `${fa.unsupportedLinkType ? `, ${fa.unsupportedLinkType} unsupported link type` : ''}${fa.ipFragmentsPending ? `, ${fa.ipFragmentsPending} IP fragments` : ''})`,
    ],
    ['DNS messages', `${s.dnsMessages} (${s.queries} queries, ${s.responses} responses)`],
    ['Transactions', `${s.transactions} (${s.unanswered} unanswered)`],
    ['Lookups', `${s.lookups} (${s.wastedQueries} wasted queries)`],
    ['Clients / servers', `${clients} / ${servers}`],
  ];
  if (r.input.linkTypes.length > 0) rows.splice(1, 0, ['Link types', r.input.linkTypes.join(', ')]);
  return ['## Capture', '', table(['', ''], rows), ''];
}

function findings(list: readonly Finding[], unit: string): string[] {
  if (list.length === 0) return [];
  const out = ['## Findings', ''];
  list.forEach((f, i) => {
    out.push(`### ${i + 1}. ${md(f.title)}`, '', md(f.summary), '');
    if (f.evidence.length > 0) out.push(`- **Evidence:** ${unit} ${frameList(f.evidence)}`);
    if (f.impact.queries > 0 || f.impact.ms > 0) out.push(`- **Impact:** ${plural(f.impact.queries, 'query', 'queries')}, ${ms(f.impact.ms)}`);
    out.push(`- **Remedy:** ${md(f.remedy)}`, '');
    if (f.snippet) out.push('```yaml', f.snippet.replace(/```/g, '` ` `'), '```', '');
  });
  return out;
}

/** The heart of the product: a search-path walk beside a one-round-trip answer. */
function comparison(lookups: readonly Lookup[]): string[] {
  const walk = lookups.find((l) => l.kind === 'search-expansion' && l.outcome === 'answered');
  const direct = lookups.find((l) => l.kind === 'externalname') ?? lookups.find((l) => l.kind === 'autopath');
  if (!walk) {
    if (!direct) return [];
    return ['## ExternalName hit', '', ...directLines(direct), ''];
  }
  const cols = [walk, ...(direct ? [direct] : [])];
  const head = ['', ...cols.map((l) => `${code(l.name)} (${l.kind})`), ...(direct ? [] : [`${code(`${walk.name}.`)} (fully qualified, what-if)`])];
  const rows: string[][] = [
    ['Name as written', ...cols.map((l) => code(l.name)), ...(direct ? [] : [code(`${walk.name}.`)])],
    ['Answered as', ...cols.map((l) => (l.answeredName ? code(l.answeredName) : '–')), ...(direct ? [] : [code(walk.name)])],
    ['Queries', ...cols.map((l) => String(l.queries)), ...(direct ? [] : [String(walk.fqdnQueries)])],
    ['Wasted queries', ...cols.map((l) => String(l.wastedQueries)), ...(direct ? [] : ['0'])],
    ['Time to answer', ...cols.map((l) => ms(l.elapsedMs)), ...(direct ? [] : [ms(walk.fqdnMs)])],
    ['Answer', ...cols.map(answerText), ...(direct ? [] : [answerText(walk)])],
  ];
  const out = ['## Search path versus a direct answer', ''];
  out.push(
    `The lookup of ${code(walk.name)} went through ${walk.attempts
      .filter((a) => a.wasted && a.suffix)
      .map((a) => code(a.name))
      .filter((v, i, arr) => arr.indexOf(v) === i)
      .join(', ')} (${plural(walk.wastedQueries, 'wasted query', 'wasted queries')}) before ${code(walk.answeredName ?? walk.name)} answered: ` +
      `${plural(walk.queries, 'query', 'queries')} in ${ms(walk.elapsedMs)}. As a fully qualified name (${code(`${walk.name}.`)}) or through an ExternalName Service it would have taken one round trip` +
      `${walk.fqdnMs !== null ? ` (${ms(walk.fqdnMs)} for the final step here)` : ''}.`,
    '',
  );
  if (direct) out.push(...directLines(direct), '');
  out.push(table(head, rows), '');
  return out;
}

function directLines(l: Lookup): string[] {
  return [
    `${code(l.name)} was answered on the first search suffix as ${code(l.answeredName ?? l.name)} with a CNAME to ${code(l.cname ?? '')}` +
      `${l.addresses.length ? ` and its ${plural(l.addresses.length, 'address', 'addresses')} (${l.addresses.map(code).join(', ')})` : ''}: ` +
      `${l.kind === 'externalname' ? 'an ExternalName hit' : 'a CoreDNS autopath answer'}, ${plural(l.queries, 'query', 'queries')}, ${ms(l.elapsedMs)}.` +
      (l.kind === 'externalname' ? ` Caveat: HTTP Host and TLS SNI carry ${code(l.name)}, not ${code(l.cname ?? '')}.` : ''),
  ];
}

function answerText(l: Lookup): string {
  const parts = [...(l.cname ? [`CNAME ${code(l.cname)}`] : []), ...l.addresses.map(code)];
  return parts.length ? parts.join(', ') : l.outcome;
}

function lookupsTable(lookups: readonly Lookup[], top: number): string[] {
  if (lookups.length === 0) return [];
  const rows = lookups.slice(0, top).map((l) => [
    code(l.name),
    code(l.client),
    l.kind,
    l.outcome,
    String(l.queries),
    String(l.wastedQueries),
    ms(l.elapsedMs),
    l.answeredName ? code(l.answeredName) : '–',
    l.firstFrame !== null ? `${l.firstFrame}–${l.lastFrame}` : '–',
  ]);
  const out = ['## Lookups', '', table(['Name', 'Client', 'Kind', 'Outcome', 'Queries', 'Wasted', 'Time', 'Answered as', 'Frames'], rows, ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'l', 'l'])];
  if (lookups.length > top) out.push('', `…and ${lookups.length - top} more lookups (see \`--format json\`).`);
  return [...out, ''];
}

function walks(lookups: readonly Lookup[], top: number): string[] {
  const walked = lookups.filter((l) => l.wastedQueries > 0).sort((a, b) => b.elapsedMs - a.elapsedMs).slice(0, Math.min(top, 5));
  if (walked.length === 0) return [];
  const out = ['## Search-path walks', ''];
  for (const l of walked) {
    out.push(`### ${code(l.name)} from ${code(l.client)}`, '');
    const rows = l.attempts.map((a, i) => [
      String(i + 1),
      code(a.name),
      a.suffix ? code(a.suffix) : '(as written)',
      md(a.type),
      a.rcode ?? 'no answer',
      ms(a.latencyMs),
      a.wasted ? 'yes' : 'no',
      `${a.queryFrame ?? '–'}${a.responseFrame !== null ? `, ${a.responseFrame}` : ''}`,
    ]);
    out.push(table(['#', 'Query', 'Suffix', 'Type', 'Answer', 'Latency', 'Wasted', 'Frames'], rows, ['r', 'l', 'l', 'l', 'l', 'r', 'l', 'l']), '');
  }
  return out;
}

function resolvers(r: Report): string[] {
  if (r.resolvers.length === 0) return [];
  const out = ['## Resolver profiles (inferred)', ''];
  for (const p of r.resolvers) {
    out.push(`**${code(p.client)}**`, '', '```', ...resolvConf(p), '```', '');
    const why = Object.entries(p.sources).map(([k, v]) => `- ${k}: ${md(v)}`);
    if (why.length) out.push(...why, '');
  }
  return out;
}

function resolvConf(p: Report['resolvers'][number]): string[] {
  const safe = (s: string) => s.replace(/[^\x21-\x7e]/g, '?').replace(/`/g, "'");
  const lines = p.nameservers.map((n) => `nameserver ${safe(n)}`);
  if (p.searchList.length) lines.push(`search ${p.searchList.map(safe).join(' ')}`);
  if (p.ndots !== null) lines.push(`options ndots:${p.ndots}`);
  return lines;
}

function anomalies(r: Report, top: number): string[] {
  if (r.anomalies.length === 0) return [];
  const rows = r.anomalies.slice(0, top).map((a) => [a.frame === null ? '–' : String(a.frame), a.code, md(a.detail)]);
  const out = ['## Anomalies', '', table([r.input.format === 'text' ? 'Line' : 'Frame', 'Code', 'Detail'], rows)];
  if (r.anomalies.length > top) out.push('', `…and ${r.anomalies.length - top} more anomalies.`);
  return [...out, ''];
}
