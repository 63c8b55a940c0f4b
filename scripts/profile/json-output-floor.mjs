#!/usr/bin/env node
// The least a JavaScript writer can spend producing a JSON report's bytes on this machine: the
// other half of the floor that core-loop-floor.mjs measures for reading, for the `--format json`
// and `--format jsonl` targets of issue 7 (80% of 1,000,000 messages a second, 1.25 s for a
// million). The report is read first (untimed) and cut into what a writer copies and what it
// must compute: every JSON string (a name, an endpoint, a status) and every run of keys and
// punctuation becomes a piece held as bytes, as if the writer had every one of them ready
// beforehand, and every number stays a number, whose digits must be written. The timed pass then
// writes the whole report again from those, with dnstrace's own byte writer (JsonBytes: pieces
// copied a word at a time, numbers from four-digit tables), into the buffer it hands to a sink
// that drops the bytes. No analysis, no record objects, no lookups of names: only the bytes. A
// SHA-256 of them is checked against the report's, so the pass wrote exactly that report.
// Run `npm run build` first.
// Usage: node scripts/profile/json-output-floor.mjs REPORT.jsonl|REPORT.json [runs=3]
//   (for example: node bin/dnstrace.js analyze --format jsonl F > F.jsonl)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [file, runsArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: json-output-floor.mjs REPORT [runs]\n');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
const { JsonBytes, JsonPiece } = await import('../../dist/report/json-bytes.js');

const text = readFileSync(file);
const want = createHash('sha256').update(text).digest('hex');

// The report as a program: op >= 0 writes piece `op`, op = -1 writes the next number.
const pieces = [];
const pieceIds = new Map();
let ops = new Int32Array(1 << 20);
let opCount = 0;
let numbers = new Float64Array(1 << 18);
let numberCount = 0;
let records = 0;

/** `array` in one twice its size (same type), its items copied. */
function doubled(array) {
  const grown = new array.constructor(array.length * 2);
  grown.set(array);
  return grown;
}

function emit(op) {
  if (opCount === ops.length) ops = doubled(ops);
  ops[opCount++] = op;
}

function emitPiece(from, to) {
  if (to <= from) return;
  const key = text.toString('latin1', from, to);
  let id = pieceIds.get(key);
  if (id === undefined) {
    id = pieces.length;
    pieces.push(new JsonPiece(new Uint8Array(text.subarray(from, to))));
    pieceIds.set(key, id);
  }
  emit(id);
}

function emitNumber(value) {
  if (numberCount === numbers.length) numbers = doubled(numbers);
  numbers[numberCount++] = value;
  emit(-1);
}

const QUOTE = 0x22;
const isNumberStart = (c) => c === 0x2d || (c >= 0x30 && c <= 0x39);
const isNumberByte = (c) => isNumberStart(c) || c === 0x2e || c === 0x2b || c === 0x65 || c === 0x45;
// A run of keys and punctuation starts here; it ends at a value string or a number.
let run = 0;
for (let i = 0; i < text.length; ) {
  const c = text[i];
  if (c === QUOTE) {
    let j = i + 1;
    while (text[j] !== QUOTE) j += text[j] === 0x5c ? 2 : 1;
    j++;
    // A key stays in the run with its colon; a value string is a piece of its own.
    if (text[j] === 0x3a) {
      i = j + 1;
      continue;
    }
    emitPiece(run, i);
    emitPiece(i, j);
    i = run = j;
  } else if (isNumberStart(c)) {
    let j = i + 1;
    while (isNumberByte(text[j])) j++;
    emitPiece(run, i);
    emitNumber(Number(text.toString('latin1', i, j)));
    i = run = j;
  } else {
    if (c === 0x0a) records++;
    i++;
  }
}
emitPiece(run, text.length);

let best = null;
for (let r = 0; r < runs; r++) {
  const hash = createHash('sha256');
  let bytes = 0;
  // The hash is taken apart from the timed pass: the floor is the writing, not the checking.
  const kept = r === 0 ? [] : null;
  const out = new JsonBytes(
    (b) => {
      bytes += b.length;
      if (kept) kept.push(Buffer.from(b));
    },
    { sinkIsSynchronous: true },
  );
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  for (let i = 0; i < opCount; i++) {
    const op = ops[i];
    if (op >= 0) out.piece(pieces[op]);
    else out.number(numbers[n++]);
  }
  out.flush();
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  if (kept) {
    for (const b of kept) hash.update(b);
    const got = hash.digest('hex');
    if (got !== want) {
      process.stderr.write(`json-output-floor.mjs: the bytes written differ from the report (sha256 ${got.slice(0, 16)} against ${want.slice(0, 16)})\n`);
      process.exit(1);
    }
  }
  if (best === null || cpuS < best.cpuS) best = { wallS, cpuS, bytes };
}

process.stdout.write(
  `${records} records, ${best.bytes} bytes (sha256 ${want.slice(0, 16)}, written identically): ${opCount} writes, ` +
    `${numberCount} of them numbers, from ${pieces.length} distinct pieces\n` +
    `best of ${runs}: ${best.cpuS.toFixed(3)} s CPU, ${best.wallS.toFixed(3)} s wall, ${((best.cpuS / records) * 1e6).toFixed(2)} µs a record, ` +
    `${((best.cpuS / best.bytes) * 1e9).toFixed(2)} ns a byte\n`,
);
