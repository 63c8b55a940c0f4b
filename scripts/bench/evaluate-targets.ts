/** Issue 7's targets, checked against one benchmark run. */
import type { Measurement } from './measure-command.js';

export interface BenchRow {
  key: RowKey;
  tool: string;
  /** DNS messages (or text lines) the command read, for the rate column. */
  items: number;
  unit: 'msgs/s' | 'lines/s';
  /** null: not run (tool missing, option not supported), with the reason in `note`. */
  m: Measurement | null;
  note: string | null;
}

export type RowKey =
  | 'default'
  | 'json'
  | 'jsonl'
  | 'stdin'
  | 'gzip'
  | 'text'
  | 'default4x'
  | 'json4x'
  | 'jsonl4x'
  | 'incident'
  | 'incidentJson'
  | 'incidentJsonl'
  | 'tshark'
  | 'tcpdump';

export interface TargetResult {
  target: string;
  verdict: 'pass' | 'FAIL' | 'n/a';
  measured: string;
}

const MIN_RATE = 1_000_000;
const MAX_RSS_MB = 150;

export function evaluateTargets(rows: readonly BenchRow[]): TargetResult[] {
  const by = new Map(rows.map((r) => [r.key, r]));
  const ok = (k: RowKey) => {
    const r = by.get(k);
    return r?.m && r.m.exitCode === 0 ? r : null;
  };
  const rate = (r: BenchRow) => r.items / (r.m as Measurement).wallSeconds;
  const out: TargetResult[] = [];
  const check = (target: string, present: boolean, pass: () => boolean, measured: () => string, why = 'not measured') => {
    out.push(present ? { target, verdict: pass() ? 'pass' : 'FAIL', measured: measured() } : { target, verdict: 'n/a', measured: why });
  };
  const failed = (...keys: RowKey[]) => keys.some((k) => by.get(k)?.m && by.get(k)?.m?.exitCode !== 0);
  const d = ok('default');
  const pushFailedOr = (target: string, keys: RowKey[], present: boolean, pass: () => boolean, measured: () => string, why?: string) => {
    // A row that was not run (no tshark, no --format jsonl yet) makes its target n/a, whatever else failed.
    const skipped = keys.map((k) => by.get(k)).find((r) => r !== undefined && r.m === null);
    if (skipped) out.push({ target, verdict: 'n/a', measured: skipped.note ?? 'not measured' });
    else if (failed(...keys)) out.push({ target, verdict: 'FAIL', measured: `run failed: ${keys.map((k) => by.get(k)?.m?.error).filter(Boolean)[0]}` });
    else check(target, present, pass, measured, why);
  };

  pushFailedOr('default report ≥ 1,000,000 msgs/s', ['default'], d !== null, () => rate(d as BenchRow) >= MIN_RATE, () => fmtRate(rate(d as BenchRow)));
  for (const k of ['json', 'jsonl'] as const) {
    const r = ok(k);
    pushFailedOr(`--format ${k} ≥ 80% of 1,000,000 msgs/s`, ['default', k], r !== null, () => rate(r as BenchRow) >= 0.8 * MIN_RATE, () => fmtRate(rate(r as BenchRow)), by.get(k)?.note ?? undefined);
  }
  const ratio = (k: RowKey, min: number, label: string) => {
    const r = ok(k);
    pushFailedOr(`≥ ${min}× faster than ${label}`, ['default', k], r !== null && d !== null, () => wall(r) / wall(d) >= min, () => `${(wall(r) / wall(d)).toFixed(2)}×`, by.get(k)?.note ?? undefined);
  };
  ratio('tshark', 20, 'tshark field extraction');
  ratio('tcpdump', 4, 'tcpdump -n -r F > /dev/null');
  for (const k of ['default', 'json', 'jsonl'] as const) {
    const r = ok(k);
    const rss = r?.m?.peakRssMb ?? null;
    pushFailedOr(`peak RSS < ${MAX_RSS_MB} MB (${k})`, [k], rss !== null, () => (rss as number) < MAX_RSS_MB, () => `${(rss as number).toFixed(1)} MB`, by.get(k)?.note ?? 'no GNU time');
  }
  for (const k of ['default', 'json', 'jsonl'] as const) {
    const small = ok(k)?.m?.peakRssMb ?? null;
    const big = ok(`${k}4x` as RowKey)?.m?.peakRssMb ?? null;
    pushFailedOr(
      `4× capture changes peak RSS < 10% (${k})`,
      [k, `${k}4x` as RowKey],
      small !== null && big !== null,
      () => Math.abs((big as number) - (small as number)) / (small as number) < 0.1,
      () => `${(small as number).toFixed(1)} → ${(big as number).toFixed(1)} MB (${pct((big as number) / (small as number) - 1)})`,
      by.get(k)?.note ?? by.get(`${k}4x` as RowKey)?.note ?? undefined,
    );
  }
  // Beyond the realistic traffic, the capture an incident gives (a dead first nameserver):
  // the memory bound must hold there too.
  for (const [k, format] of [['incident', 'default'], ['incidentJson', 'json'], ['incidentJsonl', 'jsonl']] as const) {
    const rss = ok(k)?.m?.peakRssMb ?? null;
    const why = by.has(k) ? (by.get(k)?.note ?? 'no GNU time') : 'not measured';
    pushFailedOr(`peak RSS < ${MAX_RSS_MB} MB, incident capture (${format})`, [k], rss !== null, () => (rss as number) < MAX_RSS_MB, () => `${(rss as number).toFixed(1)} MB`, why);
  }
  const s = ok('stdin');
  pushFailedOr('stdin within 10% of the file', ['default', 'stdin'], s !== null && d !== null, () => wall(s) <= 1.1 * wall(d), () => pct(wall(s) / wall(d) - 1));
  const g = ok('gzip');
  pushFailedOr('gzip within 2× of the file', ['default', 'gzip'], g !== null && d !== null, () => wall(g) <= 2 * wall(d), () => `${(wall(g) / wall(d)).toFixed(2)}×`);
  const t = ok('text');
  pushFailedOr('tcpdump text ≥ 300,000 lines/s', ['text'], t !== null, () => rate(t as BenchRow) >= 300_000, () => `${fmtRate(rate(t as BenchRow))} lines/s`, by.get('text')?.note ?? undefined);
  return out;
}

function wall(r: BenchRow | null): number {
  return (r?.m as Measurement).wallSeconds;
}

export function fmtRate(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}
