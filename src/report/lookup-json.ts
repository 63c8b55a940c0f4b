import type { Lookup, LookupAttempt } from '../model.js';
import { type JsonBytes, MAX_KEPT_NAMES, MAX_KEPT_VARIANTS, asciiBytes, captureBytes } from './json-bytes.js';

const K = {
  client: asciiBytes('"client":'),
  name: asciiBytes(',"name":'),
  types: asciiBytes(',"types":'),
  attempts: asciiBytes(',"attempts":'),
  queries: asciiBytes(',"queries":'),
  wastedQueries: asciiBytes(',"wastedQueries":'),
  answeredName: asciiBytes(',"answeredName":'),
  suffix: asciiBytes(',"suffix":'),
  outcome: asciiBytes(',"outcome":'),
  kind: asciiBytes(',"kind":'),
  cname: asciiBytes(',"cname":'),
  addresses: asciiBytes(',"addresses":'),
  elapsedMs: asciiBytes(',"elapsedMs":'),
  wastedMs: asciiBytes(',"wastedMs":'),
  fqdnQueries: asciiBytes(',"fqdnQueries":'),
  fqdnMs: asciiBytes(',"fqdnMs":'),
  firstFrame: asciiBytes(',"firstFrame":'),
  lastFrame: asciiBytes(',"lastFrame":'),
  startUs: asciiBytes(',"startUs":'),
  suffixesTried: asciiBytes(',"suffixesTried":'),
  retries: asciiBytes(',"retries":'),
  attemptName: asciiBytes('{"name":'),
  attemptType: asciiBytes(',"type":'),
  attemptRcode: asciiBytes(',"rcode":'),
  attemptSuffix: asciiBytes(',"suffix":'),
  attemptLatencyMs: asciiBytes(',"latencyMs":'),
  attemptOffsetMs: asciiBytes(',"offsetMs":'),
  attemptQueryFrame: asciiBytes(',"queryFrame":'),
  attemptResponseFrame: asciiBytes(',"responseFrame":'),
  attemptWasted: asciiBytes(',"wasted":'),
} as const;

/**
 * A Lookup's members as JSON.stringify writes them, without the braces: the same keys in the
 * same order, the order of the object summariseLookup builds and of model.ts. No key of a Lookup
 * or of its attempts is optional, so none is ever left out. Held to JSON.stringify by
 * `test/report/record-json.test.ts`.
 */
export function writeLookupMembers(out: JsonBytes, l: Lookup): void {
  out.bytes(K.client);
  out.string(l.client);
  out.bytes(K.name);
  out.string(l.name);
  out.bytes(K.types);
  out.stringArray(l.types);
  out.bytes(K.attempts);
  writeAttempts(out, l.attempts);
  out.bytes(K.queries);
  out.number(l.queries);
  out.bytes(K.wastedQueries);
  out.number(l.wastedQueries);
  out.bytes(K.answeredName);
  out.stringOrNull(l.answeredName);
  out.bytes(K.suffix);
  out.stringOrNull(l.suffix);
  out.bytes(K.outcome);
  out.string(l.outcome);
  out.bytes(K.kind);
  out.string(l.kind);
  out.bytes(K.cname);
  out.stringOrNull(l.cname);
  out.bytes(K.addresses);
  out.stringArray(l.addresses);
  out.bytes(K.elapsedMs);
  out.number(l.elapsedMs);
  out.bytes(K.wastedMs);
  out.number(l.wastedMs);
  out.bytes(K.fqdnQueries);
  out.number(l.fqdnQueries);
  out.bytes(K.fqdnMs);
  out.numberOrNull(l.fqdnMs);
  out.bytes(K.firstFrame);
  out.numberOrNull(l.firstFrame);
  out.bytes(K.lastFrame);
  out.numberOrNull(l.lastFrame);
  out.bytes(K.startUs);
  out.number(l.startUs);
  out.bytes(K.suffixesTried);
  out.stringArray(l.suffixesTried);
  out.bytes(K.retries);
  out.number(l.retries);
}

function writeAttempts(out: JsonBytes, attempts: readonly LookupAttempt[]): void {
  out.byte(0x5b);
  for (let i = 0; i < attempts.length; i++) {
    const a = attempts[i];
    if (i > 0) out.byte(0x2c);
    writeAttemptHead(out, a);
    out.numberOrNull(a.latencyMs);
    out.bytes(K.attemptOffsetMs);
    out.number(a.offsetMs);
    out.bytes(K.attemptQueryFrame);
    out.numberOrNull(a.queryFrame);
    out.bytes(K.attemptResponseFrame);
    out.numberOrNull(a.responseFrame);
    out.bytes(K.attemptWasted);
    out.boolean(a.wasted);
    out.byte(0x7d);
  }
  out.byte(0x5d);
}

/** An attempt's text up to its latency, and what it was written from (the name is the key it is filed under). */
interface AttemptHead {
  readonly type: string;
  readonly rcode: string | null;
  readonly suffix: string | null;
  readonly text: Uint8Array;
}

/**
 * Attempts' heads by name. A walk's names, types, rcodes and suffixes come back lookup after
 * lookup (a pod resolves the same few names all day), and the head is most of an attempt's text:
 * copied whole, it costs a fraction of writing its strings a character at a time.
 */
const attemptHeads = new Map<string, AttemptHead[]>();

/** From `{` to the `latencyMs` key: the kept text when there is one. */
function writeAttemptHead(out: JsonBytes, a: LookupAttempt): void {
  let heads = attemptHeads.get(a.name);
  if (heads === undefined) {
    if (attemptHeads.size >= MAX_KEPT_NAMES) attemptHeads.clear();
    attemptHeads.set(a.name, (heads = []));
  }
  for (let i = 0; i < heads.length; i++) {
    const h = heads[i];
    if (h.type === a.type && h.rcode === a.rcode && h.suffix === a.suffix) return out.bytes(h.text);
  }
  if (heads.length >= MAX_KEPT_VARIANTS) return writeAttemptHeadMembers(out, a);
  const text = captureBytes((scratch) => writeAttemptHeadMembers(scratch, a));
  heads.push({ type: a.type, rcode: a.rcode, suffix: a.suffix, text });
  out.bytes(text);
}

function writeAttemptHeadMembers(out: JsonBytes, a: LookupAttempt): void {
  out.bytes(K.attemptName);
  out.string(a.name);
  out.bytes(K.attemptType);
  out.string(a.type);
  out.bytes(K.attemptRcode);
  out.stringOrNull(a.rcode);
  out.bytes(K.attemptSuffix);
  out.stringOrNull(a.suffix);
  out.bytes(K.attemptLatencyMs);
}
