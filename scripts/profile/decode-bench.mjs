#!/usr/bin/env node
// Decode-stage throughput on one capture, without the analysis: reads the file the way the CLI
// does (1 MiB chunks), decodes every frame in place, and touches the fields the analysis reads
// (as the transaction pairer does), so lazily decoded fields are paid for. Run `npm run build` first.
// Usage: node scripts/profile/decode-bench.mjs CAPTURE [runs=3] [read|decode|touch|full|mem]
//   CAPTURE "-" reads standard input, as `dnstrace analyze -` does (one run)
//   read    only the capture reader (frames handed over in place, not decoded)
//   decode  FrameDecoder, messages dropped unread
//   touch   FrameDecoder + the fields the analysis reads (the default)
//   full    FrameDecoder + every field of every record (what a JSON dump of messages would read)
//   mem     reader + FrameDecoder over the first 200,000 frames held in memory as 1 MiB chunks
//           (the layout the reader sees), a new decoder each pass, best of 10 passes in CPU
//           time: the steadiest figure on a busy machine (no I/O; CPU time ignores waiting
//           for a core)
import { createReadStream, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { FrameDecoder } from '../../dist/decode/frame-decoder.js';
import { sniffInput } from '../../dist/input/open-input.js';
import { readPcap } from '../../dist/input/pcap-reader.js';
import { readPcapng } from '../../dist/input/pcapng-reader.js';

const [file, runsArg, mode = 'touch'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: decode-bench.mjs CAPTURE [runs] [read|decode|touch|full|mem]\n');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
const diag = { anomaly: () => {}, warn: () => {} };

let sink = 0;
function touch(m) {
  sink += m.id + m.frame + m.timeUs + m.src.length + m.dst.length + m.rcode.length + m.counts.an;
  if (m.isResponse) sink += m.flags.tc ? 1 : 0;
  if (m.question !== null) sink += m.question.name.length + m.question.type.length;
  for (const a of m.answers) sink += a.type.length + a.data.length;
}
function touchAll(m) {
  touch(m);
  sink += m.opcode.length + (m.ednsUdpSize ?? 0) + m.size + (m.sectionsComplete ? 1 : 0);
  for (const list of [m.answers, m.authorities, m.additionals]) {
    for (const r of list) sink += r.name.length + r.type.length + r.class.length + (r.ttl ?? 0) + r.data.length;
  }
}

/** A FrameDecoder whose messages are counted and given to `look`. */
function decoderFor(counter, look) {
  return new FrameDecoder(diag, undefined, {
    sink: {
      message(m) {
        counter.messages++;
        if (look !== null) look(m);
      },
      icmpUnreachable() {},
    },
  });
}

async function once() {
  const source = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
  const input = await sniffInput(source, false, diag);
  const read = input.format === 'pcap' ? readPcap : readPcapng;
  const counter = { messages: 0 };
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  if (mode === 'read') {
    const frames = { frameAt(bytes, start, end) { sink += end - start; counter.messages++; } };
    await read(input.chunks, frames, diag);
  } else {
    const decoder = decoderFor(counter, mode === 'touch' ? touch : mode === 'full' ? touchAll : null);
    await read(input.chunks, decoder, diag);
    decoder.finish();
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return { wall, cpuS, messages: counter.messages };
}

/** The first 200,000 records of a classic pcap (uncompressed or gzip), cut into 1 MiB chunks. */
function firstRecords(path) {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const little = bytes.readUInt32LE(0) === 0xa1b2c3d4 || bytes.readUInt32LE(0) === 0xa1b23c4d;
  let pos = 24;
  for (let n = 0; n < 200_000 && pos + 16 <= bytes.length; n++) pos += 16 + (little ? bytes.readUInt32LE(pos + 8) : bytes.readUInt32BE(pos + 8));
  const chunks = [];
  for (let at = 0; at < pos; at += 1 << 20) chunks.push(bytes.subarray(at, Math.min(pos, at + (1 << 20))));
  return chunks;
}

if (mode === 'mem') {
  const chunks = firstRecords(file);
  let best = Infinity;
  let messages = 0;
  for (let pass = 0; pass < 10; pass++) {
    const counter = { messages: 0 };
    const decoder = decoderFor(counter, null);
    const c0 = process.cpuUsage();
    await readPcap((async function* () { yield* chunks; })(), decoder, diag);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) * 1000);
    messages = counter.messages;
  }
  process.stdout.write(`mem: ${messages} messages; best of 10: ${(best / messages).toFixed(0)} ns CPU/message (${Math.round(messages / (best / 1e9)).toLocaleString('en')}/s)\n`);
  process.exit(0);
}

const results = [];
for (let i = 0; i < (file === '-' ? 1 : runs); i++) results.push(await once());
const best = (k) => Math.min(...results.map((r) => r[k]));
const n = results[0].messages;
process.stdout.write(
  `${mode}: ${n} ${mode === 'read' ? 'frames' : 'messages'}; best of ${runs}: wall ${best('wall').toFixed(3)} s ` +
    `(${Math.round(n / best('wall')).toLocaleString('en')}/s), cpu ${best('cpuS').toFixed(3)} s (${Math.round(n / best('cpuS')).toLocaleString('en')}/s)` +
    `${sink === 0.5 ? '' : ''}\n`,
);
