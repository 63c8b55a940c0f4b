import type { FindingSummary, LatencyStats, NameChange, OneSidedName, ReportDiff, ResolverPair, RewrittenName } from '../../diff/report-diff.js';
import type { ResolverProfile } from '../../model.js';
import { ms, plural } from '../format-numbers.js';
import { stripControls } from '../markdown-escape.js';
import { amount, beforeAfter, showInvisible, outcomeChangeText, outcomeText, percent, signed, signedMs, verdictText } from './format-diff.js';

export interface DiffTextOptions {
  top: number;
}

/**
 * The diff for a terminal: plain aligned columns. Capture-derived strings go through safe(),
 * which shows control characters as \xNN so nothing in a name can move the cursor or recolour
 * the terminal.
 */
export function renderDiffText(d: ReportDiff, opts: DiffTextOptions = { top: 20 }): string {
  const out: string[] = [];
  out.push(`DNS diff: ${safe(d.before.source)} -> ${safe(d.after.source)}`, '');
  out.push(...d.warnings.map((w) => `warning: ${safe(w)}`));
  const b = d.totals.before;
  const a = d.totals.after;
  out.push(
    'Totals',
    indent(columns([
      ['', 'before', 'after'],
      ['DNS messages per lookup', amount(b.messagesPerLookup), amount(a.messagesPerLookup)],
      ['DNS messages', String(b.dnsMessages), String(a.dnsMessages)],
      ['Lookups', String(b.lookups), String(a.lookups)],
      ['Wasted queries', String(b.wastedQueries), String(a.wastedQueries)],
      ['NXDOMAIN share', `${percent(b.nxdomainShare)} (${b.nxdomain}/${b.responses})`, `${percent(a.nxdomainShare)} (${a.nxdomain}/${a.responses})`],
      ['Unanswered queries', String(b.unanswered), String(a.unanswered)],
      ...(b.malformed + a.malformed > 0 ? [['Malformed frames or lines', String(b.malformed), String(a.malformed)]] : []),
      ...(b.icmpUnreachable + a.icmpUnreachable > 0 ? [['ICMP unreachable for DNS', String(b.icmpUnreachable), String(a.icmpUnreachable)]] : []),
    ])),
    '',
  );
  out.push(...names(d.names, opts.top), ...rewritten(d.rewritten, opts.top), ...oneSided('Only before', d.beforeOnly, opts.top), ...oneSided('Only after', d.afterOnly, opts.top));
  out.push(...servers(d, opts.top), ...findings(d), ...resolvers(d.resolvers, opts.top));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function safe(s: string): string {
  return showInvisible(stripControls(s));
}

/** Left-aligned first column, the rest padded to a common width. */
function columns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function cell(before: number, after: number, delta: number, fmt: (n: number) => string, fmtDelta: (n: number) => string): string {
  return before === after ? fmt(before) : `${fmt(before)} -> ${fmt(after)} (${fmtDelta(delta)})`;
}

function changeCells(c: NameChange): string[] {
  return [
    beforeAfter(c.before.lookups, c.after.lookups).replace('→', '->'),
    cell(c.before.queriesPerLookup, c.after.queriesPerLookup, c.queriesPerLookupChange, amount, signed),
    cell(c.before.wastedQueriesPerLookup, c.after.wastedQueriesPerLookup, c.wastedQueriesPerLookupChange, amount, signed),
    cell(c.before.waitedMedianMs, c.after.waitedMedianMs, c.waitedMedianChangeMs, ms, signedMs),
    cell(c.before.waitedP90Ms, c.after.waitedP90Ms, c.waitedP90ChangeMs, ms, signedMs),
    outcomeChangeText(c).replace('→', '->'),
    verdictText(c),
  ];
}

const CHANGE_HEAD = ['lookups', 'queries/lookup', 'wasted/lookup', 'waited median', 'waited p90', 'outcome', 'change'];

function names(list: readonly NameChange[], top: number): string[] {
  const out = [`Names looked up on both sides (${list.length}), biggest changes first`];
  if (list.length === 0) return [...out, '  none', ''];
  out.push(indent(columns([['name', ...CHANGE_HEAD], ...list.slice(0, top).map((c) => [safe(c.name), ...changeCells(c)])])));
  if (list.length > top) out.push(`  ...and ${list.length - top} more names (see --format json)`);
  return [...out, ''];
}

function rewritten(list: readonly RewrittenName[], top: number): string[] {
  if (list.length === 0) return [];
  const rows = list.slice(0, top).map((c) => [`${safe(c.beforeName)} -> ${safe(c.name)}`, safe(c.answeredName), ...changeCells(c)]);
  const out = [`Names written differently, same answer (${list.length})`, indent(columns([['before -> after', 'answered as', ...CHANGE_HEAD], ...rows]))];
  if (list.length > top) out.push(`  ...and ${list.length - top} more names (see --format json)`);
  return [...out, ''];
}

function oneSided(title: string, list: readonly OneSidedName[], top: number): string[] {
  if (list.length === 0) return [];
  const rows = [
    ['name', 'lookups', 'queries/lookup', 'waited median', 'outcome'],
    ...list.slice(0, top).map((n) => [safe(n.name), String(n.stats.lookups), amount(n.stats.queriesPerLookup), ms(n.stats.waitedMedianMs), outcomeText(n.stats)]),
  ];
  const out = [`${title} (${list.length}), not compared`, indent(columns(rows))];
  if (list.length > top) out.push(`  ...and ${list.length - top} more names`);
  return [...out, ''];
}

function servers(d: ReportDiff, top: number): string[] {
  if (d.servers.length === 0) return [];
  const v = (s: LatencyStats | null, f: (s: LatencyStats) => number | null, fmt: (n: number | null) => string) => (s ? fmt(f(s)) : '–');
  const ba = (x: string, y: string) => (x === y ? x : `${x} -> ${y}`);
  const rows = [
    ['server', 'answered', 'unanswered', 'p50', 'p90', 'p99', 'max'],
    ...d.servers.slice(0, top).map((s) => [
      safe(s.server),
      ba(v(s.before, (x) => x.answered, amount), v(s.after, (x) => x.answered, amount)),
      ba(v(s.before, (x) => x.unanswered, amount), v(s.after, (x) => x.unanswered, amount)),
      ba(v(s.before, (x) => x.p50Ms, ms), v(s.after, (x) => x.p50Ms, ms)),
      ba(v(s.before, (x) => x.p90Ms, ms), v(s.after, (x) => x.p90Ms, ms)),
      ba(v(s.before, (x) => x.p99Ms, ms), v(s.after, (x) => x.p99Ms, ms)),
      ba(v(s.before, (x) => x.maxMs, ms), v(s.after, (x) => x.maxMs, ms)),
    ]),
  ];
  const out = ['Latency per server (before -> after)', indent(columns(rows))];
  if (d.servers.length > top) out.push(`  ...and ${d.servers.length - top} more servers`);
  return [...out, ''];
}

function findings(d: ReportDiff): string[] {
  const f = d.findings;
  const impact = (x: FindingSummary) => `${plural(x.impact.queries, 'query', 'queries')}${x.impact.ms > 0 ? `, ${ms(x.impact.ms)}` : ''}`;
  const has = (x: FindingSummary) => x.impact.queries > 0 || x.impact.ms > 0;
  return [
    `Findings gone after (${f.gone.length})`,
    ...f.gone.map((x) => `  - ${safe(x.title)}${has(x) ? ` (was ${impact(x)})` : ''}`),
    `Findings new after (${f.new.length})`,
    ...f.new.map((x) => `  - ${safe(x.title)}${has(x) ? ` (${impact(x)})` : ''}`),
    `Findings still present (${f.remaining.length})`,
    ...f.remaining.map((x) => `  - ${safe(x.after.title)}${has(x.before) || has(x.after) ? ` (${impact(x.before)} -> ${impact(x.after)})` : ''}`),
    '',
  ];
}

function resolvers(pairs: readonly ResolverPair[], top: number): string[] {
  if (pairs.length === 0) return [];
  const out = ['Resolver profiles (inferred)'];
  for (const p of pairs.slice(0, top)) {
    const side = (r: ResolverProfile | null, f: (r: ResolverProfile) => string) => (r ? safe(f(r)) : '–');
    const mark = (field: ResolverPair['changed'][number]) => (p.before && p.after ? (p.changed.includes(field) ? 'changed' : 'same') : '');
    const rows = [
      ['', 'before', 'after', ''],
      ['client', side(p.before, (r) => r.client), side(p.after, (r) => r.client), ''],
      ['search', side(p.before, (r) => r.searchList.join(' ') || '(none seen)'), side(p.after, (r) => r.searchList.join(' ') || '(none seen)'), mark('searchList')],
      ['ndots', side(p.before, ndotsText), side(p.after, ndotsText), mark('ndots')],
      ['namespace', side(p.before, (r) => r.namespace ?? '–'), side(p.after, (r) => r.namespace ?? '–'), mark('namespace')],
      ['nameservers', side(p.before, (r) => r.nameservers.join(', ')), side(p.after, (r) => r.nameservers.join(', ')), mark('nameservers')],
    ];
    out.push(indent(columns(rows)), '');
  }
  if (pairs.length > top) out.push(`  ...and ${pairs.length - top} more clients (see --format json)`, '');
  return out;
}

function ndotsText(r: ResolverProfile): string {
  const n = r.ndots === null ? '(unknown)' : String(r.ndots);
  return r.sources.ndots?.startsWith('assumed') ? `${n} (assumed)` : n;
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
