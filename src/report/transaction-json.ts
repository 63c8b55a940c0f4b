import type { DnsFlags, DnsRecord, Transaction } from '../model.js';
import { JsonBytes, MAX_KEPT_NAMES, MAX_KEPT_VARIANTS, asciiBytes, captureBytes } from './json-bytes.js';

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
  writeQuestion(out, tx);
  out.numberOrNull(tx.latencyMs);
  out.bytes(K.latencyFromLastMs);
  out.numberOrNull(tx.latencyFromLastMs);
  out.bytes(K.queryFrame);
  out.numberOrNull(tx.queryFrame);
  out.bytes(K.responseFrame);
  out.numberOrNull(tx.responseFrame);
  out.bytes(statusText(tx.status));
  out.numberOrNull(tx.queryTimeUs);
  out.bytes(K.responseTimeUs);
  out.numberOrNull(tx.responseTimeUs);
  out.bytes(K.lastSendUs);
  out.numberOrNull(tx.lastSendUs);
  if (hasCommonTail(tx)) out.bytes(commonTail(tx.answers, tx.answerCount, tx.flags));
  else writeTail(out, tx);
}

/** `,"status":` to the `queryTimeUs` key, by status: a handful of texts, each written once. */
const statusTexts = new Map<string, Uint8Array>();

function statusText(status: string): Uint8Array {
  let text = statusTexts.get(status);
  if (text === undefined) {
    text = captureBytes((scratch) => {
      scratch.bytes(K.status);
      scratch.string(status);
      scratch.bytes(K.queryTimeUs);
    });
    // The model's statuses are a few; anything else (a test's hostile string) is not kept.
    if (statusTexts.size < MAX_KEPT_VARIANTS) statusTexts.set(status, text);
  }
  return text;
}

/** A transaction's text from `server` to the `latencyMs` key, and what it was written from (the name is the key it is filed under). */
interface QuestionText {
  readonly server: string;
  readonly transport: string;
  readonly type: string | null;
  readonly rcode: string | null;
  readonly text: Uint8Array;
}

/**
 * Question texts by name. A capture asks the same names of the same servers again and again, and
 * these members are a third of a transaction's text: copied whole, they cost a fraction of
 * writing their strings a character at a time.
 */
const questionTexts = new Map<string | null, QuestionText[]>();

/** From `server` to the `latencyMs` key: the kept text when there is one. */
function writeQuestion(out: JsonBytes, tx: Transaction): void {
  let texts = questionTexts.get(tx.name);
  if (texts === undefined) {
    if (questionTexts.size >= MAX_KEPT_NAMES) questionTexts.clear();
    questionTexts.set(tx.name, (texts = []));
  }
  for (let i = 0; i < texts.length; i++) {
    const q = texts[i];
    if (q.server === tx.server && q.type === tx.type && q.rcode === tx.rcode && q.transport === tx.transport) return out.bytes(q.text);
  }
  if (texts.length >= MAX_KEPT_VARIANTS) return writeQuestionMembers(out, tx);
  const text = captureBytes((scratch) => writeQuestionMembers(scratch, tx));
  texts.push({ server: tx.server, transport: tx.transport, type: tx.type, rcode: tx.rcode, text });
  out.bytes(text);
}

function writeQuestionMembers(out: JsonBytes, tx: Transaction): void {
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

function commonTail(answers: readonly DnsRecord[], answerCount: number, flags: DnsFlags | null): Uint8Array {
  let byVariant = commonTails.get(answers);
  if (byVariant === undefined) commonTails.set(answers, (byVariant = new Map()));
  const variant = answerCount * 65 + (flags === null ? 64 : flagBits(flags));
  let tail = byVariant.get(variant);
  if (tail === undefined) {
    const common = { retransmissionFrames: [], duplicateResponseFrames: [], answers, answerCount, flags, retryOf: null, retryReason: null, retriedBy: null, icmpFrame: null, copyFrames: [], natServer: null };
    tail = captureBytes((scratch) => writeTail(scratch, common));
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
