#!/usr/bin/env node
// Would a second thread make a run faster on this machine? Measures the analysis of a capture
// (DnsAnalyzer and ReportAccumulator: the default report without rendering) three ways, each in
// worker threads of a fresh process with the CLI's heap limits, in turns:
//   one     one worker reads, decodes and analyses, as `dnstrace analyze` does today;
//   decode  this thread reads and decodes, and hands each message to the worker through a ring
//           in shared memory, as numbers: strings and decoded parts (question, records, flags,
//           counts) go once each, with an id the later messages name; the worker rebuilds one
//           reused DnsMessage from them and analyses it;
//   shards  two workers each read and decode the whole capture and analyse half of its clients
//           (by a hash of the client's host: pairing, lookups and resolver profiles are all per
//           client), as a sharded analysis would before merging its two reports.
// Each prints a checksum of what the analysis made and its transaction and lookup counts:
// `decode` must match `one` exactly; `shards` must match its counts (its checksum differs only
// by the findings, which each shard counts for its own half). Not done: ICMP errors, the
// decoder's diagnostics and accounting, merging two reports (the bench's capture has no ICMP and
// no bad packets). Run `npm run build` first.
// Usage: node scripts/profile/parallel-analysis-bench.mjs CAPTURE [rounds=3] [modes=one,decode,shards]
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { heapLimits } from '../../dist/cli/host/heap-limits.js';

const RING_BYTES = 8 << 20;
/** The producer wakes the consumer after this many bytes (and at the end). */
const NOTIFY_BYTES = 64 << 10;
// Control words: [0] bytes written (total), [1] bytes read (total), [2] done.
const WRITTEN = 0;
const READ = 1;
const DONE = 2;
// Record kinds.
const MESSAGE = 1;
const DEFINE_STRING = 2;
const DEFINE_VALUE = 3;
const TRANSPORTS = ['udp', 'tcp'];

const here = fileURLToPath(import.meta.url);
const diag = { anomaly: () => {}, warn: () => {} };
// The CLI's worker limits, DNSTRACE_MAX_HEAP_MB included.
const limits = heapLimits(process.env);

if (!isMainThread) {
  const { mode, file, shard, shared } = workerData;
  parentPort.postMessage(mode === 'decode' ? await consume(shared) : await analyseAlone(file, shard));
} else if (process.env.PARALLEL_BENCH_CHILD) {
  const [mode, file] = process.env.PARALLEL_BENCH_CHILD.split('\n');
  const t0 = process.hrtime.bigint();
  const result = await (mode === 'one' ? runWorker({ mode, file }) : mode === 'decode' ? runDecodeThread(file) : runShards(file));
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ ...result, wall, cpuS: (cpu.user + cpu.system) / 1e6, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
} else {
  const [file, roundsArg, modesArg] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: parallel-analysis-bench.mjs CAPTURE [rounds] [one,decode,shards]\n');
    process.exit(2);
  }
  const rounds = Number(roundsArg ?? 3);
  const modes = (modesArg ?? 'one,decode,shards').split(',');
  const runs = Object.fromEntries(modes.map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    for (const mode of modes) {
      const out = execFileSync(process.execPath, [here], { env: { ...process.env, PARALLEL_BENCH_CHILD: `${mode}\n${file}` }, maxBuffer: 1 << 20 });
      runs[mode].push(JSON.parse(out.toString()));
    }
  }
  for (const mode of modes) {
    const walls = runs[mode].map((x) => x.wall.toFixed(2)).join(' ');
    const med = runs[mode].sort((a, b) => a.wall - b.wall)[Math.floor(runs[mode].length / 2)];
    process.stdout.write(
      `${mode.padEnd(6)} ${med.messages} messages (checksum ${med.sum}, ${med.transactions} transactions, ${med.lookups} lookups); ` +
        `median of ${rounds}: wall ${med.wall.toFixed(2)} s (${Math.round(med.messages / med.wall).toLocaleString('en-US')} msgs/s), ` +
        `cpu ${med.cpuS.toFixed(2)} s, peak RSS ${med.rssMb} MB; walls in turn ${walls}\n`,
    );
  }
}

function runWorker(data) {
  return new Promise((resolve, reject) => {
    const w = new Worker(here, { workerData: data, resourceLimits: limits });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

async function runShards(file) {
  const halves = await Promise.all([0, 1].map((shard) => runWorker({ mode: 'shards', file, shard })));
  const [a, b] = halves;
  return { messages: a.messages + b.messages, sum: (a.sum + b.sum) & 0xfffffff, transactions: a.transactions + b.transactions, lookups: a.lookups + b.lookups };
}

/** What the analysis made, summed: both modes must print the same. */
async function newAnalysis() {
  const { DnsAnalyzer } = await import('../../dist/analyze/dns-analyzer.js');
  const { ReportAccumulator } = await import('../../dist/analyze/report-accumulator.js');
  const acc = new ReportAccumulator();
  const state = { sum: 0, messages: 0, lastUs: 0, transactions: 0, lookups: 0 };
  const analyzer = new DnsAnalyzer({ timeoutMs: 5000, resolver: {} }, diag, {
    transaction(tx, retry) {
      state.transactions++;
      state.sum = (state.sum + tx.status.length + Math.round(tx.latencyMs ?? 0) + tx.answers.length) & 0xfffffff;
      acc.transaction(tx, retry);
    },
    lookup(l, attemptTx) {
      state.lookups++;
      state.sum = (state.sum + l.queries * 7 + l.attempts.length + l.kind.length) & 0xfffffff;
      acc.lookup(l, attemptTx);
    },
  });
  return {
    add(m) {
      state.messages++;
      if (m.timeUs > state.lastUs) state.lastUs = m.timeUs;
      analyzer.add(m);
    },
    finish() {
      const { resolvers } = analyzer.finish(state.lastUs);
      state.sum = (state.sum + acc.finish(resolvers, new Map()).findings.length) & 0xfffffff;
      return { messages: state.messages, sum: state.sum, transactions: state.transactions, lookups: state.lookups };
    },
  };
}

/** Reads and decodes `file` (pcap or pcapng), each message to `onMessage` (one reused object). */
async function decode(file, onMessage) {
  const { FrameDecoder } = await import('../../dist/decode/frame-decoder.js');
  const { sniffInput } = await import('../../dist/input/open-input.js');
  const { readPcap } = await import('../../dist/input/pcap-reader.js');
  const { readPcapng } = await import('../../dist/input/pcapng-reader.js');
  const input = await sniffInput(createReadStream(file, { highWaterMark: 1 << 20 }), false, diag);
  const decoder = new FrameDecoder(diag, undefined, { sink: { message: onMessage, icmpUnreachable() {} }, reuseMessages: true });
  await (input.format === 'pcap' ? readPcap : readPcapng)(input.chunks, decoder, diag);
  decoder.finish();
}

/** `shard` (0 or 1): only the messages of clients whose host hashes to it; all when undefined. */
async function analyseAlone(file, shard) {
  const analysis = await newAnalysis();
  const shardOf = new Map();
  await decode(file, (m) => {
    if (shard !== undefined) {
      // A client's host: the source of a query, the destination of a response.
      const client = m.isResponse ? m.dstHost : m.srcHost;
      let s = shardOf.get(client);
      if (s === undefined) shardOf.set(client, (s = hashOf(client) & 1));
      if (s !== shard) return;
    }
    analysis.add(m);
  });
  return analysis.finish();
}

async function runDecodeThread(file) {
  const shared = new SharedArrayBuffer(RING_BYTES + 64);
  const control = new Int32Array(shared, 0, 16);
  const ring = new Uint8Array(shared, 64, RING_BYTES);
  const view = new DataView(shared, 64, RING_BYTES);
  const done = runWorker({ mode: 'decode', shared });
  const encoder = new TextEncoder();
  // Ids by identity: strings (endpoints, hosts, names) and decoded parts (shared, frozen objects).
  const stringIds = new Map();
  const valueIds = new Map();
  let written = 0;
  let notifiedAt = 0;
  const room = (n) => {
    // Waits until the consumer has read enough for n more bytes (never wrapping a record).
    while (written + n - Atomics.load(control, READ) > RING_BYTES) {
      Atomics.store(control, WRITTEN, written);
      Atomics.notify(control, WRITTEN);
      Atomics.wait(control, READ, Atomics.load(control, READ), 5);
    }
  };
  // Records never wrap: when one would not fit before the ring's end, a zero kind skips to the start.
  const at = (n) => {
    let pos = written % RING_BYTES;
    if (pos + n > RING_BYTES) {
      room(RING_BYTES - pos);
      ring[pos] = 0;
      written += RING_BYTES - pos;
      pos = 0;
    }
    room(n);
    return pos;
  };
  const bytesRecord = (kind, id, bytes) => {
    const pos = at(9 + bytes.length);
    view.setUint8(pos, kind);
    view.setUint32(pos + 1, id, true);
    view.setUint32(pos + 5, bytes.length, true);
    ring.set(bytes, pos + 9);
    written += 9 + bytes.length;
  };
  const stringId = (s) => {
    let id = stringIds.get(s);
    if (id === undefined) {
      stringIds.set(s, (id = stringIds.size));
      bytesRecord(DEFINE_STRING, id, encoder.encode(s));
    }
    return id;
  };
  const valueId = (v) => {
    if (v === null) return 0xffffffff;
    let id = valueIds.get(v);
    if (id === undefined) {
      valueIds.set(v, (id = valueIds.size));
      bytesRecord(DEFINE_VALUE, id, encoder.encode(JSON.stringify(v)));
    }
    return id;
  };
  await decode(file, (m) => {
    const src = stringId(m.src);
    const dst = stringId(m.dst);
    const srcHost = stringId(m.srcHost);
    const dstHost = stringId(m.dstHost);
    const rcode = stringId(m.rcode);
    const opcode = stringId(m.opcode);
    const question = valueId(m.question);
    const answers = valueId(m.answers);
    const authorities = valueId(m.authorities);
    const additionals = valueId(m.additionals);
    const flags = valueId(m.flags);
    const counts = valueId(m.counts);
    const pos = at(64);
    view.setUint8(pos, MESSAGE);
    view.setUint8(pos + 1, (m.isResponse ? 1 : 0) | (m.transport === 'tcp' ? 2 : 0) | (m.sectionsComplete ? 4 : 0));
    view.setUint16(pos + 2, m.id, true);
    view.setUint32(pos + 4, m.frame, true);
    view.setFloat64(pos + 8, m.timeUs, true);
    view.setUint32(pos + 16, src, true);
    view.setUint32(pos + 20, dst, true);
    view.setUint32(pos + 24, srcHost, true);
    view.setUint32(pos + 28, dstHost, true);
    view.setUint32(pos + 32, rcode, true);
    view.setUint32(pos + 36, question, true);
    view.setUint32(pos + 40, answers, true);
    view.setUint32(pos + 44, authorities, true);
    view.setUint32(pos + 48, additionals, true);
    view.setUint32(pos + 52, flags, true);
    view.setUint32(pos + 56, counts, true);
    view.setUint16(pos + 60, opcode, true);
    view.setUint16(pos + 62, m.size, true);
    written += 64;
    if (written - notifiedAt >= NOTIFY_BYTES) {
      notifiedAt = written;
      Atomics.store(control, WRITTEN, written);
      Atomics.notify(control, WRITTEN);
    }
  });
  Atomics.store(control, WRITTEN, written);
  Atomics.store(control, DONE, 1);
  Atomics.notify(control, WRITTEN);
  return done;
}

async function consume(shared) {
  const analysis = await newAnalysis();
  const control = new Int32Array(shared, 0, 16);
  const ring = new Uint8Array(shared, 64, RING_BYTES);
  const view = new DataView(shared, 64, RING_BYTES);
  const decoder = new TextDecoder();
  const strings = [];
  const values = [];
  const value = (id) => (id === 0xffffffff ? null : values[id]);
  const m = {
    frame: 0, timeUs: 0, src: '', dst: '', srcHost: '', dstHost: '', transport: 'udp', id: 0, isResponse: false, opcode: 'QUERY',
    flags: null, rcode: 'NOERROR', question: null, answers: [], authorities: [], additionals: [], sectionsComplete: true, counts: null, size: 0, ednsUdpSize: null,
  };
  let read = 0;
  for (;;) {
    const written = Atomics.load(control, WRITTEN);
    if (read === written) {
      if (Atomics.load(control, DONE) === 1 && Atomics.load(control, WRITTEN) === read) break;
      Atomics.wait(control, WRITTEN, written, 5);
      continue;
    }
    while (read < written) {
      const pos = read % RING_BYTES;
      const kind = ring[pos];
      if (kind === 0) {
        read += RING_BYTES - pos;
        continue;
      }
      if (kind === MESSAGE) {
        const bits = ring[pos + 1];
        m.isResponse = (bits & 1) !== 0;
        m.transport = TRANSPORTS[(bits >> 1) & 1];
        m.sectionsComplete = (bits & 4) !== 0;
        m.id = view.getUint16(pos + 2, true);
        m.frame = view.getUint32(pos + 4, true);
        m.timeUs = view.getFloat64(pos + 8, true);
        m.src = strings[view.getUint32(pos + 16, true)];
        m.dst = strings[view.getUint32(pos + 20, true)];
        m.srcHost = strings[view.getUint32(pos + 24, true)];
        m.dstHost = strings[view.getUint32(pos + 28, true)];
        m.rcode = strings[view.getUint32(pos + 32, true)];
        m.question = value(view.getUint32(pos + 36, true));
        m.answers = value(view.getUint32(pos + 40, true));
        m.authorities = value(view.getUint32(pos + 44, true));
        m.additionals = value(view.getUint32(pos + 48, true));
        m.flags = value(view.getUint32(pos + 52, true));
        m.counts = value(view.getUint32(pos + 56, true));
        m.opcode = strings[view.getUint16(pos + 60, true)];
        m.size = view.getUint16(pos + 62, true);
        read += 64;
        Atomics.store(control, READ, read);
        analysis.add(m);
        continue;
      }
      const id = view.getUint32(pos + 1, true);
      const length = view.getUint32(pos + 5, true);
      const text = decoder.decode(ring.subarray(pos + 9, pos + 9 + length));
      if (kind === DEFINE_STRING) strings[id] = text;
      else values[id] = Object.freeze(JSON.parse(text));
      read += 9 + length;
    }
    Atomics.store(control, READ, read);
    Atomics.notify(control, READ);
  }
  return analysis.finish();
}

function hashOf(s) {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h >>> 0;
}
