#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of these modules between runs (in the OS temp directory):
// dnstrace's hundred modules then start in a fraction of the time. Node 20 has no such cache;
// there this is skipped. Before the first import of our code, so that it covers all of it.
module.enableCompileCache?.();

const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv);
