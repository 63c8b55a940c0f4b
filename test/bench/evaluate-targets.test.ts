import { describe, expect, it } from 'vitest';
import { type BenchRow, type RowKey, evaluateTargets } from '../../scripts/bench/evaluate-targets.js';

const N = 1_000_000;

function row(key: RowKey, wallSeconds: number, peakRssMb: number | null = 140, exitCode = 0): BenchRow {
  return {
    key,
    tool: key,
    items: key.endsWith('4x') ? 4 * N : N,
    unit: key === 'text' ? 'lines/s' : 'msgs/s',
    m: { wallSeconds, cpuSeconds: wallSeconds * 1.2, peakRssMb, exitCode, error: exitCode === 0 ? null : 'dnstrace: out of memory' },
    note: null,
  };
}

/** Rows from wall seconds, or [wall seconds, peak RSS MB], by row key. */
function measured(walls: Partial<Record<RowKey, number | [number, number]>>): BenchRow[] {
  return Object.entries(walls).map(([key, v]) => (Array.isArray(v) ? row(key as RowKey, v[0], v[1]) : row(key as RowKey, v as number)));
}

function verdicts(rows: BenchRow[]): Record<string, string> {
  return Object.fromEntries(evaluateTargets(rows).map((t) => [t.target, `${t.verdict} ${t.measured}`]));
}

describe('evaluateTargets', () => {
  it("judges this project's last measured figures as the README states them", () => {
    const v = verdicts(
      measured({
        default: [6.33, 136.6],
        json: [8.6, 134.9],
        jsonl: [8.2, 137.5],
        stdin: 7.19,
        gzip: 6.47,
        text: 6.51,
        default4x: [21.48, 137.3],
        json4x: [28.11, 137.2],
        jsonl4x: [26.44, 139.4],
        tshark: 41.87,
        tcpdump: 5.8,
      }),
    );
    expect(v).toEqual({
      'default report ≥ 1,000,000 msgs/s': 'FAIL 157,978',
      '--format json ≥ 80% of 1,000,000 msgs/s': 'FAIL 116,279',
      '--format jsonl ≥ 80% of 1,000,000 msgs/s': 'FAIL 121,951',
      '≥ 20× faster than tshark field extraction': 'FAIL 6.61×',
      '≥ 4× faster than tcpdump -n -r F > /dev/null': 'FAIL 0.92×',
      'peak RSS < 150 MB (default)': 'pass 136.6 MB',
      'peak RSS < 150 MB (json)': 'pass 134.9 MB',
      'peak RSS < 150 MB (jsonl)': 'pass 137.5 MB',
      '4× capture changes peak RSS < 10% (default)': 'pass 136.6 → 137.3 MB (+0.5%)',
      '4× capture changes peak RSS < 10% (json)': 'pass 134.9 → 137.2 MB (+1.7%)',
      '4× capture changes peak RSS < 10% (jsonl)': 'pass 137.5 → 139.4 MB (+1.4%)',
      'stdin within 10% of the file': 'FAIL +13.6%',
      'gzip within 2× of the file': 'pass 1.02×',
      'tcpdump text ≥ 300,000 lines/s': 'FAIL 153,610 lines/s',
    });
  });

  it('passes every target at the speeds issue 7 asks for', () => {
    const rows = measured({
      default: 0.9,
      json: 1.1,
      jsonl: 1.2,
      stdin: 0.95,
      gzip: 1.7,
      text: 3.2,
      default4x: [3.6, 145],
      json4x: [4.4, 145],
      jsonl4x: [4.8, 145],
      tshark: 20,
      tcpdump: 4,
    });
    expect(evaluateTargets(rows).filter((t) => t.verdict !== 'pass')).toEqual([]);
  });

  it('fails the targets of a run that failed, and marks a skipped tool n/a', () => {
    const tshark: BenchRow = { ...row('tshark', 0), m: null, note: 'skipped: tshark not installed' };
    const v = verdicts([row('default', 6), row('json', 9, 400, 4), row('jsonl', 8), row('jsonl4x', 30), row('tcpdump', 5), tshark]);
    expect(v['--format json ≥ 80% of 1,000,000 msgs/s']).toBe('FAIL run failed: dnstrace: out of memory');
    expect(v['peak RSS < 150 MB (json)']).toBe('FAIL run failed: dnstrace: out of memory');
    expect(v['≥ 20× faster than tshark field extraction']).toBe('n/a skipped: tshark not installed');
    expect(v['stdin within 10% of the file']).toBe('n/a not measured');
  });
});
