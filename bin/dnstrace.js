#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of these modules between runs (in the OS temp directory):
// dnstrace's hundred modules then start in a fraction of the time. Node 20 has no such cache;
// there this is skipped. Before the first import of our code, so that it covers all of it.
module.enableCompileCache?.();

// The CLI runs in a worker thread whose heap is limited (src/cli/host/run-cli-in-worker.ts); this
// thread loads only what starts it.
const { runCliInWorker } = await import('../dist/cli/host/run-cli-in-worker.js');
// process.exit: the worker may still wait on a read of standard input that nothing needs.
process.exit(await runCliInWorker(process.argv));
