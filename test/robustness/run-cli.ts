import { spawnSync } from 'node:child_process';
import { ROOT } from '../helpers.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string | Uint8Array;
  cwd?: string;
  env?: Record<string, string>;
  /** Node options placed before the script, e.g. ["--import", "data:..."]. */
  nodeArgs?: string[];
}

/** Runs the built CLI (bin/dnstrace.js; npm test builds first) as a user would. */
export function runCli(args: string[], opts: CliOptions = {}): CliRun {
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), `${ROOT}bin/dnstrace.js`, ...args], {
    input: opts.input,
    cwd: opts.cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    maxBuffer: 64 << 20,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
