import { main } from '../../cli.js';
import { EXIT } from '../../exit-codes.js';
import { makeGuardedDirectory } from '../temp-spool.js';
import { fdHost } from './fd-host.js';
import { streamFacts } from './stream-facts.js';

/**
 * Runs the CLI in this thread, with V8's own heap limits, and returns its exit code: for a run
 * that cannot need the worker's heap limit (choose-thread.ts), which then starts without the
 * worker. The host is the worker's (fd-host.ts), and what the worker's thread does for it is done
 * here: temporary directories made in this thread, where signals arrive, and a failure outside
 * main() reported as one internal error, as a worker's would be.
 */
export function runCliInMainThread(argv: readonly string[]): Promise<number> {
  const onUncaught = (e: unknown): void => {
    process.stderr.write(`dnstrace: internal error (please report it):\n${(e as Error).stack ?? String(e)}\n`);
    process.exit(EXIT.internal);
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  return main(argv, fdHost(streamFacts(), async (base) => makeGuardedDirectory(base)));
}
