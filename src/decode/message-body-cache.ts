import type { DnsQuestion, DnsRecord, SectionCounts } from '../model.js';

/**
 * Entries kept (a power of two); a body is looked for in its slot and the next one. The 800
 * bodies of the 200k bench capture share no slot pair at this size (1,460 misses at 8192).
 */
const SLOTS = 16384;
/** Longer bodies are not kept: a resolver's UDP answers fit in 512 bytes, EDNS ones rarely pass 1232. */
export const MAX_CACHED_MESSAGE = 1232;
/**
 * Body bytes kept in all; past it the cache starts over. A node's traffic needs a few hundred
 * KiB; the bound keeps hostile input (every body new and long) from holding more than a few
 * tens of MiB of bodies and their decoded records.
 */
export const MAX_CACHED_BYTES = 4 << 20;
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
  /**
   * The body's bytes as little-endian words, the last one padded with zeros: a plain array of
   * small integers, made in the young heap (a typed array this size would be allocated outside
   * it, which costs more than the decoding it saves for a body seen once).
   */
  readonly words: number[];
  readonly length: number;
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
  /** Body bytes of the entries kept. */
  storedBytes = 0;

  /** The body of the message at v[base, limit) if it is cached; the caller checked its length. */
  find(v: DataView, base: number, limit: number): DecodedBody | null {
    const h = bodyHash(v, base, limit);
    this.slot = h;
    const first = this.slots[h];
    if (first !== undefined && sameBody(v, base, limit, first)) {
      first.hits++;
      return first.decoded;
    }
    const second = this.slots[(h + 1) & (SLOTS - 1)];
    if (second !== undefined && sameBody(v, base, limit, second)) {
      second.hits++;
      return second.decoded;
    }
    return null;
  }

  /** Keeps the body of v[base, limit), which `find` just did not find and which decoded to `decoded`. */
  store(v: DataView, base: number, limit: number, decoded: DecodedBody): void {
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
    const length = limit - base - ID_AND_FLAGS;
    const replaced = this.slots[slot];
    if (replaced !== undefined) this.storedBytes -= replaced.length;
    if (this.storedBytes + length > MAX_CACHED_BYTES) {
      this.slots.fill(undefined);
      this.storedBytes = 0;
    }
    this.storedBytes += length;
    const from = base + ID_AND_FLAGS;
    const whole = length >> 2;
    const words: number[] = [];
    for (let w = 0; w < whole; w++) words.push(v.getInt32(from + 4 * w, true));
    if (whole * 4 < length) words.push(tailWord(v, from, length));
    this.slots[slot] = { words, length, decoded, hits: 0 };
  }
}

/**
 * From the length, every other word of the body (up to 256 bytes in) and its last word: bodies
 * that differ in one name or only in the question's type land in different slots; two that
 * differ only in the words skipped share the slot and its neighbour.
 */
function bodyHash(v: DataView, base: number, limit: number): number {
  const length = limit - base;
  let h = Math.imul(length, 0x9e3779b1);
  const last = limit - 4;
  // Each word's high bytes must reach the low bits the slot is taken from: multiply, then fold.
  for (let at = base + ID_AND_FLAGS; at < last && at < base + 260; at += 4) {
    h = Math.imul(h ^ v.getInt32(at, true), 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ v.getInt32(last, true), 0xc2b2ae35);
  h ^= h >>> 16;
  return h & (SLOTS - 1);
}

/** Whether the body of the message at v[base, limit) is the entry's, compared a word at a time. */
function sameBody(v: DataView, base: number, limit: number, entry: Entry): boolean {
  const length = limit - base - ID_AND_FLAGS;
  if (entry.length !== length) return false;
  const words = entry.words;
  const from = base + ID_AND_FLAGS;
  const whole = length >> 2;
  for (let w = 0; w < whole; w++) if (v.getInt32(from + 4 * w, true) !== words[w]) return false;
  return whole * 4 === length || tailWord(v, from, length) === words[whole];
}

/** The last 1 to 3 bytes of the `length` bytes from `from`, as the low bytes of a little-endian word. */
function tailWord(v: DataView, from: number, length: number): number {
  let tail = 0;
  for (let i = length - 1; i >= (length & ~3); i--) tail = (tail << 8) | v.getUint8(from + i);
  return tail;
}
