import type { DnsQuestion, DnsRecord, SectionCounts } from '../model.js';

/** Entries kept (a power of two); a body is looked for in its slot and the next one. */
const SLOTS = 4096;
/** Longer bodies are not kept: a resolver's UDP answers fit in 512 bytes, EDNS ones rarely pass 1232. */
export const MAX_CACHED_MESSAGE = 1232;
/** Bytes of the header that are not part of the body: the id and the flags. */
const ID_AND_FLAGS = 4;

/** What a message body decodes to, shared by every message that carries the same body. */
export interface DecodedBody {
  counts: SectionCounts;
  question: DnsQuestion | null;
  /** Frozen records; a message gets its own arrays of them. */
  answers: readonly DnsRecord[];
  authorities: readonly DnsRecord[];
  additionals: readonly DnsRecord[];
  /** The extended RCODE bits an OPT record carries (RFC 6891 §6.1.3), already shifted. */
  rcodeHigh: number;
  ednsUdpSize: number | null;
}

interface Entry {
  /** The body's bytes, copied. */
  readonly bytes: DataView;
  readonly decoded: DecodedBody;
  /** Found since it was stored: an entry that is used is not pushed out by one that is not (yet). */
  hits: number;
}

/**
 * The decoded content of recently seen message bodies: everything after the id and the flags
 * (the section counts, the question and the records). A node's resolver traffic repeats the same
 * few hundred bodies (each query of a search walk, each NXDOMAIN with its zone's SOA), so most
 * messages are decoded by comparing their bytes with one cached body, four at a time, instead of
 * walking their names and records. Only a body whose decoding read nothing outside it (no
 * compression pointer into the id and flags) may be stored, and a body is found only when every
 * byte is equal, so a found body decodes exactly as the message would.
 */
export class MessageBodyCache {
  private readonly slots: (Entry | undefined)[] = new Array<Entry | undefined>(SLOTS).fill(undefined);

  /** Slot of the body `find` looked for last: `store` keeps that body there. */
  private slot = 0;

  /** The body of the message at v[base, limit) if it is cached; the caller checked its length. */
  find(v: DataView, base: number, limit: number): DecodedBody | null {
    const h = bodyHash(v, base, limit);
    this.slot = h;
    const first = this.slots[h];
    if (first !== undefined && sameBody(v, base, limit, first.bytes)) {
      first.hits++;
      return first.decoded;
    }
    const second = this.slots[(h + 1) & (SLOTS - 1)];
    if (second !== undefined && sameBody(v, base, limit, second.bytes)) {
      second.hits++;
      return second.decoded;
    }
    return null;
  }

  /** Keeps the body of m[base, limit), which `find` just did not find and which decoded to `decoded`. */
  store(m: Uint8Array, base: number, limit: number, decoded: DecodedBody): void {
    const h = this.slot;
    const next = (h + 1) & (SLOTS - 1);
    const a = this.slots[h];
    const b = this.slots[next];
    let slot = h;
    if (a !== undefined) {
      slot = next;
      if (b !== undefined) {
        // Both taken: the less used one makes room, but one used since it came in only loses
        // half its hits, so that bodies seen once (randomised case, TTLs counting down) do not
        // push out the ones that keep coming back.
        const victim = b.hits < a.hits ? b : a;
        if (victim.hits > 0) {
          victim.hits >>= 1;
          return;
        }
        slot = victim === a ? h : next;
      }
    }
    const copy = new Uint8Array(limit - base - ID_AND_FLAGS);
    copy.set(m.subarray(base + ID_AND_FLAGS, limit));
    this.slots[slot] = { bytes: new DataView(copy.buffer), decoded, hits: 0 };
  }
}

/**
 * From the length and every word of the body (up to 256 bytes in) and its last word: bodies that
 * differ in a letter, or only in the question's type, land in different slots.
 */
function bodyHash(v: DataView, base: number, limit: number): number {
  const length = limit - base;
  let h = Math.imul(length, 0x9e3779b1);
  const last = limit - 4;
  // Each word's high bytes must reach the low bits the slot is taken from: multiply, then fold.
  for (let at = base + ID_AND_FLAGS; at < last && at < base + 260; at += 4) {
    h = Math.imul(h ^ v.getInt32(at), 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ v.getInt32(last), 0xc2b2ae35);
  h ^= h >>> 16;
  return h & (SLOTS - 1);
}

function sameBody(v: DataView, base: number, limit: number, bytes: DataView): boolean {
  const length = limit - base - ID_AND_FLAGS;
  if (bytes.byteLength !== length) return false;
  const from = base + ID_AND_FLAGS;
  let i = 0;
  for (; i + 4 <= length; i += 4) if (v.getInt32(from + i) !== bytes.getInt32(i)) return false;
  for (; i < length; i++) if (v.getUint8(from + i) !== bytes.getUint8(i)) return false;
  return true;
}
