import type { DnsFlags, DnsRecord, Transaction } from '../model.js';
import { JsonBytes, type JsonPiece, asciiPiece, capturePiece } from './json-bytes.js';
import { KeptPieces, MAX_KEPT_VARIANTS } from './kept-pieces.js';

const K = {
  client: asciiPiece(',"client":'),
  server: asciiPiece(',"server":'),
  transport: asciiPiece(',"transport":'),
  name: asciiPiece(',"name":'),
  type: asciiPiece(',"type":'),
  rcode: asciiPiece(',"rcode":'),
  latencyMs: asciiPiece(',"latencyMs":'),
  latencyFromLastMs: asciiPiece(',"latencyFromLastMs":'),
  queryFrame: asciiPiece(',"queryFrame":'),
  responseFrame: asciiPiece(',"responseFrame":'),
  status: asciiPiece(',"status":'),
  queryTimeUs: asciiPiece(',"queryTimeUs":'),
  responseTimeUs: asciiPiece(',"responseTimeUs":'),
  lastSendUs: asciiPiece(',"lastSendUs":'),
  retransmissionFrames: asciiPiece(',"retransmissionFrames":'),
  duplicateResponseFrames: asciiPiece(',"duplicateResponseFrames":'),
  answers: asciiPiece(',"answers":'),
  answerCount: asciiPiece(',"answerCount":'),
  flags: asciiPiece(',"flags":'),
  retryOf: asciiPiece(',"retryOf":'),
  retryReason: asciiPiece(',"retryReason":'),
  retriedBy: asciiPiece(',"retriedBy":'),
  icmpFrame: asciiPiece(',"icmpFrame":'),
  copyFrames: asciiPiece(',"copyFrames":'),
  natServer: asciiPiece(',"natServer":'),
  recordName: asciiPiece('{"name":'),
  recordType: asciiPiece(',"type":'),
  recordClass: asciiPiece(',"class":'),
  recordTtl: asciiPiece(',"ttl":'),
  recordData: asciiPiece(',"data":'),
} as const;

/**
 * How a writer frames each transaction: its own text before the members (the list's separator,
 * JSON Lines' `record` key) and after them (the closing brace, a newline). Each is joined to the
 * members' constant text next to it, the first key and the last members shared by most
 * transactions, so that each is one copy rather than two. Made once per writer with
 * `transactionFrame`.
 */
export interface TransactionFrame {
  /** The text before the members, with the first key. */
  readonly open: JsonPiece;
  /** The text after the members. */
  readonly close: JsonPiece;
  /** The same for frames with the same `close`: the common tails (with `close` joined) are kept by it. */
  readonly id: number;
}

/** The distinct `close` texts of the frames made so far: a few writers make one or two frames each, once. */
const closings: string[] = [];
const MAX_CLOSINGS = 8;

/** A frame of `before` and `after` (ASCII text of the writer's own). */
export function transactionFrame(before: string, after: string): TransactionFrame {
  let id = closings.indexOf(after);
  if (id < 0) {
    if (closings.length === MAX_CLOSINGS) throw new Error('too many transaction frames');
    id = closings.push(after) - 1;
  }
  return { open: asciiPiece(`${before}"id":`), close: asciiPiece(after), id };
}

/** The members alone, without the braces (see writeTransactionMembers). */
const MEMBERS = transactionFrame('', '');

/**
 * A Transaction's members as JSON.stringify writes them, without the braces (JSON Lines puts its
 * `record` key first): the same keys in the same order, the order in which the analysis builds
 * every transaction and model.ts lists them. No key of a Transaction is optional, so none is ever
 * left out. `test/report/record-json.test.ts` holds this to JSON.stringify on every fixture and
 * corpus capture and on hostile names; a key added to the model fails it until it is added here.
 */
export function writeTransactionMembers(out: JsonBytes, tx: Transaction): void {
  writeTransaction(out, tx, MEMBERS);
}

/** A transaction's members in a writer's frame: `frame.open`, the members, `frame.close`. */
export function writeTransaction(out: JsonBytes, tx: Transaction, frame: TransactionFrame): void {
  out.piece(frame.open);
  out.number(tx.id);
  out.piece(K.client);
  out.string(tx.client);
  writeQuestion(out, tx);
  out.numberOrNull(tx.latencyMs);
  out.piece(K.latencyFromLastMs);
  out.numberOrNull(tx.latencyFromLastMs);
  out.piece(K.queryFrame);
  out.numberOrNull(tx.queryFrame);
  out.piece(K.responseFrame);
  out.numberOrNull(tx.responseFrame);
  out.piece(statusText(tx.status));
  out.numberOrNull(tx.queryTimeUs);
  out.piece(K.responseTimeUs);
  out.numberOrNull(tx.responseTimeUs);
  out.piece(K.lastSendUs);
  out.numberOrNull(tx.lastSendUs);
  if (hasCommonTail(tx)) return out.piece(commonTail(tx.answers, tx.answerCount, tx.flags, frame));
  writeTail(out, tx);
  out.piece(frame.close);
}

/** `,"status":` to the `queryTimeUs` key, by status: a handful of texts, each written once. */
const statusTexts = new Map<string, JsonPiece>();

function statusText(status: string): JsonPiece {
  let text = statusTexts.get(status);
  if (text === undefined) {
    text = capturePiece((scratch) => {
      scratch.piece(K.status);
      scratch.string(status);
      scratch.piece(K.queryTimeUs);
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
  readonly text: JsonPiece;
}

/**
 * Question texts by name. A capture asks the same names of the same servers again and again, and
 * these members are a third of a transaction's text: copied whole, they cost a fraction of
 * writing their strings a character at a time.
 */
const questionTexts = new KeptPieces<QuestionText>();

/** From `server` to the `latencyMs` key: the kept text when there is one. */
function writeQuestion(out: JsonBytes, tx: Transaction): void {
  const texts = questionTexts.of(tx.name);
  for (let i = 0; i < texts.length; i++) {
    const q = texts[i];
    if (q.server === tx.server && q.type === tx.type && q.rcode === tx.rcode && q.transport === tx.transport) return out.piece(q.text);
  }
  if (!questionTexts.hasRoom(texts)) return writeQuestionMembers(out, tx);
  const text = capturePiece((scratch) => writeQuestionMembers(scratch, tx));
  questionTexts.keep(tx.name, texts, { server: tx.server, transport: tx.transport, type: tx.type, rcode: tx.rcode, text });
  out.piece(text);
}

function writeQuestionMembers(out: JsonBytes, tx: Transaction): void {
  out.piece(K.server);
  out.string(tx.server);
  out.piece(K.transport);
  out.string(tx.transport);
  out.piece(K.name);
  out.stringOrNull(tx.name);
  out.piece(K.type);
  out.stringOrNull(tx.type);
  out.piece(K.rcode);
  out.stringOrNull(tx.rcode);
  out.piece(K.latencyMs);
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

/** The common tail's text with a frame's `close`, by answer list, then by answer count, flags and frame. */
const commonTails = new WeakMap<readonly DnsRecord[], Map<number, JsonPiece>>();

function commonTail(answers: readonly DnsRecord[], answerCount: number, flags: DnsFlags | null, frame: TransactionFrame): JsonPiece {
  let byVariant = commonTails.get(answers);
  if (byVariant === undefined) commonTails.set(answers, (byVariant = new Map()));
  const variant = (answerCount * 65 + (flags === null ? 64 : flagBits(flags))) * MAX_CLOSINGS + frame.id;
  let tail = byVariant.get(variant);
  if (tail === undefined) {
    const common = { retransmissionFrames: [], duplicateResponseFrames: [], answers, answerCount, flags, retryOf: null, retryReason: null, retriedBy: null, icmpFrame: null, copyFrames: [], natServer: null };
    tail = capturePiece((scratch) => {
      writeTail(scratch, common);
      scratch.piece(frame.close);
    });
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
  out.piece(K.retransmissionFrames);
  out.numberArray(tx.retransmissionFrames);
  out.piece(K.duplicateResponseFrames);
  out.numberArray(tx.duplicateResponseFrames);
  out.piece(K.answers);
  writeRecords(out, tx.answers);
  out.piece(K.answerCount);
  out.number(tx.answerCount);
  out.piece(K.flags);
  if (tx.flags === null) out.numberOrNull(null);
  else out.piece(FLAGS_TEXT[flagBits(tx.flags)]);
  out.piece(K.retryOf);
  out.numberOrNull(tx.retryOf);
  out.piece(K.retryReason);
  out.stringOrNull(tx.retryReason);
  out.piece(K.retriedBy);
  out.numberOrNull(tx.retriedBy);
  out.piece(K.icmpFrame);
  out.numberOrNull(tx.icmpFrame);
  out.piece(K.copyFrames);
  out.numberArray(tx.copyFrames);
  out.piece(K.natServer);
  out.stringOrNull(tx.natServer);
}

function writeRecords(out: JsonBytes, records: readonly DnsRecord[]): void {
  out.byte(0x5b);
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (i > 0) out.byte(0x2c);
    out.piece(K.recordName);
    out.string(r.name);
    out.piece(K.recordType);
    out.string(r.type);
    out.piece(K.recordClass);
    out.string(r.class);
    out.piece(K.recordTtl);
    out.numberOrNull(r.ttl);
    out.piece(K.recordData);
    out.string(r.data);
    out.byte(0x7d);
  }
  out.byte(0x5d);
}

/** The 64 texts of DnsFlags, by the bits aa tc rd ra ad cd. */
const FLAGS_TEXT: readonly JsonPiece[] = Array.from({ length: 64 }, (_, bits) => {
  const [aa, tc, rd, ra, ad, cd] = [1, 2, 4, 8, 16, 32].map((bit) => ((bits & bit) !== 0 ? 'true' : 'false'));
  return asciiPiece(`{"aa":${aa},"tc":${tc},"rd":${rd},"ra":${ra},"ad":${ad},"cd":${cd}}`);
});

function flagBits(f: DnsFlags): number {
  return (f.aa ? 1 : 0) | (f.tc ? 2 : 0) | (f.rd ? 4 : 0) | (f.ra ? 8 : 0) | (f.ad ? 16 : 0) | (f.cd ? 32 : 0);
}
