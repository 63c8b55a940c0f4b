#!/usr/bin/env node
// Bundles the CLI's worker thread (dist/cli/host/cli-worker.js and the hundred modules it imports,
// as tsc wrote them) into one file, dist/cli-worker.bundle.js, which bin/dnstrace.js starts.
// Why: Node 20 resolves, reads and compiles each ES module on its own, and that cost a third of
// a second of every run's start; one file loads in a fraction of it (README, Performance).
// tsc stays the compiler and type checker; esbuild only joins its output. The bundle sits in
// dist/ itself so that paths its code resolves from import.meta.url (../package.json) hold.
// Packages stay imports of node_modules: dependencies remain dependencies, and dns-packet is
// still loaded only when a record needs it.
import { build } from 'esbuild';

const root = new URL('../../', import.meta.url);
await build({
  entryPoints: [new URL('dist/cli/host/cli-worker.js', root).pathname],
  outfile: new URL('dist/cli-worker.bundle.js', root).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: process.argv.includes('--inline-packages') ? undefined : 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
