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
  it("judges the README's benchmark table (the fifth round's) as the README states them", () => {
    const v = verdicts(
      measured({
        default: [3.71, 140.2],
        json: [5.7, 138.4],
        jsonl: [5.2, 139.9],
        stdin: 4.22,
        gzip: 3.75,
        text: 4.31,
        default4x: [11.91, 140.5],
        json4x: [18.36, 145.4],
        jsonl4x: [17.5, 142.2],
        tshark: 29.54,
        tcpdump: 4.28,
      }),
    );
    // The rates are of 1,000,000 items: the README's, of 1,000,015, are a few higher.
    expect(v).toEqual({
      'default report ≥ 1,000,000 msgs/s': 'FAIL 269,542',
      '--format json ≥ 80% of 1,000,000 msgs/s': 'FAIL 175,439',
      '--format jsonl ≥ 80% of 1,000,000 msgs/s': 'FAIL 192,308',
      '≥ 20× faster than tshark field extraction': 'FAIL 7.96×',
      '≥ 4× faster than tcpdump -n -r F > /dev/null': 'FAIL 1.15×',
      'peak RSS < 150 MB (default)': 'pass 140.2 MB',
      'peak RSS < 150 MB (json)': 'pass 138.4 MB',
      'peak RSS < 150 MB (jsonl)': 'pass 139.9 MB',
      '4× capture changes peak RSS < 10% (default)': 'pass 140.2 → 140.5 MB (+0.2%)',
      '4× capture changes peak RSS < 10% (json)': 'pass 138.4 → 145.4 MB (+5.1%)',
      '4× capture changes peak RSS < 10% (jsonl)': 'pass 139.9 → 142.2 MB (+1.6%)',
      'stdin within 10% of the file': 'FAIL +13.7%',
      'gzip within 2× of the file': 'pass 1.01×',
      'tcpdump text ≥ 300,000 lines/s': 'FAIL 232,019 lines/s',
      // That round had no incident capture.
      'peak RSS < 150 MB, incident capture (default)': 'n/a not measured',
      'peak RSS < 150 MB, incident capture (json)': 'n/a not measured',
      'peak RSS < 150 MB, incident capture (jsonl)': 'n/a not measured',
    });
  });

  it('judges peak RSS on the incident capture (a dead first nameserver) against the same bound', () => {
    const v = verdicts(measured({ default: [5, 141.5], incident: [7.2, 147.1], incidentJson: [10.3, 153.2], incidentJsonl: [10, 150.6] }));
    expect([v['peak RSS < 150 MB, incident capture (default)'], v['peak RSS < 150 MB, incident capture (json)'], v['peak RSS < 150 MB, incident capture (jsonl)']]).toEqual([
      'pass 147.1 MB',
      'FAIL 153.2 MB',
      'FAIL 150.6 MB',
    ]);
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
      incident: [1.2, 145],
      incidentJson: [1.5, 145],
      incidentJsonl: [1.6, 145],
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
