import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { ROOT } from '../helpers.js';

/**
 * Starts `dnstrace analyze - --format json` with TMPDIR at `tmp` and `capture` on a standard input
 * held open, so the run waits with its temporary directory made; then sends `signal`. Gives what
 * `tmp` held before the signal, the signal the process ended by, and what `tmp` holds after.
 */
export async function signalJsonRun(tmp: string, capture: Buffer, signal: NodeJS.Signals, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [`${ROOT}bin/dnstrace.js`, 'analyze', '-', '--format', 'json'], {
    env: { ...process.env, ...env, TMPDIR: tmp },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  child.stdin.write(capture);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
  for (let i = 0; i < 200 && readdirSync(tmp).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  const before = readdirSync(tmp);
  child.kill(signal);
  const endedBy = await exited;
  return { before, endedBy, after: readdirSync(tmp) };
}
