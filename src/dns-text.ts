/**
 * The one canonical text form of DNS names in dnstrace, shared by the capture decoder and the
 * tcpdump text reader so that both inputs yield identical DnsMessages.
 *
 * Labels are raw bytes. ASCII letters are lower-cased (DNS names compare case-insensitively,
 * RFC 4343; resolvers may randomise case). Bytes tcpdump would not print as themselves are
 * written the way tcpdump writes them (its fn_print_char): a byte with the high bit set as
 * "M-" plus the low 7 bits, a control byte as "^" plus the byte XOR 0x40. The result never
 * holds a control character or a non-ASCII code point, so it can reach a terminal safely
 * once table- or markup-breaking characters are escaped by the renderer.
 */
export function labelText(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  let plainFrom = start;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c >= 0x61 && c <= 0x7a) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f) continue;
    if (plainFrom < i) out += latin(bytes, plainFrom, i);
    plainFrom = i + 1;
    out += charText(c);
  }
  if (plainFrom < end) out += latin(bytes, plainFrom, end);
  return out;
}

function latin(bytes: Uint8Array, start: number, end: number): string {
  // Only [a-z0-9_-] reach here: one char code per byte.
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
}

/** tcpdump's fn_print_char, with ASCII upper case folded to lower case. */
export function charText(c: number): string {
  let prefix = '';
  if (c >= 0x80) {
    prefix = 'M-';
    c &= 0x7f;
  }
  if (c < 0x20 || c === 0x7f) return `${prefix}^${String.fromCharCode(c ^ 0x40)}`;
  if (c >= 0x41 && c <= 0x5a) c += 0x20;
  return prefix + String.fromCharCode(c);
}

const UPPER_RE = /[A-Z]/;
const UPPER_RUN_RE = /[A-Z]+/g;
const ESCAPE_RE = /M-|\^/;

/** Lower-cases a name already in presentation form (the tcpdump text reader's input). */
export function canonicalName(text: string): string {
  let name = text.endsWith('.') && text.length > 1 ? text.slice(0, -1) : text;
  if (name === '.') name = '';
  // Most names are lower case already, and most have no escapes: one scan each (this runs
  // once per name of every text line).
  if (!UPPER_RE.test(name)) return name;
  if (!ESCAPE_RE.test(name)) return name.replace(UPPER_RUN_RE, (s) => s.toLowerCase());
  // Fold only A-Z outside escape sequences: in "M-^A" the letters are escape markers.
  return name.replace(/(M-)?(\^.|.)/gs, (_match, meta: string | undefined, ch: string) => {
    const body = ch.length === 2 ? ch : ch.toLowerCase();
    return (meta ?? '') + body;
  });
}

/** A character-string (TXT, HINFO) as tcpdump shows it: quoted, case kept, bytes escaped like names. */
export function characterStringText(bytes: Uint8Array, start: number, end: number): string {
  let out = '"';
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c >= 0x41 && c <= 0x5a) out += String.fromCharCode(c);
    else if (c === 0x22 || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else out += charText(c);
  }
  return `${out}"`;
}
