/**
 * Runs a shell command line under GNU time (`/usr/bin/time -f '%e %M'`) for its wall seconds and
 * the peak RSS of its biggest process (a pipeline's too: wait4 reports the largest descendant).
 * Without GNU time, wall seconds come from the clock and peak RSS is unknown.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Measurement {
  wallSeconds: number;
  /** null when GNU time is not installed. */
  peakRssMb: number | null;
  exitCode: number;
  /** Last line of stderr when the command failed, for the table. */
  error: string | null;
}

export function haveGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

export function measureCommand(commandLine: string, timeoutSeconds: number): Measurement {
  const dir = mkdtempSync(join(tmpdir(), 'dnstrace-bench-'));
  const timeFile = join(dir, 'time');
  try {
    const useTime = haveGnuTime();
    const argv = useTime ? [GNU_TIME, '-f', '%e %M', '-o', timeFile, 'sh', '-c', commandLine] : ['sh', '-c', commandLine];
    const started = process.hrtime.bigint();
    const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutSeconds * 1000, maxBuffer: 64 << 20 });
    const clockSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const exitCode = r.status ?? 124;
    let wallSeconds = clockSeconds;
    let peakRssMb: number | null = null;
    if (useTime && existsSync(timeFile)) {
      // GNU time writes "Command exited with non-zero status N" before the format line.
      const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
      const [wall, rssKb] = last.split(' ').map(Number);
      if (Number.isFinite(wall) && Number.isFinite(rssKb)) {
        wallSeconds = wall;
        peakRssMb = rssKb / 1024;
      }
    }
    const stderrLines = (r.stderr?.toString('utf8') ?? '').trim().split('\n').filter((l) => l !== '' && !l.startsWith('    at '));
    const error = exitCode === 0 ? null : r.error ? `timed out after ${timeoutSeconds} s` : (stderrLines.pop() ?? `exit ${exitCode}`);
    return { wallSeconds, peakRssMb, exitCode, error };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median of `runs` measurements, wall and RSS taken separately; a failed run ends the series. */
export function measureMedian(commandLine: string, runs: number, timeoutSeconds: number): Measurement {
  const all: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    const m = measureCommand(commandLine, timeoutSeconds);
    if (m.exitCode !== 0) return m;
    all.push(m);
  }
  const wall = median(all.map((m) => m.wallSeconds));
  const rss = all.every((m) => m.peakRssMb !== null) ? median(all.map((m) => m.peakRssMb as number)) : null;
  return { wallSeconds: wall, peakRssMb: rss, exitCode: 0, error: null };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
