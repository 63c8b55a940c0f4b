import { describe, expect, it } from 'vitest';
import { type Measurement, medianOf, parseTimeReport } from '../../scripts/bench/measure-command.js';

const run = (wallSeconds: number, cpuSeconds: number | null, peakRssMb: number | null = 100, exitCode = 0): Measurement => ({
  wallSeconds,
  cpuSeconds,
  peakRssMb,
  exitCode,
  error: exitCode === 0 ? null : 'boom',
});

describe('parseTimeReport', () => {
  it('reads wall seconds, peak RSS and user plus system CPU from GNU time', () => {
    expect(parseTimeReport('6.41 139880 7.62 0.35\n')).toEqual({ wallSeconds: 6.41, peakRssMb: 139880 / 1024, cpuSeconds: 7.97 });
  });

  it('reads the last line when GNU time reports a failed command first', () => {
    expect(parseTimeReport('Command exited with non-zero status 3\n0.30 51200 0.25 0.04\n')).toEqual({ wallSeconds: 0.3, peakRssMb: 50, cpuSeconds: 0.29 });
  });

  it('gives up on a line that is not its four numbers', () => {
    expect(parseTimeReport('Command terminated by signal 9\n')).toBeNull();
    expect(parseTimeReport('6.41 139880\n')).toBeNull();
    expect(parseTimeReport('')).toBeNull();
  });
});

describe('medianOf', () => {
  it('takes the median of wall, CPU and RSS separately', () => {
    const m = medianOf([run(7, 9, 140), run(5, 8, 150), run(6, 10, 130)]);
    expect(m).toEqual({ wallSeconds: 6, cpuSeconds: 9, peakRssMb: 140, exitCode: 0, error: null });
  });

  it('averages the middle two of an even count', () => {
    expect(medianOf([run(4, 6), run(6, 8)]).cpuSeconds).toBe(7);
  });

  it('knows no CPU time when a run has none (no GNU time)', () => {
    expect(medianOf([run(5, null, null), run(6, 8)]).cpuSeconds).toBeNull();
  });

  it('lets a failed run stand for the series', () => {
    const failed = run(1, 1, 50, 4);
    expect(medianOf([run(5, 6), failed, run(6, 7)])).toBe(failed);
  });
});
