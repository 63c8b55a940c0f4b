#!/usr/bin/env node
// Decode-stage throughput on one capture, without the analysis: reads the file the way the CLI
// does (1 MiB chunks), decodes every frame, and touches the fields the analysis reads (as
// pair-transactions does), so lazily decoded fields are paid for. Run `npm run build` first.
// Usage: node scripts/profile/decode-bench.mjs CAPTURE [runs=3] [read|decode|touch|full]
//   read    only the capture reader (frames, no decoding)
//   decode  FrameDecoder, messages dropped unread
//   touch   FrameDecoder + the fields the analysis reads (the default)
//   full    FrameDecoder + every field of every record (what a JSON dump of messages would read)
//   mem     FrameDecoder over the first 200,000 frames held in memory, best of 10 passes in CPU
//           time: the steadiest figure on a busy machine (no I/O; CPU time ignores waiting for a core)
import { createReadStream } from 'node:fs';
import { FrameDecoder } from '../../dist/decode/frame-decoder.js';
import { sniffInput } from '../../dist/input/open-input.js';
import { readPcap } from '../../dist/input/pcap-reader.js';
import { readPcapng } from '../../dist/input/pcapng-reader.js';

const [file, runsArg, mode = 'touch'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: decode-bench.mjs CAPTURE [runs] [read|decode|touch|full]\n');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);

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

async function once() {
  const diag = { anomaly: () => {}, warn: () => {} };
  const input = await sniffInput(createReadStream(file, { highWaterMark: 1 << 20 }), false, diag);
  const read = input.format === 'pcap' ? readPcap : readPcapng;
  const decoder = new FrameDecoder(diag);
  const out = [];
  let messages = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  if (mode === 'read') {
    await read(input.chunks, (f) => { sink += f.data.length; messages++; }, diag);
  } else {
    const look = mode === 'touch' ? touch : mode === 'full' ? touchAll : null;
    await read(input.chunks, (f) => {
      decoder.decode(f, out);
      if (out.length > 0) {
        messages += out.length;
        if (look !== null) for (const m of out) look(m);
        out.length = 0;
      }
    }, diag);
    decoder.finish();
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return { wall, cpuS, messages };
}

if (mode === 'mem') {
  const diag = { anomaly: () => {}, warn: () => {} };
  const input = await sniffInput(createReadStream(file, { highWaterMark: 1 << 20 }), false, diag);
  const read = input.format === 'pcap' ? readPcap : readPcapng;
  const frames = [];
  await read(input.chunks, (f) => { if (frames.length < 200_000) frames.push({ ...f, data: f.data.slice() }); }, diag);
  let best = Infinity;
  let messages = 0;
  for (let pass = 0; pass < 10; pass++) {
    const decoder = new FrameDecoder(diag);
    const out = [];
    messages = 0;
    const c0 = process.cpuUsage();
    for (const f of frames) {
      decoder.decode(f, out);
      messages += out.length;
      out.length = 0;
    }
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) * 1000);
  }
  process.stdout.write(`mem: ${messages} messages; best of 10: ${(best / messages).toFixed(0)} ns CPU/message (${Math.round(messages / (best / 1e9)).toLocaleString('en')}/s)\n`);
  process.exit(0);
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await once());
const best = (k) => Math.min(...results.map((r) => r[k]));
const n = results[0].messages;
process.stdout.write(
  `${mode}: ${n} ${mode === 'read' ? 'frames' : 'messages'}; best of ${runs}: wall ${best('wall').toFixed(3)} s ` +
    `(${Math.round(n / best('wall')).toLocaleString('en')}/s), cpu ${best('cpuS').toFixed(3)} s (${Math.round(n / best('cpuS')).toLocaleString('en')}/s)` +
    `${sink === 0.5 ? '' : ''}\n`,
);
