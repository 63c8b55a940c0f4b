/** What the first bytes of an input say it is. */
export type SniffedFormat = 'pcap' | 'pcapng' | 'gzip' | 'text' | 'unknown';

/** Classic libpcap magic numbers: microsecond and nanosecond, in both byte orders. */
const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);
/** pcapng Section Header Block type; the same bytes in either byte order. */
const PCAPNG_SHB = 0x0a0d0d0a;

/** Bytes that tell text from binary with confidence. */
export const SNIFF_BYTES = 4096;

/** What the first bytes of a whole input (all of it, or at least SNIFF_BYTES) say it is. */
export function sniffFormat(head: Uint8Array): SniffedFormat {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4) {
    const magic = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
    if (PCAP_MAGICS.has(magic)) return 'pcap';
    if (magic === PCAPNG_SHB) return 'pcapng';
  }
  if (looksLikeText(head)) return 'text';
  return 'unknown';
}

/**
 * What the bytes read so far already settle, before SNIFF_BYTES have come; null while they do not.
 * A magic number settles a capture at once. A NUL byte rules out text and, before the fourth
 * byte, every magic (none holds a zero byte): a binary stream that is no capture is then refused
 * at once, instead of when SNIFF_BYTES or the end of a slow pipe arrive. Text itself needs
 * SNIFF_BYTES (or the end of the input) to be told from binary with few control bytes.
 */
export function settledFormat(head: Uint8Array): SniffedFormat | null {
  if (head.length >= SNIFF_BYTES) return sniffFormat(head);
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4) {
    const format = sniffFormat(head.subarray(0, 4));
    if (format === 'pcap' || format === 'pcapng') return format;
  }
  return head.includes(0) ? 'unknown' : null;
}

/**
 * tcpdump text is printable ASCII or UTF-8 with tabs and newlines; a capture or random binary
 * has NULs and control bytes early on. A few stray control bytes are tolerated (pasted escapes).
 */
function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  const n = Math.min(head.length, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1b) control++;
  }
  return control * 100 <= n;
}
