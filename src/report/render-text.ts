import type { Report } from '../model.js';
import { aggregatesOf, anomalyTotal, lookupAt } from './report-aggregates.js';
import { escapeToAscii } from './escape-controls.js';
import { frameList, impactText, ms, plural, spanText } from './format-numbers.js';
import { type Painter, createPainter } from './terminal-style.js';

export interface TextOptions {
  /** Rows in each list before "and N more". */
  top: number;
  /** SGR colours; false for NO_COLOR, --no-color and output that is not a terminal. */
  color: boolean;
  /** Columns to fit; every line is at most this wide. */
  width?: number;
}

/** Lines per list at most in the terminal summary, whatever --top says: it must fit a screen. */
const MAX_ROWS = 10;

/**
 * A concise terminal summary: verdict, findings, slowest lookups, servers. Every string from the
 * capture is shown as printable ASCII (`\x1b`, `\u{202e}`), so the terminal receives no control
 * character or escape sequence but the colours added here, and widths are exact.
 */
export function renderText(r: Report, opts: TextOptions): string {
  const width = opts.width ?? 80;
  const p = createPainter(opts.color);
  const rows = Math.min(opts.top, MAX_ROWS);
  const unit = r.input.format === 'text' ? 'lines' : 'frames';
  const s = r.summary;
  const out: string[] = [];
  const source = r.input.source === '-' ? 'standard input' : escapeToAscii(r.input.source);
  out.push(p('bold', fit(`dnstrace: ${source} (${r.input.format})`, width)));
  out.push(
    ...wrap(
      `${plural(s.frameAccounting.frames, unit === 'lines' ? 'line' : 'frame')}, ${plural(s.dnsMessages, 'DNS message')}, ` +
        `${plural(s.transactions, 'transaction')} (${s.unanswered} unanswered), ${plural(s.lookups, 'lookup')} ` +
        `(${s.wastedQueries} wasted queries), ${r.aggregates ? `${plural(r.aggregates.clients, 'client')}, ${plural(r.aggregates.servers, 'server')}, ` : ''}` +
        `${plural(anomalyTotal(r), 'anomaly', 'anomalies')}, ` +
        `${r.icmpUnreachable?.length ? `${plural(r.icmpUnreachable.length, 'ICMP unreachable', 'ICMP unreachables')}, ` : ''}span ${spanText(s.firstTimeUs, s.lastTimeUs)}`,
      width,
      '',
      '',
    ).map((l) => p('dim', l)),
  );
  for (const w of r.warnings) out.push(...wrap(`warning: ${escapeToAscii(w)}`, width, '', '  ').map((l) => p('yellow', l)));
  out.push('');
  out.push(...writeVerdict(r, p, width));
  out.push(...writeFindings(r, p, width, rows, unit));
  out.push(...writeSlowest(r, p, width, rows));
  out.push(...writeServers(r, p, width, rows));
  out.push(p('dim', fit('Full report: --format markdown; machine-readable: --format json or jsonl.', width)));
  return `${out.join('\n')}\n`;
}

function writeVerdict(r: Report, p: Painter, width: number): string[] {
  const f = r.findings[0];
  const text = f
    ? `${escapeToAscii(f.summary)}${f.impact.queries > 0 || f.impact.ms > 0 ? ` Cost: ${impactText(f.impact)}.` : ''}`
    : r.summary.lookups === 0
      ? 'no DNS lookups were found.'
      : `nothing wrong stood out in ${plural(r.summary.lookups, 'lookup')}.`;
  const lines = wrap(`Verdict: ${text}`, width, '', '  ');
  return [p('bold', lines[0]), ...lines.slice(1), ''];
}

function writeFindings(r: Report, p: Painter, width: number, rows: number, unit: string): string[] {
  if (r.findings.length === 0) return [];
  const out = [p('bold', `Findings (${r.findings.length})`)];
  r.findings.slice(0, rows).forEach((f, i) => {
    const colour = f.impact.queries > 0 ? 'red' : 'yellow';
    out.push(...wrap(escapeToAscii(f.title), width, `${String(i + 1).padStart(2)}. `, '    ').map((l) => p(colour, l)));
    const impact = f.impact.queries > 0 || f.impact.ms > 0 ? `${impactText(f.impact)}; ` : '';
    out.push(...wrap(`${impact}${unit} ${frameList(f.evidence, 8)}`, width, '    ', '    ').map((l) => p('dim', l)));
    out.push(...wrap(`Fix: ${escapeToAscii(f.remedy)}`, width, '    ', '         '));
  });
  if (r.findings.length > rows) out.push(`    ...and ${r.findings.length - rows} more findings`);
  return [...out, ''];
}

function writeSlowest(r: Report, p: Painter, width: number, rows: number): string[] {
  const list = aggregatesOf(r).slowestLookups.slice(0, rows);
  if (list.length === 0) return [];
  // Columns right of the name take 44 characters (the outcome's is as wide as `unreachable`); the name gets the rest of the line.
  const nameWidth = Math.max(12, width - 46);
  const out = [p('bold', 'Slowest lookups'), p('dim', fit(`  ${'name'.padEnd(nameWidth)} ${'outcome'.padEnd(11)} ${'queries'.padStart(7)} ${'wasted'.padStart(6)} ${'time'.padStart(10)}`, width))];
  for (const t of list) {
    const l = lookupAt(r, t.lookup);
    const outcome = l.outcome.padEnd(11);
    const line = `  ${fitMiddle(escapeToAscii(l.name), nameWidth).padEnd(nameWidth)} ${l.outcome === 'answered' ? p('green', outcome) : p('red', outcome)} ${String(l.queries).padStart(7)} ${
      l.wastedQueries > 0 ? p('red', String(l.wastedQueries).padStart(6)) : String(l.wastedQueries).padStart(6)
    } ${ms(l.elapsedMs).padStart(10)}`;
    out.push(line);
  }
  if (r.summary.lookups > list.length) out.push(p('dim', `  ...and ${r.summary.lookups - list.length} more lookups`));
  return [...out, ''];
}

function writeServers(r: Report, p: Painter, width: number, rows: number): string[] {
  const list = aggregatesOf(r).serverLatency.slice(0, rows);
  if (list.length === 0) return [];
  const nameWidth = Math.max(12, width - 46);
  const out = [p('bold', 'Servers'), p('dim', fit(`  ${'server'.padEnd(nameWidth)} ${'queries'.padStart(7)} ${'lost'.padStart(5)} ${'p50'.padStart(9)} ${'p90'.padStart(9)} ${'max'.padStart(9)}`, width))];
  for (const s of list) {
    const lost = String(s.unanswered).padStart(5);
    out.push(
      `  ${fitMiddle(escapeToAscii(s.server), nameWidth).padEnd(nameWidth)} ${String(s.transactions).padStart(7)} ${s.unanswered > 0 ? p('red', lost) : lost} ${ms(s.p50Ms).padStart(9)} ${ms(s.p90Ms).padStart(9)} ${ms(s.maxMs).padStart(9)}`,
    );
  }
  if (aggregatesOf(r).serverLatency.length > list.length) out.push(p('dim', `  ...and ${aggregatesOf(r).serverLatency.length - list.length} more servers`));
  return [...out, ''];
}

/** Cuts text to `width` characters, marking the cut with "..." (text is ASCII: one column each). */
export function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 3))}...`;
}

/** Cuts the middle out of text longer than `width`: both ends of a name or endpoint say the most. */
export function fitMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  const keep = width - 3;
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}...${text.slice(text.length - (keep - head))}`;
}

/** Word-wraps to `width`: the first line starts with `first`, the others with `rest`; a word longer than a line is cut. */
export function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && line.length + 1 + word.length <= width) {
      line += ` ${word}`;
      continue;
    }
    if (!empty) {
      lines.push(line);
      line = rest;
    }
    let w = word;
    while (line.length + w.length > width) {
      const cut = Math.max(1, width - line.length);
      lines.push(line + w.slice(0, cut));
      line = rest;
      w = w.slice(cut);
    }
    line += w;
    empty = false;
  }
  lines.push(line);
  return lines;
}
