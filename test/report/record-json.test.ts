import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../scripts/fuzz/mutate.mjs';
import { written } from './json-bytes-helpers.js';
import type { DnsRecord, Lookup, Report, Transaction } from '../../src/model.js';
import { renderJsonLines } from '../../src/report/json-lines-writer.js';
import { MAX_KEPT_BYTES, MAX_KEPT_VARIANTS } from '../../src/report/kept-pieces.js';
import { writeLookupMembers } from '../../src/report/lookup-json.js';
import { writeTransactionMembers } from '../../src/report/transaction-json.js';
import { generateCapture } from '../../scripts/bench/generate-capture.js';
import { InputError } from '../../src/input/input-error.js';
import { analyze } from '../../src/pipeline.js';
import { FIXTURES, HAVE_CORPUS, analyzeBytes, analyzeFile } from '../helpers.js';
import { noteMissingCorpus, realCaptures, realTexts } from '../robustness/real-inputs.js';
import { HOSTILE } from './hostile-report.js';
import { asWritten } from '../transaction-with.js';
import { buildHostileCapture } from './hostile-capture.js';

const random = seededRandom(20260115);

// The hand-written serialisers against JSON.stringify, which they replace: the same text, byte
// for byte, for every transaction and lookup of every real input, and for hostile values.


function transactionJson(tx: Transaction): string {
  return written((out) => {
    out.byte(0x7b);
    writeTransactionMembers(out, tx);
    out.byte(0x7d);
  });
}

function lookupJson(l: Lookup): string {
  return written((out) => {
    out.byte(0x7b);
    writeLookupMembers(out, l);
    out.byte(0x7d);
  });
}

/** JSON Lines as the writer wrote it before it was hand-written: JSON.stringify of each record. */
function referenceJsonLines(report: Report): string {
  const line = (record: string, body: object): string => `${JSON.stringify({ record, ...body })}\n`;
  return [
    ...report.transactions.map((tx) => line('transaction', asWritten(tx))),
    ...report.lookups.map((l) => line('lookup', l)),
    ...report.findings.map((f) => line('finding', f)),
    ...report.resolvers.map((p) => line('resolver', p)),
    ...report.anomalies.map((a) => line('anomaly', a)),
    line('summary', { schemaVersion: report.schemaVersion, input: report.input, summary: report.summary, aggregates: report.aggregates, warnings: report.warnings }),
  ].join('');
}

/** Every record of `report` against JSON.stringify; returns how many were compared. */
function expectAsStringify(report: Report, what: string): number {
  for (const tx of report.transactions) expect(transactionJson(tx), `${what} transaction ${tx.queryFrame ?? tx.responseFrame}`).toBe(JSON.stringify(asWritten(tx)));
  for (const l of report.lookups) expect(lookupJson(l), `${what} lookup ${l.firstFrame}`).toBe(JSON.stringify(l));
  expect(renderJsonLines(report), what).toBe(referenceJsonLines(report));
  return report.transactions.length + report.lookups.length;
}

/** Strings JSON.stringify must escape, or must not, and that a byte-by-byte copy could get wrong. */
const ALL_LATIN1 = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
const HOSTILE_STRINGS: readonly string[] = [
  '',
  ALL_LATIN1,
  `a${ALL_LATIN1}z`,
  '"',
  '\\',
  '"quoted" and \\back\\slashed\\',
  '\u2028\u2029 line and paragraph separators, not escaped',
  '\ud800 lone high',
  'lone low \udc00',
  '\udfff',
  'reversed \udc00\ud800 pair',
  'a real pair 😀 and é and 中',
  '\x7f del is not escaped',
  '\x00\x01\x1f\x20',
  `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
  `${'x'.repeat(70_000)}"`,
  '\x00'.repeat(20_000),
  HOSTILE,
];

const NUMBERS: readonly number[] = [
  0, -0, 1, -1, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 99_999, 12_345_678, 99_999_999, 1e8 - 1, 1e8, 1e8 + 1,
  2 ** 31 - 1, 2 ** 31, 2 ** 32, 123_456_789_012, 1_768_471_200_000_000, 1_768_471_200_000_078, 9_999_999_999_999_999,
  Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, 2 ** 53, 2 ** 53 + 2, 1e21, 1.5e300, Number.MAX_VALUE,
  0.1, 0.078, 37.828, 1e-7, 5e-324, -1.5, -1_768_471_200_000_000, 1_768_471_200_000_000.5, NaN, Infinity, -Infinity,
];

describe('the hand-written JSON of transactions and lookups', () => {
  noteMissingCorpus();

  it('is JSON.stringify of every transaction and lookup of every fixture and corpus capture', async () => {
    let compared = 0;
    for (const input of realCaptures()) compared += expectAsStringify(await analyzeBytes(input.bytes, {}, input.name), input.name);
    // The fixtures alone hold 284 records; the corpus, where it is, adds hundreds more.
    expect(compared).toBeGreaterThan(HAVE_CORPUS ? 300 : 250);
  });

  it('is JSON.stringify of every transaction and lookup of every fixture and corpus tcpdump text', async () => {
    let compared = 0;
    for (const input of realTexts()) {
      // A text without one DNS line (another protocol's tcpdump output) is refused, not analysed.
      const report = await analyzeBytes(input.bytes, {}, input.name).catch((e: unknown) => (e instanceof InputError ? null : Promise.reject(e)));
      if (report !== null) compared += expectAsStringify(report, input.name);
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('is JSON.stringify of every record of a generated benchmark capture, and of the hostile capture', async () => {
    const { chunks } = generateCapture({ messages: 20_000 });
    const bench = await analyze({ name: 'generated.pcap', chunks: (async function* () { yield* chunks; })() });
    expect(expectAsStringify(bench, 'generated')).toBe(10_000 + 1455);
    expect(expectAsStringify(await analyzeBytes(buildHostileCapture(), {}, 'hostile.pcap'), 'hostile')).toBeGreaterThan(2);
  });

  it('escapes hostile strings in every string field exactly as JSON.stringify does', async () => {
    const report = await analyzeFile(`${FIXTURES}externalname-vs-search.pcap`);
    const tx = report.transactions.find((t) => t.answers.length > 1) as Transaction;
    const l = report.lookups.find((x) => x.attempts.length > 1) as Lookup;
    for (const s of HOSTILE_STRINGS) {
      const record: DnsRecord = { name: s, type: s, class: s, ttl: 300, data: s };
      const hostileTx: Transaction = { ...tx, client: s, server: s, name: s, type: s, rcode: s, natServer: s, answers: [record, record] };
      expect(transactionJson(hostileTx)).toBe(JSON.stringify(asWritten(hostileTx)));
      const attempts = l.attempts.map((a) => ({ ...a, name: s, type: s, rcode: s, suffix: s }));
      const hostileLookup: Lookup = { ...l, client: s, name: s, types: [s, s], attempts, answeredName: s, suffix: s, cname: s, addresses: [s], suffixesTried: [s, '', s] };
      expect(lookupJson(hostileLookup)).toBe(JSON.stringify(hostileLookup));
    }
  });

  it('writes every number exactly as JSON.stringify does, in every numeric field', async () => {
    const report = await analyzeFile(`${FIXTURES}externalname-vs-search.pcap`);
    const tx = report.transactions[0];
    const l = report.lookups[0];
    const randomOnes = Array.from({ length: 20_000 }, (_, i) => (i % 2 === 0 ? Math.floor(random() * Number.MAX_SAFE_INTEGER) : Math.floor(random() * 9e7 + 1) * 1e8 - 1));
    for (const n of [...NUMBERS, ...randomOnes]) {
      const numericTx: Transaction = {
        ...tx,
        id: n,
        latencyMs: n,
        latencyFromLastMs: n,
        queryFrame: n,
        responseFrame: n,
        queryTimeUs: n,
        responseTimeUs: n,
        lastSendUs: n,
        retransmissionFrames: [n, n],
        duplicateResponseFrames: [n],
        answers: [{ name: 'a', type: 'A', class: 'IN', ttl: n, data: '1.2.3.4' }],
        answerCount: n,
        retryOf: n,
        retriedBy: n,
        icmpFrame: n,
        copyFrames: [n],
      };
      expect(transactionJson(numericTx), String(n)).toBe(JSON.stringify(asWritten(numericTx)));
      const attempt = { ...l.attempts[0], latencyMs: n, offsetMs: n, queryFrame: n, responseFrame: n };
      const numericLookup: Lookup = { ...l, attempts: [attempt], queries: n, wastedQueries: n, elapsedMs: n, wastedMs: n, fqdnQueries: n, fqdnMs: n, firstFrame: n, lastFrame: n, startUs: n, retries: n };
      expect(lookupJson(numericLookup), String(n)).toBe(JSON.stringify(numericLookup));
    }
  });

  it('writes nulls, empty lists and every combination of flags as JSON.stringify does', async () => {
    const report = await analyzeFile(`${FIXTURES}externalname-vs-search.pcap`);
    const tx = report.transactions[0];
    const nulls: Transaction = { ...tx, name: null, type: null, rcode: null, latencyMs: null, latencyFromLastMs: null, queryFrame: null, responseFrame: null, queryTimeUs: null, responseTimeUs: null, lastSendUs: null, answers: [], flags: null, retryOf: null, retryReason: null, retriedBy: null, icmpFrame: null, natServer: null };
    expect(transactionJson(nulls)).toBe(JSON.stringify(asWritten(nulls)));
    for (let bits = 0; bits < 64; bits++) {
      const flags = { aa: (bits & 1) !== 0, tc: (bits & 2) !== 0, rd: (bits & 4) !== 0, ra: (bits & 8) !== 0, ad: (bits & 16) !== 0, cd: (bits & 32) !== 0 };
      const withFlags = { ...tx, flags };
      expect(transactionJson(withFlags)).toBe(JSON.stringify(asWritten(withFlags)));
    }
    const l = report.lookups[0];
    const empty: Lookup = { ...l, types: [], attempts: [], answeredName: null, suffix: null, cname: null, addresses: [], fqdnMs: null, firstFrame: null, lastFrame: null, suffixesTried: [] };
    expect(lookupJson(empty)).toBe(JSON.stringify(empty));
  });

  it('keeps the text of a shared answer list apart for each answer count and flags, and never for a list that can change', async () => {
    const report = await analyzeFile(`${FIXTURES}externalname-vs-search.pcap`);
    const tx = report.transactions.find((t) => t.answers.length > 1) as Transaction;
    expect(Object.isFrozen(tx.answers)).toBe(true);
    const variants: Transaction[] = [tx, { ...tx, answerCount: 7 }, { ...tx, flags: null }, { ...tx, flags: { ...(tx.flags as Transaction['flags'] & object), tc: true } }, { ...tx, copyFrames: [3] }, tx];
    for (const v of variants) expect(transactionJson(v)).toBe(JSON.stringify(asWritten(v)));
    const answers = [...tx.answers];
    const open: Transaction = { ...tx, answers };
    expect(transactionJson(open)).toBe(JSON.stringify(asWritten(open)));
    answers.pop();
    expect(transactionJson(open)).toBe(JSON.stringify(asWritten(open)));
  });

  it("keeps a name's question and attempt texts apart for each server, transport, type, rcode and suffix, past as many variants as it keeps and past as many names", async () => {
    const report = await analyzeFile(`${FIXTURES}externalname-vs-search.pcap`);
    const tx = report.transactions[0];
    const l = report.lookups.find((x) => x.attempts.length > 1) as Lookup;
    const txVariants: Transaction[] = [];
    const lookupVariants: Lookup[] = [];
    for (const server of ['10.96.0.10:53', '10.96.0.11:53', '[fd00::a]:53']) {
      for (const transport of ['udp', 'tcp'] as const) {
        for (const type of ['A', 'AAAA', null, 'A\u0000"']) {
          for (const rcode of ['NOERROR', 'NXDOMAIN', null]) txVariants.push({ ...tx, server, transport, type, rcode });
        }
      }
    }
    for (const type of ['A', 'AAAA', 'TYPE65534']) {
      for (const rcode of ['NOERROR', 'NXDOMAIN', null]) {
        for (const suffix of ['svc.cluster.local', 'cluster.local', '', null]) {
          lookupVariants.push({ ...l, attempts: l.attempts.map((a) => ({ ...a, type, rcode, suffix })) });
        }
      }
    }
    expect(Math.min(txVariants.length, lookupVariants.length)).toBeGreaterThan(MAX_KEPT_VARIANTS);
    // Twice each: written, then (while kept) copied; then many names, then the first ones again.
    // Names of 200 characters: a few thousand fill MAX_KEPT_BYTES.
    const manyNames = Array.from({ length: Math.ceil(MAX_KEPT_BYTES / 400) }, (_, i) => `${'n'.repeat(190)}-${i}.example`);
    for (let round = 0; round < 2; round++) {
      for (const v of txVariants) expect(transactionJson(v)).toBe(JSON.stringify(asWritten(v)));
      for (const v of lookupVariants) expect(lookupJson(v)).toBe(JSON.stringify(v));
    }
    for (const name of manyNames) {
      const named: Transaction = { ...tx, name };
      expect(transactionJson(named)).toBe(JSON.stringify(asWritten(named)));
      const walked: Lookup = { ...l, attempts: l.attempts.map((a) => ({ ...a, name })) };
      expect(lookupJson(walked)).toBe(JSON.stringify(walked));
    }
    for (const v of [...txVariants.slice(0, 5), ...txVariants.slice(-5)]) expect(transactionJson(v)).toBe(JSON.stringify(asWritten(v)));
    for (const v of [...lookupVariants.slice(0, 5), ...lookupVariants.slice(-5)]) expect(lookupJson(v)).toBe(JSON.stringify(v));
  });

  it('gives the same text when the buffer fills in the middle of a record, whatever the record', async () => {
    const report = await analyzeFile(`${FIXTURES}externalname-vs-search.pcap`);
    const tx = report.transactions[0];
    // Records of growing length, so that the 64 KiB buffer boundaries fall at every offset of one.
    const many: Report = { ...report, transactions: Array.from({ length: 3000 }, (_, i) => ({ ...tx, client: `${'c'.repeat(i % 97)}${i % 5 === 0 ? HOSTILE : ''}` })) };
    expect(renderJsonLines(many)).toBe(referenceJsonLines(many));
  });
});
