#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of these modules between runs (in the OS temp directory):
// dnstrace's hundred modules then start in a fraction of the time. Node 20 has no such cache;
// there this is skipped. Before the first import of our code, so that it covers all of it.
module.enableCompileCache?.();

// A small capture runs in this thread; anything else in a worker thread whose heap is limited
// (src/cli/host/choose-thread.ts, run-cli-in-worker.ts). Only the chosen one is loaded.
const { chooseThreadFor } = await import('../dist/cli/host/choose-thread.js');
const thread = await chooseThreadFor(process.argv.slice(2), process.env);
let code;
if (thread === 'main') {
  // The bundle of cli-main-thread.js that `npm run build` writes (scripts/build/bundle-cli.mjs).
  const { runCliInMainThread } = await import('../dist/cli-main-thread.bundle.js');
  code = await runCliInMainThread(process.argv);
} else if (thread === 'worker') {
  const { runCliInWorker } = await import('../dist/cli/host/run-cli-in-worker.js');
  code = await runCliInWorker(process.argv);
} else {
  const { EXIT } = await import('../dist/exit-codes.js');
  process.stderr.write(`dnstrace: ${thread}\n`);
  code = EXIT.usage;
}
// process.exit: the worker may still wait on a read of standard input that nothing needs.
process.exit(code);
