import type { DnsFlags, DnsRecord, Transaction } from '../model.js';
import { JsonBytes, asciiBytes } from './json-bytes.js';

const K = {
  id: asciiBytes('"id":'),
  client: asciiBytes(',"client":'),
  server: asciiBytes(',"server":'),
  transport: asciiBytes(',"transport":'),
  name: asciiBytes(',"name":'),
  type: asciiBytes(',"type":'),
  rcode: asciiBytes(',"rcode":'),
  latencyMs: asciiBytes(',"latencyMs":'),
  latencyFromLastMs: asciiBytes(',"latencyFromLastMs":'),
  queryFrame: asciiBytes(',"queryFrame":'),
  responseFrame: asciiBytes(',"responseFrame":'),
  status: asciiBytes(',"status":'),
  queryTimeUs: asciiBytes(',"queryTimeUs":'),
  responseTimeUs: asciiBytes(',"responseTimeUs":'),
  lastSendUs: asciiBytes(',"lastSendUs":'),
  retransmissionFrames: asciiBytes(',"retransmissionFrames":'),
  duplicateResponseFrames: asciiBytes(',"duplicateResponseFrames":'),
  answers: asciiBytes(',"answers":'),
  answerCount: asciiBytes(',"answerCount":'),
  flags: asciiBytes(',"flags":'),
  retryOf: asciiBytes(',"retryOf":'),
  retryReason: asciiBytes(',"retryReason":'),
  retriedBy: asciiBytes(',"retriedBy":'),
  icmpFrame: asciiBytes(',"icmpFrame":'),
  copyFrames: asciiBytes(',"copyFrames":'),
  natServer: asciiBytes(',"natServer":'),
  recordName: asciiBytes('{"name":'),
  recordType: asciiBytes(',"type":'),
  recordClass: asciiBytes(',"class":'),
  recordTtl: asciiBytes(',"ttl":'),
  recordData: asciiBytes(',"data":'),
} as const;

/**
 * A Transaction's members as JSON.stringify writes them, without the braces (JSON Lines puts its
 * `record` key first): the same keys in the same order, the order in which the analysis builds
 * every transaction and model.ts lists them. No key of a Transaction is optional, so none is ever
 * left out. `test/report/record-json.test.ts` holds this to JSON.stringify on every fixture and
 * corpus capture and on hostile names; a key added to the model fails it until it is added here.
 */
export function writeTransactionMembers(out: JsonBytes, tx: Transaction): void {
  out.bytes(K.id);
  out.number(tx.id);
  out.bytes(K.client);
  out.string(tx.client);
  out.bytes(K.server);
  out.string(tx.server);
  out.bytes(K.transport);
  out.string(tx.transport);
  out.bytes(K.name);
  out.stringOrNull(tx.name);
  out.bytes(K.type);
  out.stringOrNull(tx.type);
  out.bytes(K.rcode);
  out.stringOrNull(tx.rcode);
  out.bytes(K.latencyMs);
  out.numberOrNull(tx.latencyMs);
  out.bytes(K.latencyFromLastMs);
  out.numberOrNull(tx.latencyFromLastMs);
  out.bytes(K.queryFrame);
  out.numberOrNull(tx.queryFrame);
  out.bytes(K.responseFrame);
  out.numberOrNull(tx.responseFrame);
  out.bytes(K.status);
  out.string(tx.status);
  out.bytes(K.queryTimeUs);
  out.numberOrNull(tx.queryTimeUs);
  out.bytes(K.responseTimeUs);
  out.numberOrNull(tx.responseTimeUs);
  out.bytes(K.lastSendUs);
  out.numberOrNull(tx.lastSendUs);
  if (hasCommonTail(tx)) out.bytes(commonTail(tx.answers, tx.answerCount, tx.flags));
  else writeTail(out, tx);
}

/**
 * From `retransmissionFrames` on, most transactions differ only in their answers, answer count
 * and flags: no retransmission, retry, ICMP error, copy or NAT. Their answers are the decoded
 * message's records, a frozen list shared by every message with the same body, so that text is
 * kept with the list (for as long as the list lives) and copied whole: it is nearly half of a
 * transaction's text.
 */
function hasCommonTail(tx: Transaction): boolean {
  return (
    tx.retransmissionFrames.length === 0 &&
    tx.duplicateResponseFrames.length === 0 &&
    tx.copyFrames.length === 0 &&
    tx.retryOf === null &&
    tx.retryReason === null &&
    tx.retriedBy === null &&
    tx.icmpFrame === null &&
    tx.natServer === null &&
    Object.isFrozen(tx.answers)
  );
}

/** The common tail's text, by answer list, then by answer count and flags. */
const commonTails = new WeakMap<readonly DnsRecord[], Map<number, Uint8Array>>();
/** Where a tail not seen before is written, to be kept. */
const scratch = { parts: [] as Uint8Array[] };
const scratchOut = new JsonBytes((b) => scratch.parts.push(b), 1024);

function commonTail(answers: readonly DnsRecord[], answerCount: number, flags: DnsFlags | null): Uint8Array {
  let byVariant = commonTails.get(answers);
  if (byVariant === undefined) commonTails.set(answers, (byVariant = new Map()));
  const variant = answerCount * 65 + (flags === null ? 64 : flagBits(flags));
  let tail = byVariant.get(variant);
  if (tail === undefined) {
    writeTail(scratchOut, { retransmissionFrames: [], duplicateResponseFrames: [], answers, answerCount, flags, retryOf: null, retryReason: null, retriedBy: null, icmpFrame: null, copyFrames: [], natServer: null });
    scratchOut.flush();
    // A plain Uint8Array like every other piece, so that copying it stays one kind of array.
    tail = new Uint8Array(Buffer.concat(scratch.parts));
    scratch.parts = [];
    byVariant.set(variant, tail);
  }
  return tail;
}

/** The members from `retransmissionFrames` on. */
type Tail = Readonly<Pick<Transaction, 'answerCount' | 'flags' | 'retryOf' | 'retryReason' | 'retriedBy' | 'icmpFrame' | 'natServer'>> & {
  readonly retransmissionFrames: readonly number[];
  readonly duplicateResponseFrames: readonly number[];
  readonly answers: readonly DnsRecord[];
  readonly copyFrames: readonly number[];
};

function writeTail(out: JsonBytes, tx: Tail): void {
  out.bytes(K.retransmissionFrames);
  out.numberArray(tx.retransmissionFrames);
  out.bytes(K.duplicateResponseFrames);
  out.numberArray(tx.duplicateResponseFrames);
  out.bytes(K.answers);
  writeRecords(out, tx.answers);
  out.bytes(K.answerCount);
  out.number(tx.answerCount);
  out.bytes(K.flags);
  if (tx.flags === null) out.numberOrNull(null);
  else out.bytes(FLAGS_BYTES[flagBits(tx.flags)]);
  out.bytes(K.retryOf);
  out.numberOrNull(tx.retryOf);
  out.bytes(K.retryReason);
  out.stringOrNull(tx.retryReason);
  out.bytes(K.retriedBy);
  out.numberOrNull(tx.retriedBy);
  out.bytes(K.icmpFrame);
  out.numberOrNull(tx.icmpFrame);
  out.bytes(K.copyFrames);
  out.numberArray(tx.copyFrames);
  out.bytes(K.natServer);
  out.stringOrNull(tx.natServer);
}

function writeRecords(out: JsonBytes, records: readonly DnsRecord[]): void {
  out.byte(0x5b);
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (i > 0) out.byte(0x2c);
    out.bytes(K.recordName);
    out.string(r.name);
    out.bytes(K.recordType);
    out.string(r.type);
    out.bytes(K.recordClass);
    out.string(r.class);
    out.bytes(K.recordTtl);
    out.numberOrNull(r.ttl);
    out.bytes(K.recordData);
    out.string(r.data);
    out.byte(0x7d);
  }
  out.byte(0x5d);
}

/** The 64 texts of DnsFlags, by the bits aa tc rd ra ad cd. */
const FLAGS_BYTES: readonly Uint8Array[] = Array.from({ length: 64 }, (_, bits) => {
  const [aa, tc, rd, ra, ad, cd] = [1, 2, 4, 8, 16, 32].map((bit) => ((bits & bit) !== 0 ? 'true' : 'false'));
  return asciiBytes(`{"aa":${aa},"tc":${tc},"rd":${rd},"ra":${ra},"ad":${ad},"cd":${cd}}`);
});

function flagBits(f: DnsFlags): number {
  return (f.aa ? 1 : 0) | (f.tc ? 2 : 0) | (f.rd ? 4 : 0) | (f.ra ? 8 : 0) | (f.ad ? 16 : 0) | (f.cd ? 32 : 0);
}
