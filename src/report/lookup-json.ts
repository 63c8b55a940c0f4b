import type { Lookup, LookupAttempt } from '../model.js';
import { type JsonBytes, type JsonPiece, asciiPiece, capturePiece } from './json-bytes.js';
import { KeptPieces } from './kept-pieces.js';

const K = {
  name: asciiPiece(',"name":'),
  types: asciiPiece(',"types":'),
  attempts: asciiPiece(',"attempts":'),
  queries: asciiPiece(',"queries":'),
  wastedQueries: asciiPiece(',"wastedQueries":'),
  answeredName: asciiPiece(',"answeredName":'),
  suffix: asciiPiece(',"suffix":'),
  outcome: asciiPiece(',"outcome":'),
  kind: asciiPiece(',"kind":'),
  cname: asciiPiece(',"cname":'),
  addresses: asciiPiece(',"addresses":'),
  elapsedMs: asciiPiece(',"elapsedMs":'),
  wastedMs: asciiPiece(',"wastedMs":'),
  fqdnQueries: asciiPiece(',"fqdnQueries":'),
  fqdnMs: asciiPiece(',"fqdnMs":'),
  firstFrame: asciiPiece(',"firstFrame":'),
  lastFrame: asciiPiece(',"lastFrame":'),
  startUs: asciiPiece(',"startUs":'),
  suffixesTried: asciiPiece(',"suffixesTried":'),
  retries: asciiPiece(',"retries":'),
  attemptName: asciiPiece('{"name":'),
  attemptType: asciiPiece(',"type":'),
  attemptRcode: asciiPiece(',"rcode":'),
  attemptSuffix: asciiPiece(',"suffix":'),
  attemptLatencyMs: asciiPiece(',"latencyMs":'),
  attemptOffsetMs: asciiPiece(',"offsetMs":'),
  attemptQueryFrame: asciiPiece(',"queryFrame":'),
  attemptResponseFrame: asciiPiece(',"responseFrame":'),
  /** The last member with the attempt's closing brace: one copy for two. */
  attemptWastedEnd: asciiPiece(',"wasted":true}'),
  attemptNotWastedEnd: asciiPiece(',"wasted":false}'),
} as const;

/**
 * How a writer frames each lookup: its own text before the members (the list's separator, JSON
 * Lines' `record` key), joined to the first key, and after them. Made once per writer.
 */
export interface LookupFrame {
  readonly open: JsonPiece;
  readonly close: JsonPiece;
}

/** A frame of `before` and `after` (ASCII text of the writer's own). */
export function lookupFrame(before: string, after: string): LookupFrame {
  return { open: asciiPiece(`${before}"client":`), close: asciiPiece(after) };
}

/** The members alone, without the braces (see writeLookupMembers). */
const MEMBERS = lookupFrame('', '');

/**
 * A Lookup's members as JSON.stringify writes them, without the braces: the same keys in the
 * same order, the order of the object summariseLookup builds and of model.ts. No key of a Lookup
 * or of its attempts is optional, so none is ever left out. Held to JSON.stringify by
 * `test/report/record-json.test.ts`.
 */
export function writeLookupMembers(out: JsonBytes, l: Lookup): void {
  writeLookup(out, l, MEMBERS);
}

/** A lookup's members in a writer's frame: `frame.open`, the members, `frame.close`. */
export function writeLookup(out: JsonBytes, l: Lookup, frame: LookupFrame): void {
  out.piece(frame.open);
  out.string(l.client);
  out.piece(K.name);
  out.string(l.name);
  out.piece(K.types);
  out.stringArray(l.types);
  out.piece(K.attempts);
  writeAttempts(out, l.attempts);
  out.piece(K.queries);
  out.number(l.queries);
  out.piece(K.wastedQueries);
  out.number(l.wastedQueries);
  out.piece(K.answeredName);
  out.stringOrNull(l.answeredName);
  out.piece(K.suffix);
  out.stringOrNull(l.suffix);
  out.piece(K.outcome);
  out.string(l.outcome);
  out.piece(K.kind);
  out.string(l.kind);
  out.piece(K.cname);
  out.stringOrNull(l.cname);
  out.piece(K.addresses);
  out.stringArray(l.addresses);
  out.piece(K.elapsedMs);
  out.number(l.elapsedMs);
  out.piece(K.wastedMs);
  out.number(l.wastedMs);
  out.piece(K.fqdnQueries);
  out.number(l.fqdnQueries);
  out.piece(K.fqdnMs);
  out.numberOrNull(l.fqdnMs);
  out.piece(K.firstFrame);
  out.numberOrNull(l.firstFrame);
  out.piece(K.lastFrame);
  out.numberOrNull(l.lastFrame);
  out.piece(K.startUs);
  out.number(l.startUs);
  out.piece(K.suffixesTried);
  out.stringArray(l.suffixesTried);
  out.piece(K.retries);
  out.number(l.retries);
  out.piece(frame.close);
}

function writeAttempts(out: JsonBytes, attempts: readonly LookupAttempt[]): void {
  out.byte(0x5b);
  for (let i = 0; i < attempts.length; i++) {
    const a = attempts[i];
    if (i > 0) out.byte(0x2c);
    writeAttemptHead(out, a);
    out.numberOrNull(a.latencyMs);
    out.piece(K.attemptOffsetMs);
    out.number(a.offsetMs);
    out.piece(K.attemptQueryFrame);
    out.numberOrNull(a.queryFrame);
    out.piece(K.attemptResponseFrame);
    out.numberOrNull(a.responseFrame);
    out.piece(a.wasted ? K.attemptWastedEnd : K.attemptNotWastedEnd);
  }
  out.byte(0x5d);
}

/** An attempt's text up to its latency, and what it was written from (the name is the key it is filed under). */
interface AttemptHead {
  readonly type: string;
  readonly rcode: string | null;
  readonly suffix: string | null;
  readonly text: JsonPiece;
}

/**
 * Attempts' heads by name. A walk's names, types, rcodes and suffixes come back lookup after
 * lookup (a pod resolves the same few names all day), and the head is most of an attempt's text:
 * copied whole, it costs a fraction of writing its strings a character at a time.
 */
const attemptHeads = new KeptPieces<AttemptHead>();

/** From `{` to the `latencyMs` key: the kept text when there is one. */
function writeAttemptHead(out: JsonBytes, a: LookupAttempt): void {
  const heads = attemptHeads.of(a.name);
  for (let i = 0; i < heads.length; i++) {
    const h = heads[i];
    if (h.type === a.type && h.rcode === a.rcode && h.suffix === a.suffix) return out.piece(h.text);
  }
  if (!attemptHeads.hasRoom(heads)) return writeAttemptHeadMembers(out, a);
  const text = capturePiece((scratch) => writeAttemptHeadMembers(scratch, a));
  attemptHeads.keep(a.name, heads, { type: a.type, rcode: a.rcode, suffix: a.suffix, text });
  out.piece(text);
}

function writeAttemptHeadMembers(out: JsonBytes, a: LookupAttempt): void {
  out.piece(K.attemptName);
  out.string(a.name);
  out.piece(K.attemptType);
  out.string(a.type);
  out.piece(K.attemptRcode);
  out.stringOrNull(a.rcode);
  out.piece(K.attemptSuffix);
  out.stringOrNull(a.suffix);
  out.piece(K.attemptLatencyMs);
}
