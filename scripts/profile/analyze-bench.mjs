#!/usr/bin/env node
// Analysis-stage throughput on one capture, without reading or decoding in the timed part: the
// capture's messages are decoded into memory once, then fed through the analysis the way
// DnsAnalyzer wires it (TransactionPairer → ResolverProfileInferrer + LookupBuilder →
// summariseLookup), with transactions and lookups dropped as they come out. Best of N passes in
// CPU time, the steadiest figure on a busy machine. Run `npm run build` first.
// Usage: node scripts/profile/analyze-bench.mjs CAPTURE [runs=5] [max-messages]
// Prints the CPU time per message and a checksum of the output (the same before and after a
// change that keeps the analysis' results).
import { createReadStream } from 'node:fs';
import { FrameDecoder } from '../../dist/decode/frame-decoder.js';
import { sniffInput } from '../../dist/input/open-input.js';
import { readPcap } from '../../dist/input/pcap-reader.js';
import { readPcapng } from '../../dist/input/pcapng-reader.js';
import { LookupBuilder } from '../../dist/analyze/lookup-builder.js';
import { ResolverProfileInferrer } from '../../dist/analyze/resolver-profile-inferrer.js';
import { TransactionPairer } from '../../dist/analyze/transaction-pairer.js';

const [file, runsArg, maxArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: analyze-bench.mjs CAPTURE [runs] [max-messages]\n');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const max = Number(maxArg ?? Infinity);
const diag = { anomaly: () => {}, warn: () => {} };

async function decodeAll() {
  const input = await sniffInput(createReadStream(file, { highWaterMark: 1 << 20 }), false, diag);
  const read = input.format === 'pcap' ? readPcap : readPcapng;
  const decoder = new FrameDecoder(diag);
  const messages = [];
  const out = [];
  await read(input.chunks, (f) => {
    decoder.decode(f, out);
    for (const m of out) if (messages.length < max) messages.push(m);
    out.length = 0;
  }, diag);
  decoder.finish();
  return messages;
}

/** One pass; returns a small checksum of what came out so that a change of results shows. */
function analyze(messages) {
  let txs = 0;
  let lookups = 0;
  let sum = 0;
  const profiles = new ResolverProfileInferrer({});
  const builder = new LookupBuilder({ timeoutMs: 5000 }, profiles, (l) => {
    lookups++;
    sum = (sum + l.queries * 7 + l.wastedQueries * 13 + l.attempts.length + Math.round(l.elapsedMs) + l.kind.length) & 0xfffffff;
  }, diag);
  const pairer = new TransactionPairer({ timeoutMs: 5000 }, {
    opened: (tx) => {
      profiles.observeQuery(tx);
      builder.addQuery(tx);
    },
    settled: (tx) => {
      builder.settled(tx);
      txs++;
      sum = (sum + Math.round(tx.latencyMs ?? 0) + tx.status.length) & 0xfffffff;
    },
    resent: (tx, gapUs, sends) => profiles.observeResend(tx.clientHost, gapUs, sends),
  }, diag);
  let last = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    pairer.add(m);
    builder.advance(m.timeUs);
    last = m.timeUs;
  }
  pairer.finish(last);
  builder.finish();
  const resolvers = profiles.profiles();
  return { txs, lookups, resolvers: resolvers.length, sum };
}

const messages = await decodeAll();
let best = Infinity;
let result = null;
for (let i = 0; i < runs; i++) {
  const c0 = process.cpuUsage();
  result = analyze(messages);
  const c = process.cpuUsage(c0);
  best = Math.min(best, (c.user + c.system) / 1e6);
}
const n = messages.length;
process.stdout.write(
  `analyze: ${n} messages → ${result.txs} transactions, ${result.lookups} lookups, ${result.resolvers} resolvers (checksum ${result.sum}); ` +
    `best of ${runs}: cpu ${best.toFixed(3)} s, ${((best / n) * 1e6).toFixed(2)} µs/message (${Math.round(n / best).toLocaleString('en')}/s)\n`,
);
