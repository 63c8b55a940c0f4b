import { labelText } from '../dns-text.js';
import { DnsFormatError } from './dns-name.js';

/** RFC 1035 §2.3.4: a label is at most 63 bytes, a name at most 255 bytes on the wire. */
const MAX_LABEL = 63;
const MAX_NAME = 255;
const MAX_POINTER_HOPS = 128;
/** Names kept at once: a power of two. A miss overwrites its slot, so memory stays flat. */
const SLOTS = 16384;
/** Pointer-free names remembered per message. */
const MEMO = 8;

/**
 * Reads DNS names (RFC 1035 §4.1.4) with the same checks as readName, but builds the text of a
 * name only the first time its labels are seen. A node's capture repeats the same few hundred
 * names (every search-path attempt, every SOA), so a name costs one walk over its labels, to
 * check them and hash their lengths and edge bytes, and one comparison of its bytes with the
 * cached ones: no per-byte hashing, no copy, no allocation. The key is the name's labels
 * without pointers, as sent (a 0x20-randomised name gets an entry per spelling; the text is
 * lower case either way, as readName writes it).
 *
 * Errors carry no detail: the caller decodes a message that fails again with the reference
 * decoder, whose error is the one reported.
 */
export class NameInterner {
  /** Offset just after the name last read (after its first pointer if it jumped). */
  end = 0;
  private readonly keys: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(SLOTS).fill(undefined);
  private readonly texts: string[] = new Array<string>(SLOTS).fill('');
  /** Where each label of the name being read starts (a name has at most 127 labels). */
  private readonly labels = new Int32Array(128);
  /**
   * Names of the current message that hold no pointer, by offset: a record's owner is most
   * often a bare pointer to the question's name (0xc00c), which then costs no walk at all.
   */
  private readonly memoAt = new Int32Array(MEMO);
  private readonly memoText: string[] = new Array<string>(MEMO).fill('');
  private memoCount = 0;

  /** Starts a new message: the names of the last one are no longer at their offsets. */
  begin(): void {
    this.memoCount = 0;
  }

  /** Reads the name at `offset` of the message m[base, limit); pointers count from `base`. */
  read(m: Uint8Array, base: number, limit: number, offset: number): string {
    if (offset + 1 < limit && m[offset] >= 0xc0) {
      // The walk would jump to `target` and read, with no further pointer, a name read before.
      const target = base + (((m[offset] & 0x3f) << 8) | m[offset + 1]);
      for (let i = 0; i < this.memoCount; i++) {
        // RFC 1035 §4.1.4: only a pointer backwards is followed (as readName checks).
        if (this.memoAt[i] === target && target < offset) {
          this.end = offset + 2;
          return this.memoText[i];
        }
      }
    }
    const labels = this.labels;
    let count = 0;
    let at = offset;
    let end = -1;
    let wire = 1;
    let hops = 0;
    let lowest = offset;
    let h = 0;
    for (;;) {
      if (at >= limit) throw new DnsFormatError('name runs past the end of the message');
      const len = m[at];
      if (len === 0) {
        if (end < 0) end = at + 1;
        break;
      }
      if (len >= 0xc0) {
        if (at + 1 >= limit) throw new DnsFormatError('compression pointer is cut off');
        const target = base + (((len & 0x3f) << 8) | m[at + 1]);
        if (target >= lowest) throw new DnsFormatError('compression pointer points forward');
        lowest = target;
        if (++hops > MAX_POINTER_HOPS) throw new DnsFormatError('compression pointers loop');
        if (end < 0) end = at + 2;
        at = target;
        continue;
      }
      if (len > MAX_LABEL) throw new DnsFormatError('bad label');
      const stop = at + 1 + len;
      if (stop > limit) throw new DnsFormatError('label runs past the end of the message');
      wire += len + 1;
      if (wire > MAX_NAME) throw new DnsFormatError('name is too long');
      labels[count++] = at;
      // Length, first, middle and last byte: enough to tell the names of one capture apart.
      h = Math.imul(h ^ ((len << 24) | (m[at + 1] << 16) | (m[at + 1 + (len >> 1)] << 8) | m[stop - 1]), 0x01000193) + count;
      at = stop;
    }
    this.end = end;
    const slot = (h ^ (h >>> 15)) & (SLOTS - 1);
    const key = this.keys[slot];
    if (key !== undefined && key.length === wire - 1 && sameLabels(m, labels, count, key)) return this.remember(hops, offset, this.texts[slot]);
    const fresh = new Uint8Array(wire - 1);
    let k = 0;
    let text = '';
    for (let i = 0; i < count; i++) {
      const from = labels[i];
      const len = m[from];
      fresh.set(m.subarray(from, from + 1 + len), k);
      k += 1 + len;
      const label = labelText(m, from + 1, from + 1 + len);
      text = i === 0 ? label : `${text}.${label}`;
    }
    this.keys[slot] = fresh;
    this.texts[slot] = text;
    return this.remember(hops, offset, text);
  }

  private remember(hops: number, offset: number, text: string): string {
    if (hops === 0 && this.memoCount < MEMO) {
      this.memoAt[this.memoCount] = offset;
      this.memoText[this.memoCount++] = text;
    }
    return text;
  }
}

function sameLabels(m: Uint8Array, labels: Int32Array, count: number, key: Uint8Array): boolean {
  let k = 0;
  for (let i = 0; i < count; i++) {
    const from = labels[i];
    const stop = from + 1 + m[from];
    for (let j = from; j < stop; j++) if (m[j] !== key[k++]) return false;
  }
  return true;
}
