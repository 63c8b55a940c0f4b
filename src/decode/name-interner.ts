import { labelText } from '../dns-text.js';
import { ByteStringCache, FNV_OFFSET, hashByte } from './byte-string-cache.js';
import { DnsFormatError } from './dns-name.js';

/** RFC 1035 §2.3.4: a label is at most 63 bytes, a name at most 255 bytes on the wire. */
const MAX_LABEL = 63;
const MAX_NAME = 255;
const MAX_POINTER_HOPS = 128;

/**
 * Reads DNS names (RFC 1035 §4.1.4) with the same checks as readName, but builds the text of
 * a name only the first time its labels are seen: the labels, ASCII letters folded to lower
 * case (labelText folds them too, RFC 4343), are the cache key. A node's capture repeats the
 * same few hundred names (every search-path attempt, every SOA), so nearly every name costs a
 * walk over its bytes and no allocation. Errors carry no detail: the caller re-reads a
 * message that fails with the reference decoder, whose message is the one reported.
 */
export class NameInterner {
  /** Offset just after the name last read (after its first pointer if it jumped). */
  end = 0;
  private readonly cache = new ByteStringCache(16384);

  read(m: Uint8Array, offset: number): string {
    const key = this.cache.key;
    let at = offset;
    let end = -1;
    let k = 0;
    let hops = 0;
    let lowest = offset;
    let h = FNV_OFFSET;
    const n = m.length;
    for (;;) {
      if (at >= n) throw new DnsFormatError('name runs past the end of the message');
      const len = m[at];
      if (len === 0) {
        if (end < 0) end = at + 1;
        break;
      }
      const tag = len & 0xc0;
      if (tag === 0xc0) {
        if (at + 1 >= n) throw new DnsFormatError('compression pointer is cut off');
        const target = ((len & 0x3f) << 8) | m[at + 1];
        if (target >= lowest) throw new DnsFormatError('compression pointer points forward');
        lowest = target;
        if (++hops > MAX_POINTER_HOPS) throw new DnsFormatError('compression pointers loop');
        if (end < 0) end = at + 2;
        at = target;
        continue;
      }
      if (tag !== 0 || len > MAX_LABEL) throw new DnsFormatError('bad label');
      const stop = at + 1 + len;
      if (stop > n) throw new DnsFormatError('label runs past the end of the message');
      // The key is the name's wire form without pointers: 1 + sum(len + 1) <= 255 bytes.
      if (k + len + 2 > MAX_NAME) throw new DnsFormatError('name is too long');
      key[k++] = len;
      h = hashByte(h, len);
      for (let i = at + 1; i < stop; i++) {
        let c = m[i];
        if (c >= 0x41 && c <= 0x5a) c |= 0x20;
        key[k++] = c;
        h = hashByte(h, c);
      }
      at = stop;
    }
    this.end = end;
    const cached = this.cache.get(h, k);
    if (cached !== undefined) return cached;
    const text = keyText(key, k);
    this.cache.set(h, k, text);
    return text;
  }
}

/** The presentation form of a folded key, label by label, exactly as readName writes it. */
function keyText(key: Uint8Array, length: number): string {
  let name = '';
  for (let at = 0; at < length; ) {
    const len = key[at];
    const label = labelText(key, at + 1, at + 1 + len);
    name = at === 0 ? label : `${name}.${label}`;
    at += 1 + len;
  }
  return name;
}
