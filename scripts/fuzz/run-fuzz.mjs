#!/usr/bin/env node
/**
 * A fuzzing campaign on demand: `npm run fuzz -- --minutes N [--seed S] [--out DIR]`.
 * Mutates every real capture and text in fixtures/ and the shared corpus (and random bytes),
 * runs each mutant through the built pipeline and renderers in a worker, and saves any input
 * that crashes, hangs, runs out of memory or breaks the accounting to DIR (git-ignored), with
 * the command that reproduces it. Exit code 0 when nothing was found, 1 otherwise.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { mutate, seededRandom } from './mutate.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** An input this slow is reported as a hang: the test suite analyses each mutant in milliseconds. */
const HANG_MS = 10_000;
/** Heap for the worker; an input that needs more than this much memory is a finding. */
const WORKER_HEAP_MB = 512;
/** Mutants larger than this are cut: bigger inputs are slower without finding more. */
const MAX_INPUT_BYTES = 4 << 20;

function parseArgs(argv) {
  const opts = { minutes: 1, seed: Date.now() % 0x7fffffff, out: join(ROOT, 'fuzz-crashes'), seeds: [] };
  for (let i = 0; i < argv.length; i++) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--minutes') opts.minutes = Number(v);
    else if (k === '--seed') opts.seed = Number(v);
    else if (k === '--out') opts.out = v;
    else if (k === '--seeds') opts.seeds.push(v);
    else if (k === '--help' || k === '-h') {
      console.log('usage: npm run fuzz -- [--minutes N] [--seed S] [--out DIR] [--seeds DIR]...');
      process.exit(0);
    } else {
      console.error(`fuzz: unknown argument ${k}`);
      process.exit(2);
    }
    i++;
  }
  if (!(opts.minutes > 0) || !Number.isFinite(opts.seed)) {
    console.error('fuzz: --minutes must be a positive number and --seed a number');
    process.exit(2);
  }
  return opts;
}

function loadSeeds(extra) {
  const dirs = [join(ROOT, 'fixtures'), join(ROOT, '..', 'shared', 'corpus', 'tcpdump'), ...extra];
  const seeds = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!/\.(pcap|pcapng|cap|gz|txt|out)$/.test(f)) continue;
      seeds.push({ name: relative(ROOT, join(dir, f)), bytes: new Uint8Array(readFileSync(join(dir, f))) });
    }
  }
  return seeds;
}

function randomInput(rnd) {
  const n = Math.floor(rnd() * 4096);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rnd() * 256);
  // Half of the random inputs get a pcap header so the reader behind the magic is reached.
  if (rnd() < 0.5 && n >= 24) b.set([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0]);
  return b;
}

class Runner {
  constructor() {
    this.start();
  }
  start() {
    this.worker = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    this.ready = new Promise((resolve) => this.worker.once('online', resolve));
  }
  async run(bytes, chunk) {
    await this.ready;
    return new Promise((resolve) => {
      const done = (r) => {
        clearTimeout(timer);
        this.worker.off('message', onMessage);
        this.worker.off('error', onError);
        resolve(r);
      };
      const onMessage = (m) => done(m);
      const onError = (e) => {
        done({ outcome: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crash', detail: e.stack ?? String(e) });
        this.start();
      };
      const timer = setTimeout(() => {
        done({ outcome: 'hang', detail: `no answer after ${HANG_MS} ms` });
        void this.worker.terminate();
        this.start();
      }, HANG_MS);
      this.worker.on('message', onMessage);
      this.worker.once('error', onError);
      this.worker.postMessage({ bytes, chunk });
    });
  }
  stop() {
    return this.worker.terminate();
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist', 'pipeline.js'))) {
    console.error('fuzz: dist/ is missing; run npm run build first (npm run fuzz does)');
    process.exit(2);
  }
  const seeds = loadSeeds(opts.seeds);
  const rnd = seededRandom(opts.seed);
  const runner = new Runner();
  const deadline = Date.now() + opts.minutes * 60_000;
  const counts = { inputs: 0, report: 0, 'input-error': 0 };
  const found = new Map();
  let lastPrint = Date.now();
  console.log(`fuzz: ${seeds.length} seed inputs, seed ${opts.seed}, ${opts.minutes} min; findings go to ${relative(process.cwd(), opts.out) || '.'}`);

  while (Date.now() < deadline) {
    let bytes;
    let how;
    if (seeds.length === 0 || rnd() < 0.05) {
      bytes = randomInput(rnd);
      how = 'random bytes';
    } else {
      const seed = seeds[Math.floor(rnd() * seeds.length)];
      const other = seeds[Math.floor(rnd() * seeds.length)];
      // A gzip file: half the time mutate the capture inside and compress it again, so the
      // reader behind the gzip layer is reached (a flipped compressed bit fails the CRC).
      const inside = seed.name.endsWith('.gz') && rnd() < 0.5;
      const m = mutate(inside ? gunzipSync(seed.bytes) : seed.bytes, rnd, other.bytes);
      bytes = (inside ? new Uint8Array(gzipSync(m.bytes)) : m.bytes).subarray(0, MAX_INPUT_BYTES);
      how = `${seed.name}${inside ? ' (inside the gzip)' : ''} with ${m.applied.join(', ')} (spliced with ${other.name})`;
    }
    const chunk = 1 + Math.floor(rnd() * 65536);
    const r = await runner.run(bytes, chunk);
    counts.inputs++;
    if (r.outcome === 'report' || r.outcome === 'input-error') counts[r.outcome]++;
    else {
      const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
      // One file per distinct failure (the error and where it was thrown, or which check
      // failed), so a campaign does not fill the disk with the same bug.
      const lines = String(r.detail).split('\n');
      const key = `${r.outcome} ${lines[0]} ${lines.find((l) => /^\s+at /.test(l)) ?? ''}`;
      if (!found.has(key)) {
        mkdirSync(opts.out, { recursive: true });
        const file = join(opts.out, `${r.outcome}-${hash}.bin`);
        writeFileSync(file, bytes);
        writeFileSync(`${file}.txt`, `${r.outcome}: ${how}\nchunk size ${chunk}\n\n${r.detail}\n`);
        found.set(key, file);
        console.log(`\nfuzz: ${r.outcome}: ${how}\n  ${String(r.detail).split('\n')[0]}\n  saved ${relative(process.cwd(), file)}\n  reproduce: node bin/dnstrace.js analyze ${relative(process.cwd(), file)}`);
      }
    }
    if (Date.now() - lastPrint > 10_000) {
      lastPrint = Date.now();
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      console.log(`fuzz: ${counts.inputs} inputs (${counts.report} reports, ${counts['input-error']} input errors), ${found.size} findings, ${left} s left`);
    }
  }
  await runner.stop();
  console.log(`fuzz: done: ${counts.inputs} inputs (${counts.report} reports, ${counts['input-error']} input errors), ${found.size} distinct findings`);
  if (found.size > 0) {
    console.log(`fuzz: inputs and stacks in ${relative(process.cwd(), opts.out)}; rerun the same campaign with --seed ${opts.seed}`);
    process.exitCode = 1;
  }
}

await main();
