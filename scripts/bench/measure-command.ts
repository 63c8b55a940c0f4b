/**
 * Runs a shell command line under GNU time (`/usr/bin/time -f '%e %M %U %S'`) for its wall
 * seconds, the peak RSS of its biggest process (a pipeline's too: wait4 reports the largest
 * descendant) and the CPU seconds of all its processes (user and system, threads included: the
 * collector's helper threads, and `cat` in a pipeline). CPU time is the steadier figure on a
 * machine whose speed drifts; wall time is what a user waits. Without GNU time, wall seconds come
 * from the clock and the rest is unknown.
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
  /** User plus system CPU seconds of every process of the command; null without GNU time. */
  cpuSeconds: number | null;
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
    const argv = useTime ? [GNU_TIME, '-f', TIME_FORMAT, '-o', timeFile, 'sh', '-c', commandLine] : ['sh', '-c', commandLine];
    const started = process.hrtime.bigint();
    const { exitCode, stderr, timedOut } = await runInOwnGroup(argv, timeoutSeconds);
    const clockSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const timed = useTime && !timedOut && existsSync(timeFile) ? parseTimeReport(readFileSync(timeFile, 'utf8')) : null;
    const stderrLines = stderr.trim().split('\n').filter((l) => l !== '' && !l.startsWith('    at '));
    const error = exitCode === 0 ? null : timedOut ? `timed out after ${timeoutSeconds} s` : (stderrLines.pop() ?? `exit ${exitCode}`);
    return { wallSeconds: timed?.wallSeconds ?? clockSeconds, peakRssMb: timed?.peakRssMb ?? null, cpuSeconds: timed?.cpuSeconds ?? null, exitCode, error };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TIME_FORMAT = '%e %M %U %S';

/**
 * What GNU time wrote with TIME_FORMAT: its last line ("Command exited with non-zero status N"
 * may come before it); null when that line is not four numbers.
 */
export function parseTimeReport(text: string): Pick<Measurement, 'wallSeconds' | 'peakRssMb' | 'cpuSeconds'> | null {
  const fields = (text.trim().split('\n').pop() ?? '').split(' ');
  if (fields.length !== 4) return null;
  const [wall, rssKb, user, system] = fields.map(Number);
  if (![wall, rssKb, user, system].every(Number.isFinite)) return null;
  return { wallSeconds: wall, peakRssMb: rssKb / 1024, cpuSeconds: user + system };
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
 * The median of a command's measurements, wall, RSS and CPU taken separately; a failed run stands
 * for the series (its exit code and error are what the table shows).
 */
export function medianOf(all: readonly Measurement[]): Measurement {
  const failed = all.find((m) => m.exitCode !== 0);
  if (failed !== undefined) return failed;
  const wall = median(all.map((m) => m.wallSeconds));
  const known = (pick: (m: Measurement) => number | null) => (all.every((m) => pick(m) !== null) ? median(all.map((m) => pick(m) as number)) : null);
  return { wallSeconds: wall, peakRssMb: known((m) => m.peakRssMb), cpuSeconds: known((m) => m.cpuSeconds), exitCode: 0, error: null };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
