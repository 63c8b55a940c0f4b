import type { DnsQuestion } from '../model.js';
import { labelText } from '../dns-text.js';
import { DnsFormatError } from './dns-name.js';

/** RFC 1035 §2.3.4: a label is at most 63 bytes, a name at most 255 bytes on the wire. */
const MAX_LABEL = 63;
const MAX_NAME = 255;
/**
 * Pointer hops followed here; the reference follows up to 128, so a longer chain is left to it
 * (the caller decodes a rejected message again with the reference). Real names take one or two.
 * The bound also bounds the chain of entries one cached name keeps alive.
 */
const MAX_HOPS = 16;
/** Names kept at once: a power of two. A miss overwrites its slot, so memory stays flat. */
const SLOTS = 16384;
/** A compression pointer has 14 bits: only names in a message's first 16 KiB can be pointed at. */
const POINTABLE = 0x4000;

/**
 * One name as sent: the labels up to the first compression pointer (or the root) and the name
 * that pointer leads to. Cached entries are shared by every message that sends the same labels
 * before the same tail, so the tail is compared by identity, not byte by byte.
 */
export class NameEntry {
  /** Questions of this name, one frozen object per type and class (FastDnsDecoder's cache). */
  questions: DnsQuestion[] | null = null;
  /** The SOA data text last decoded with this name as its primary server (FastDnsDecoder's cache). */
  soa: unknown = null;

  constructor(
    /** The labels before the tail, as sent: length byte and bytes of each. */
    readonly key: Uint8Array,
    /** The name after `key`; null only for the root. */
    readonly tail: NameEntry | null,
    /** Presentation form, lower case, no trailing dot ("" for the root), as readName writes it. */
    readonly text: string,
    /** Length on the wire without compression, the terminating zero included. */
    readonly wire: number,
    readonly hash: number,
  ) {}
}

const ROOT = new NameEntry(new Uint8Array(0), null, '', 1, 0x2f6b9a31);

/**
 * Reads DNS names (RFC 1035 §4.1.4) with the same checks as readName, but builds the text of a
 * name only the first time its labels are seen. A node's capture repeats the same few hundred
 * names (every search-path attempt, every SOA), so a name costs one walk over its labels up to
 * its first pointer, a hash of their lengths and edge bytes, and one comparison of those bytes
 * with the cached ones: no copy, no string, no allocation. What a pointer leads to is looked up
 * by its offset among the names already read in the message (an answer's owner is most often a
 * pointer to the question, the SOA names point into the question's name) and otherwise read
 * the same way; an entry's tail is then an entry too, compared by identity. The key is the bytes
 * as sent: a 0x20-randomised name gets an entry per spelling; the text is lower case either way.
 *
 * Errors carry no detail: the caller decodes a message that fails again with the reference
 * decoder, whose error is the one reported.
 */
export class NameInterner {
  /** Offset just after the name last read (after its first pointer if it jumped). */
  end = 0;
  /** The lowest offset a compression pointer of the current message led to (POINTABLE: none). */
  lowestTarget = POINTABLE;
  private readonly table: (NameEntry | undefined)[] = new Array<NameEntry | undefined>(SLOTS).fill(undefined);
  /** Where each label of the names being read starts; a name has at most 127 labels in all. */
  private readonly labels = new Int32Array(128);
  /** First free place in `labels`: a pointer's target is read while its name's labels wait there. */
  private top = 0;
  /** Pointer hops of the name last read. */
  private hops = 0;
  /**
   * The names of the current message by offset from its start, so that a pointer to one costs
   * no walk. A slot belongs to the current message only when its stamp is `message`.
   */
  private message = 1;
  private readonly memoStamp = new Int32Array(POINTABLE);
  private readonly memoEntry: NameEntry[] = new Array<NameEntry>(POINTABLE).fill(ROOT);
  private readonly memoHops = new Uint8Array(POINTABLE);

  /** Starts a new message: the names of the last one are no longer at their offsets. */
  begin(): void {
    this.lowestTarget = POINTABLE;
    if (++this.message === 0x7fffffff) {
      this.memoStamp.fill(0);
      this.message = 1;
    }
  }

  /** Reads the name at `offset` of the message m[base, limit); pointers count from `base`. */
  read(m: Uint8Array, base: number, limit: number, offset: number): string {
    return this.readEntry(m, base, limit, offset).text;
  }

  /** `read`, giving the cached entry of the name (its text and the caches hung on it). */
  readEntry(m: Uint8Array, base: number, limit: number, offset: number): NameEntry {
    this.top = 0;
    return this.readAt(m, base, limit, offset, 1, 0);
  }

  /**
   * The name at `offset`, reached after `depth` - 1 pointers and after labels of `wireBefore`
   * - 1 bytes (the reference checks the 255-byte limit over the whole chain as it goes).
   */
  private readAt(m: Uint8Array, base: number, limit: number, offset: number, wireBefore: number, depth: number): NameEntry {
    const labels = this.labels;
    const first = this.top;
    let count = 0;
    let at = offset;
    let wire = wireBefore;
    let tail = ROOT;
    let end: number;
    let hops = 0;
    for (;;) {
      if (at >= limit) throw new DnsFormatError('name runs past the end of the message');
      const len = m[at];
      if (len === 0) {
        end = at + 1;
        break;
      }
      if (len >= 0xc0) {
        if (at + 1 >= limit) throw new DnsFormatError('compression pointer is cut off');
        const target = ((len & 0x3f) << 8) | m[at + 1];
        // RFC 1035 §4.1.4: only a pointer back, before the whole name, is followed (as readName checks).
        if (target >= offset - base) throw new DnsFormatError('compression pointer points forward');
        end = at + 2;
        if (target < this.lowestTarget) this.lowestTarget = target;
        if (this.memoStamp[target] === this.message) {
          tail = this.memoEntry[target];
          hops = this.memoHops[target] + 1;
          if (wire + tail.wire - 1 > MAX_NAME) throw new DnsFormatError('name is too long');
        } else {
          if (depth >= MAX_HOPS) throw new DnsFormatError('compression pointers loop');
          this.top = first + count;
          tail = this.readAt(m, base, limit, base + target, wire, depth + 1);
          this.top = first;
          hops = this.hops + 1;
        }
        if (hops > MAX_HOPS) throw new DnsFormatError('compression pointers loop');
        break;
      }
      if (len > MAX_LABEL) throw new DnsFormatError('bad label');
      const stop = at + 1 + len;
      if (stop > limit) throw new DnsFormatError('label runs past the end of the message');
      wire += len + 1;
      if (wire > MAX_NAME) throw new DnsFormatError('name is too long');
      labels[first + count++] = at;
      at = stop;
    }
    let entry = tail;
    if (count > 0) {
      // Length, first, middle and last byte of each label, folded from the right onto the
      // tail's hash: enough to tell the names of one capture apart.
      let h = tail.hash;
      for (let i = first + count - 1; i >= first; i--) {
        const from = labels[i];
        const len = m[from];
        h = Math.imul(h ^ ((len << 24) | (m[from + 1] << 16) | (m[from + 1 + (len >> 1)] << 8) | m[from + len]), 0x01000193);
        h ^= h >>> 15;
      }
      const slot = h & (SLOTS - 1);
      const cached = this.table[slot];
      const keyLength = at - offset;
      if (cached !== undefined && cached.tail === tail && cached.key.length === keyLength && sameBytes(m, offset, cached.key, keyLength)) {
        entry = cached;
      } else {
        entry = this.create(m, offset, at, first, count, tail, h);
        this.table[slot] = entry;
      }
    }
    const rel = offset - base;
    if (rel < POINTABLE) {
      this.memoStamp[rel] = this.message;
      this.memoEntry[rel] = entry;
      this.memoHops[rel] = hops;
    }
    this.end = end;
    this.hops = hops;
    return entry;
  }

  private create(m: Uint8Array, offset: number, stop: number, first: number, count: number, tail: NameEntry, hash: number): NameEntry {
    let text = '';
    for (let i = first; i < first + count; i++) {
      const from = this.labels[i];
      const label = labelText(m, from + 1, from + 1 + m[from]);
      text = i === first ? label : `${text}.${label}`;
    }
    if (tail !== ROOT) text = `${text}.${tail.text}`;
    // A copy: `m` is the capture's chunk, which must not be kept alive (Buffer#slice would not copy).
    const key = new Uint8Array(stop - offset);
    key.set(m.subarray(offset, stop));
    return new NameEntry(key, tail, text, stop - offset + tail.wire, hash);
  }
}

function sameBytes(m: Uint8Array, at: number, key: Uint8Array, length: number): boolean {
  for (let i = 0; i < length; i++) if (m[at + i] !== key[i]) return false;
  return true;
}
