/**
 * Runs a shell command line under GNU time (`/usr/bin/time -f '%e %M'`) for its wall seconds and
 * the peak RSS of its biggest process (a pipeline's too: wait4 reports the largest descendant).
 * Without GNU time, wall seconds come from the clock and peak RSS is unknown.
 */
import { spawn } from 'node:child_process';
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

export async function measureCommand(commandLine: string, timeoutSeconds: number): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'dnstrace-bench-'));
  const timeFile = join(dir, 'time');
  try {
    const useTime = haveGnuTime();
    const argv = useTime ? [GNU_TIME, '-f', '%e %M', '-o', timeFile, 'sh', '-c', commandLine] : ['sh', '-c', commandLine];
    const started = process.hrtime.bigint();
    const { exitCode, stderr, timedOut } = await runInOwnGroup(argv, timeoutSeconds);
    const clockSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    let wallSeconds = clockSeconds;
    let peakRssMb: number | null = null;
    if (useTime && !timedOut && existsSync(timeFile)) {
      // GNU time writes "Command exited with non-zero status N" before the format line.
      const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
      const [wall, rssKb] = last.split(' ').map(Number);
      if (Number.isFinite(wall) && Number.isFinite(rssKb)) {
        wallSeconds = wall;
        peakRssMb = rssKb / 1024;
      }
    }
    const stderrLines = stderr.trim().split('\n').filter((l) => l !== '' && !l.startsWith('    at '));
    const error = exitCode === 0 ? null : timedOut ? `timed out after ${timeoutSeconds} s` : (stderrLines.pop() ?? `exit ${exitCode}`);
    return { wallSeconds, peakRssMb, exitCode, error };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs argv in a process group of its own, so that a timeout ends the whole pipeline (time, sh,
 * node, cat), not only its first process, which would leave the others running and skew every
 * later measurement.
 */
function runInOwnGroup(argv: string[], timeoutSeconds: number): Promise<{ exitCode: number; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    const stderr: Buffer[] = [];
    let stderrBytes = 0;
    child.stderr.on('data', (d: Buffer) => {
      if (stderrBytes < 1 << 20) stderr.push(d);
      stderrBytes += d.length;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: timedOut ? 124 : (code ?? 1), stderr: Buffer.concat(stderr).toString('utf8'), timedOut });
    });
  });
}

/**
 * The median of a command's measurements, wall and RSS taken separately; a failed run stands for
 * the series (its exit code and error are what the table shows).
 */
export function medianOf(all: readonly Measurement[]): Measurement {
  const failed = all.find((m) => m.exitCode !== 0);
  if (failed !== undefined) return failed;
  const wall = median(all.map((m) => m.wallSeconds));
  const rss = all.every((m) => m.peakRssMb !== null) ? median(all.map((m) => m.peakRssMb as number)) : null;
  return { wallSeconds: wall, peakRssMb: rss, exitCode: 0, error: null };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
