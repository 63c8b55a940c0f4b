import type { Report } from '../model.js';
import { aggregatesOf, lookupAt } from './report-aggregates.js';
import { ms, plural } from './format-numbers.js';
import { code, md } from './markdown-escape.js';
import { table } from './markdown-table.js';

/** Timelines detailed at most, whatever --top says: each is a table of its own. */
const MAX_TIMELINES = 5;

function listRest(total: number, shown: number, what: string): string[] {
  return total > shown ? ['', `…and ${total - shown} more ${what} (see \`--format json\` or \`--format jsonl\`).`] : [];
}

/** Every lookup, identical walks grouped into one row with a count, so the table never grows with the capture. */
export function renderWalkGroups(r: Report, top: number): string[] {
  const groups = aggregatesOf(r).walkGroups;
  if (groups.length === 0) return [];
  const rows = groups.slice(0, top).map((g) => {
    const ex = lookupAt(r, g.example);
    return [
      code(g.name),
      ex.kind,
      g.outcome,
      String(g.lookups),
      String(g.clients),
      String(g.queries),
      String(g.wastedQueries),
      ms(g.maxMs),
      ex.answeredName ? code(ex.answeredName) : '–',
      ex.firstFrame !== null ? `${ex.firstFrame}–${ex.lastFrame}` : '–',
    ];
  });
  const unit = r.input.format === 'text' ? 'Lines' : 'Frames';
  const out = [
    '## Lookups',
    '',
    `${plural(r.summary.lookups, 'lookup')} in ${plural(groups.length, 'distinct walk')}; identical walks (same name, attempts and answers) share a row. ${unit} are those of the slowest lookup of each row.`,
    '',
    table(['Name', 'Kind', 'Outcome', 'Lookups', 'Clients', 'Queries', 'Wasted', 'Slowest', 'Answered as', unit], rows, ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'l', 'l']),
    ...listRest(groups.length, Math.min(top, groups.length), 'distinct walks'),
  ];
  return [...out, ''];
}

/** The slowest lookups attempt by attempt, with when each query left relative to the first. */
export function renderTimelines(r: Report, top: number): string[] {
  const timelines = aggregatesOf(r).slowestLookups.slice(0, Math.min(top, MAX_TIMELINES));
  if (timelines.length === 0) return [];
  const unit = r.input.format === 'text' ? 'Lines' : 'Frames';
  const out = ['## Slowest lookups', ''];
  for (const t of timelines) {
    const l = lookupAt(r, t.lookup);
    out.push(`### ${code(l.name)} from ${code(l.client)}: ${l.outcome}, ${ms(l.elapsedMs)}, ${plural(l.queries, 'query', 'queries')} (${l.wastedQueries} wasted)`, '');
    const rows = l.attempts.map((a, i) => [
      String(i + 1),
      t.offsetsMs[i] === null ? '–' : `+${ms(t.offsetsMs[i])}`,
      code(a.name),
      a.suffix ? code(a.suffix) : '(as written)',
      md(a.type),
      a.rcode === null ? 'no answer' : md(a.rcode),
      ms(a.latencyMs),
      a.wasted ? 'yes' : 'no',
      `${a.queryFrame ?? '–'}${a.responseFrame !== null ? `, ${a.responseFrame}` : ''}`,
    ]);
    out.push(table(['#', 'Sent at', 'Query', 'Suffix', 'Type', 'Answer', 'Latency', 'Wasted', unit], rows, ['r', 'r', 'l', 'l', 'l', 'l', 'r', 'l', 'l']), '');
  }
  return out;
}

/** Names whose search-path walks wasted the most queries: where a trailing dot pays off most. */
export function renderWastedNames(r: Report, top: number): string[] {
  const names = aggregatesOf(r).wastedNames;
  if (names.length === 0) return [];
  const rows = names.slice(0, top).map((n) => [code(n.name), String(n.lookups), String(n.queries), String(n.wastedQueries), ms(n.wastedMs)]);
  return [
    '## Top names by wasted queries',
    '',
    table(['Name', 'Lookups', 'Queries', 'Wasted queries', 'Wasted time'], rows, ['l', 'r', 'r', 'r', 'r']),
    ...listRest(names.length, Math.min(top, names.length), 'names'),
    '',
  ];
}

/** Latency per server: nearest-rank percentiles of answered transactions, from the first send. */
export function renderServerLatency(r: Report, top: number): string[] {
  const servers = aggregatesOf(r).serverLatency;
  if (servers.length === 0) return [];
  const rows = servers
    .slice(0, top)
    .map((s) => [code(s.server), String(s.transactions), String(s.answered), String(s.unanswered), ms(s.p50Ms), ms(s.p90Ms), ms(s.p99Ms), ms(s.maxMs)]);
  return [
    '## Server latency',
    '',
    table(['Server', 'Transactions', 'Answered', 'Unanswered', 'p50', 'p90', 'p99', 'Max'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
    ...listRest(servers.length, Math.min(top, servers.length), 'servers'),
    '',
  ];
}
