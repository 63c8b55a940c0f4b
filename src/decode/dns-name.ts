import { labelText } from '../dns-text.js';

/** RFC 1035 §2.3.4: a label is at most 63 bytes, a name at most 255 bytes on the wire. */
const MAX_LABEL = 63;
const MAX_NAME = 255;
/** More jumps than a 255-byte name has labels means a loop. */
const MAX_POINTER_HOPS = 128;

export interface NameResult {
  name: string;
  /** Offset just after the name where it started (after the first pointer if it jumped). */
  end: number;
}

/** Thrown inside the decoder only; the wrapper turns it into an Anomaly. */
export class DnsFormatError extends Error {
  override readonly name = 'DnsFormatError';
}

/**
 * Reads a possibly compressed name at `offset` of the message `m` (which starts at 0).
 * Each pointer must land before every byte of the name read so far (RFC 1035 §4.1.4 "a prior
 * occurrence"), which rules out loops by construction; the hop limit is a second guard.
 */
export function readName(m: Uint8Array, offset: number): NameResult {
  let at = offset;
  let end = -1;
  let wireLength = 1;
  let hops = 0;
  let name = '';
  /** Every jump must land before everything read so far, so no set of pointers can loop. */
  let lowest = offset;
  for (;;) {
    if (at >= m.length) throw new DnsFormatError(`name at byte ${offset} runs past the end of the message`);
    const len = m[at];
    if (len === 0) {
      if (end < 0) end = at + 1;
      return { name, end };
    }
    const tag = len & 0xc0;
    if (tag === 0xc0) {
      if (at + 1 >= m.length) throw new DnsFormatError(`compression pointer at byte ${at} is cut off`);
      const target = ((len & 0x3f) << 8) | m[at + 1];
      if (target >= lowest) throw new DnsFormatError(`compression pointer at byte ${at} points forward to ${target}`);
      lowest = target;
      if (++hops > MAX_POINTER_HOPS) throw new DnsFormatError(`compression pointers loop at byte ${at}`);
      if (end < 0) end = at + 2;
      at = target;
      continue;
    }
    if (tag !== 0) throw new DnsFormatError(`label type 0x${tag.toString(16)} at byte ${at} is not supported`);
    if (len > MAX_LABEL) throw new DnsFormatError(`label of ${len} bytes at byte ${at}`);
    if (at + 1 + len > m.length) throw new DnsFormatError(`label at byte ${at} runs past the end of the message`);
    wireLength += len + 1;
    if (wireLength > MAX_NAME) throw new DnsFormatError(`name at byte ${offset} is longer than ${MAX_NAME} bytes`);
    const label = labelText(m, at + 1, at + 1 + len);
    name = name.length === 0 ? label : `${name}.${label}`;
    at += 1 + len;
  }
}
