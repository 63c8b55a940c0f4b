import type { DiffSide, FindingSummary, LatencyStats, NameChange, OneSidedName, ReportDiff, ResolverPair, RewrittenName } from '../../diff/report-diff.js';
import type { ResolverProfile } from '../../model.js';
import { ms, plural } from '../format-numbers.js';
import { code as codeText, md as mdText } from '../markdown-escape.js';
import { table } from '../markdown-table.js';
import { amount, beforeAfter, showInvisible, outcomeChangeText, outcomeText, percent, signed, signedMs, verdictText } from './format-diff.js';

/** The shared markdown escaping, after invisible characters are made visible. */
const md = (s: string) => mdText(showInvisible(s));
const code = (s: string) => codeText(showInvisible(s));

export interface DiffMarkdownOptions {
  /** Rows shown in long tables before "and N more". */
  top: number;
}

/** The before/after review. Every capture-derived string goes through md() or code(). */
export function renderDiffMarkdown(d: ReportDiff, opts: DiffMarkdownOptions = { top: 20 }): string {
  const out: string[] = [];
  out.push(`# DNS diff: ${code(d.before.source)} → ${code(d.after.source)}`, '', verdict(d), '');
  out.push(...d.warnings.map((w) => `> **Warning:** ${md(w)}`), '');
  out.push(...totals(d));
  out.push(...names(d.names, opts.top));
  out.push(...rewritten(d.rewritten, opts.top));
  out.push(...oneSided(d.beforeOnly, d.afterOnly, opts.top));
  out.push(...servers(d, opts.top));
  out.push(...findings(d));
  out.push(...resolvers(d.resolvers, opts.top));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function verdict(d: ReportDiff): string {
  const count = (v: NameChange['verdict']) => d.names.filter((n) => n.verdict === v).length;
  const b = d.totals.before;
  const a = d.totals.after;
  const mixed = count('mixed');
  const names =
    d.names.length === 0
      ? 'No name was looked up on both sides.'
      : `Of ${plural(d.names.length, 'name')} looked up on both sides, ${count('improved')} improved, ${count('regressed')} regressed` +
        `${mixed ? `, ${mixed} mixed` : ''}, ${count('unchanged')} unchanged.`;
  return (
    `**Verdict:** ${names} ` +
    `DNS messages per lookup ${beforeAfter(b.messagesPerLookup, a.messagesPerLookup)}, ` +
    `NXDOMAIN share ${beforeAfter(b.nxdomainShare, a.nxdomainShare, percent)}, ` +
    `unanswered queries ${beforeAfter(b.unanswered, a.unanswered)}.` +
    (d.rewritten.length > 0 ? ` ${plural(d.rewritten.length, 'name')} written differently after reached the same answer.` : '') +
    (d.beforeOnly.length + d.afterOnly.length > 0
      ? ` ${plural(d.beforeOnly.length, 'name')} only before and ${d.afterOnly.length} only after are listed apart.`
      : '')
  );
}

function sourceText(s: DiffSide): string {
  return `${code(s.source)} (${s.format}${s.readFrom === 'json-report' ? ', from a JSON report' : ''})`;
}

function totals(d: ReportDiff): string[] {
  const b = d.totals.before;
  const a = d.totals.after;
  const row = (label: string, x: number | null, y: number | null) => [label, amount(x), amount(y), x === null || y === null ? '–' : signed(y - x)];
  const points = (p: number, q: number) => `${signed(Math.round((q - p) * 1000) / 10)} points`;
  const rows = [
    ['Source', sourceText(d.before), sourceText(d.after), ''],
    row('DNS messages per lookup', b.messagesPerLookup, a.messagesPerLookup),
    row('DNS messages', b.dnsMessages, a.dnsMessages),
    row('Queries', b.queries, a.queries),
    row('Lookups', b.lookups, a.lookups),
    row('Wasted queries', b.wastedQueries, a.wastedQueries),
    [
      'NXDOMAIN share of responses',
      `${percent(b.nxdomainShare)} (${b.nxdomain} of ${b.responses})`,
      `${percent(a.nxdomainShare)} (${a.nxdomain} of ${a.responses})`,
      b.nxdomainShare === null || a.nxdomainShare === null ? '–' : points(b.nxdomainShare, a.nxdomainShare),
    ],
    row('Unanswered queries', b.unanswered, a.unanswered),
    ...(b.malformed + a.malformed > 0 ? [row('Malformed frames or lines', b.malformed, a.malformed)] : []),
    ...(b.icmpUnreachable + a.icmpUnreachable > 0 ? [row('ICMP unreachable for DNS queries', b.icmpUnreachable, a.icmpUnreachable)] : []),
  ];
  return ['## Totals', '', table(['', 'Before', 'After', 'Change'], rows, ['l', 'r', 'r', 'r']), ''];
}

function change(before: number, after: number, delta: number, fmt: (n: number) => string, fmtDelta: (n: number) => string): string {
  if (before === after) return fmt(before);
  return `${fmt(before)} → ${fmt(after)} (${fmtDelta(delta)})`;
}

function changeCells(c: NameChange): string[] {
  return [
    beforeAfter(c.before.lookups, c.after.lookups),
    change(c.before.queriesPerLookup, c.after.queriesPerLookup, c.queriesPerLookupChange, amount, signed),
    change(c.before.wastedQueriesPerLookup, c.after.wastedQueriesPerLookup, c.wastedQueriesPerLookupChange, amount, signed),
    change(c.before.waitedMedianMs, c.after.waitedMedianMs, c.waitedMedianChangeMs, ms, signedMs),
    change(c.before.waitedP90Ms, c.after.waitedP90Ms, c.waitedP90ChangeMs, ms, signedMs),
    outcomeChangeText(c),
    verdictText(c),
  ];
}

const CHANGE_HEAD = ['Lookups', 'Queries per lookup', 'Wasted per lookup', 'Waited (median)', 'Waited (p90)', 'Outcome', 'Change'];
const CHANGE_ALIGN = ['r', 'r', 'r', 'r', 'r', 'l', 'l'] as const;

function names(list: readonly NameChange[], top: number): string[] {
  if (list.length === 0) return ['## Names looked up on both sides', '', 'No name was looked up on both sides, so nothing can be compared name by name.', ''];
  const rows = list.slice(0, top).map((c) => [code(c.name), ...changeCells(c)]);
  const out = [
    '## Names looked up on both sides',
    '',
    'Biggest improvements and regressions first. Waited is the time from the first query of a lookup to its final answer (median and p90 by nearest rank); a change under 5 ms or under 10% counts as unchanged.' +
      (list.some((c) => c.before.lookups === 1 || c.after.lookups === 1)
        ? ' A name looked up once on a side has a single wait there: one cold answer can look like a regression.'
        : ''),
    '',
    table(['Name', ...CHANGE_HEAD], rows, ['l', ...CHANGE_ALIGN]),
  ];
  if (list.length > top) out.push('', `…and ${list.length - top} more names (see \`--format json\`).`);
  return [...out, ''];
}

function rewritten(list: readonly RewrittenName[], top: number): string[] {
  if (list.length === 0) return [];
  const rows = list.slice(0, top).map((c) => [`${code(c.beforeName)} → ${code(c.name)}`, code(c.answeredName), ...changeCells(c)]);
  const out = [
    '## Names written differently, same answer',
    '',
    'Looked up under one name before and another after (a trailing dot, a fully qualified name), and answered by the same name on both sides.',
    '',
    table(['Before → after', 'Answered as', ...CHANGE_HEAD], rows, ['l', 'l', ...CHANGE_ALIGN]),
  ];
  if (list.length > top) out.push('', `…and ${list.length - top} more names (see \`--format json\`).`);
  return [...out, ''];
}

function oneSided(before: readonly OneSidedName[], after: readonly OneSidedName[], top: number): string[] {
  if (before.length === 0 && after.length === 0) return [];
  const out = ['## Names on one side only', '', 'Not compared: each was looked up in one capture only.', ''];
  const part = (title: string, list: readonly OneSidedName[]) => {
    if (list.length === 0) return;
    const rows = list.slice(0, top).map((n) => [code(n.name), String(n.stats.lookups), amount(n.stats.queriesPerLookup), amount(n.stats.wastedQueriesPerLookup), ms(n.stats.waitedMedianMs), outcomeText(n.stats)]);
    out.push(`### ${title} (${list.length})`, '', table(['Name', 'Lookups', 'Queries per lookup', 'Wasted per lookup', 'Waited (median)', 'Outcome'], rows, ['l', 'r', 'r', 'r', 'r', 'l']));
    if (list.length > top) out.push('', `…and ${list.length - top} more names.`);
    out.push('');
  };
  part('Only before', before);
  part('Only after', after);
  return out;
}

function servers(d: ReportDiff, top: number): string[] {
  if (d.servers.length === 0) return [];
  const pick = (s: LatencyStats | null, f: (s: LatencyStats) => number | null, fmt: (n: number | null) => string) => (s ? fmt(f(s)) : '–');
  const cell = (b: LatencyStats | null, a: LatencyStats | null, f: (s: LatencyStats) => number | null, fmt: (n: number | null) => string = amount) => {
    const x = pick(b, f, fmt);
    const y = pick(a, f, fmt);
    return x === y ? x : `${x} → ${y}`;
  };
  const rows = d.servers.slice(0, top).map((s) => [
    code(s.server),
    cell(s.before, s.after, (x) => x.answered),
    cell(s.before, s.after, (x) => x.unanswered),
    cell(s.before, s.after, (x) => x.p50Ms, ms),
    cell(s.before, s.after, (x) => x.p90Ms, ms),
    cell(s.before, s.after, (x) => x.p99Ms, ms),
    cell(s.before, s.after, (x) => x.maxMs, ms),
  ]);
  const out = [
    '## Latency per server',
    '',
    'Before → after; – where the server was not asked on that side. Percentiles of answered queries, by nearest rank.',
    '',
    table(['Server', 'Answered', 'Unanswered', 'p50', 'p90', 'p99', 'Max'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r']),
  ];
  if (d.servers.length > top) out.push('', `…and ${d.servers.length - top} more servers.`);
  return [...out, ''];
}

function findings(d: ReportDiff): string[] {
  const f = d.findings;
  if (f.gone.length + f.new.length + f.remaining.length === 0) return ['## Findings', '', 'No findings on either side.', ''];
  const impact = (x: FindingSummary) => `${plural(x.impact.queries, 'query', 'queries')}${x.impact.ms > 0 ? `, ${ms(x.impact.ms)}` : ''}`;
  const hasImpact = (x: FindingSummary) => x.impact.queries > 0 || x.impact.ms > 0;
  const out = ['## Findings', ''];
  const part = (title: string, lines: string[]) => {
    out.push(`### ${title} (${lines.length})`, '', ...(lines.length ? lines : ['None.']), '');
  };
  part('Gone after', f.gone.map((x) => `- **${md(x.title)}**: ${md(x.summary)}${hasImpact(x) ? ` (was ${impact(x)})` : ''}`));
  part('New after', f.new.map((x) => `- **${md(x.title)}**: ${md(x.summary)}${hasImpact(x) ? ` (${impact(x)})` : ''}`));
  part(
    'Still present',
    f.remaining.map((x) => `- **${md(x.after.title)}**${hasImpact(x.before) || hasImpact(x.after) ? `: impact ${impact(x.before)} → ${impact(x.after)}` : ''}`),
  );
  return out;
}

function resolvers(pairs: readonly ResolverPair[], top: number): string[] {
  if (pairs.length === 0) return [];
  const out = ['## Resolver profiles (inferred)', '', 'Did the configuration change reach the clients? What the queries show of each resolv.conf, before and after.', ''];
  for (const p of pairs.slice(0, top)) {
    const side = (r: ResolverProfile | null, f: (r: ResolverProfile) => string) => (r ? f(r) : '–');
    const how = (r: ResolverProfile, key: string) => (r.sources[key] ? ` (${md(r.sources[key])})` : '');
    const row = (label: string, field: ResolverPair['changed'][number] | null, f: (r: ResolverProfile) => string) => [
      label,
      side(p.before, f),
      side(p.after, f),
      field && p.before && p.after ? (p.changed.includes(field) ? '**changed**' : 'same') : '',
    ];
    const rows = [
      row('Client', null, (r) => code(r.client)),
      row('search', 'searchList', (r) => (r.searchList.length ? r.searchList.map(code).join(' ') : '(none seen)') + how(r, 'searchList')),
      row('ndots', 'ndots', (r) => (r.ndots === null ? '(unknown)' : String(r.ndots)) + how(r, 'ndots')),
      row('Namespace', 'namespace', (r) => (r.namespace === null ? '–' : code(r.namespace))),
      row('Nameservers', 'nameservers', (r) => r.nameservers.map(code).join(', ')),
    ];
    out.push(table(['', 'Before', 'After', ''], rows), '');
  }
  if (pairs.length > top) out.push(`…and ${pairs.length - top} more clients (see \`--format json\`).`, '');
  return out;
}
