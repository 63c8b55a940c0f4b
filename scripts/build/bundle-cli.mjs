#!/usr/bin/env node
// Bundles the CLI's two entries, as tsc wrote them in dist/, each with the hundred modules it
// imports, for bin/dnstrace.js to load: dist/cli-worker.bundle.js (the worker thread,
// src/cli/host/cli-worker.ts) and dist/cli-main-thread.bundle.js (the CLI run in the main thread
// for a small capture, src/cli/host/cli-main-thread.ts).
// Why: Node 20 resolves, reads and compiles each ES module on its own, and that cost a third of
// a second of every run's start; one file loads in a fraction of it (README, Performance).
// tsc stays the compiler and type checker; esbuild only joins its output. The bundles sit in
// dist/ itself so that paths their code resolves from import.meta.url (../package.json) hold.
// Packages stay imports of node_modules: dependencies remain dependencies, and dns-packet is
// still loaded only when a record needs it.
// Each entry is a whole bundle of its own (no shared chunk): a run loads one of them, and one
// file starts faster than an entry and a chunk (README, "Memory: a worker with a limited heap").
import { build } from 'esbuild';

const root = new URL('../../', import.meta.url);
const entries = { 'cli-worker.bundle': 'dist/cli/host/cli-worker.js', 'cli-main-thread.bundle': 'dist/cli/host/cli-main-thread.js' };
const splitting = process.argv.includes('--splitting');
await build({
  entryPoints: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, new URL(path, root).pathname])),
  outdir: new URL('dist/', root).pathname,
  // Measured against separate bundles (--splitting): see above.
  splitting,
  chunkNames: 'cli-shared-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: process.argv.includes('--inline-packages') ? undefined : 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
