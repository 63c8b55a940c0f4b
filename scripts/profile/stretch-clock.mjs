#!/usr/bin/env node
// Writes a copy of a classic pcap whose clock runs K times slower: every record's time since the
// first record is multiplied by K, the bytes are left alone. The same messages then spread over
// K times the capture time, so what the analysis keeps open for a span of capture time (the
// pairer's linger after an answer, the builder's step gap: a second each) holds K times fewer
// messages' worth of objects. Comparing a stage's cost on both files (stage-bench.mjs) tells what
// that open state costs: the collector copying and promoting it, and cache misses on reading it
// again. The analysis' results differ a little (a 5 s resend becomes a 500 s one at K = 100).
// Usage: node scripts/profile/stretch-clock.mjs IN.pcap OUT.pcap K
//   e.g. node scripts/profile/stretch-clock.mjs bench-data/realistic-1000000.pcap /tmp/x100.pcap 100
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output, kArg] = process.argv.slice(2);
const k = Number(kArg);
if (!input || !output || !(k > 0)) {
  process.stderr.write('usage: stretch-clock.mjs IN.pcap OUT.pcap K\n');
  process.exit(2);
}
const bytes = readFileSync(input);
const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const magic = bytes.length >= 24 ? view.getUint32(0, true) : 0;
// Little-endian microsecond pcap only: what the benchmark's generator and most tcpdumps write.
if (magic !== 0xa1b2c3d4) {
  process.stderr.write(`${input}: not a little-endian microsecond pcap\n`);
  process.exit(2);
}
let first = null;
for (let at = 24; at + 16 <= bytes.length; at += 16 + view.getUint32(at + 8, true)) {
  const us = view.getUint32(at, true) * 1e6 + view.getUint32(at + 4, true);
  first ??= us;
  const stretched = Math.round(first + (us - first) * k);
  view.setUint32(at, Math.floor(stretched / 1e6), true);
  view.setUint32(at + 4, stretched % 1e6, true);
}
writeFileSync(output, bytes);
