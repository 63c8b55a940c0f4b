import { AddressTexts } from '../../decode/address-texts.js';
import { EndpointCache } from '../../decode/endpoint-cache.js';
import { hostOf } from '../../host-of-endpoint.js';
import { MAX_STAMP_US, PORT_NAMES, type TextStamp } from './parse-line.js';

/** Endpoints kept at once (a power of two); a miss overwrites its slot, so memory stays flat. */
const SLOTS = 4096;
/** Longest line read here; longer ones (and every other kind) go to parseTextLine. */
const LONGEST_LINE = 4096;

const SPACE = 32;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const GT = 62;
const OPEN = 40;
const CLOSE = 41;
const BRACKET = 91;

/**
 * The tcpdump lines a DNS capture is made of, read straight from their bytes: a packet line
 * "[stamp ]IP[6] src.port > dst.port: [checksum ]DNS text" (hosts and services by number or by
 * name), stamped or
 * indented (the second line of -v), and the "IP (tos 0x…, …)" header line of -v. `read` says
 * whether the line is one of those and gives exactly what parseTextLine would (the differential
 * tests hold the two to each other); any other line (-q, TCP, ICMP, -#, relative stamps,
 * non-ASCII endpoints, …) is left to parseTextLine. Nothing is decoded or
 * sliced: endpoints come from a cache keyed by their bytes, and the DNS text is left where it is
 * (from `textStart` to the line's end) for TextDnsCache.
 */
export class TextLineBytes {
  kind: 'packet' | 'ip-header' = 'packet';
  /** A line read here is always UDP (TCP lines start their text with "Flags ["). */
  readonly transport = 'udp' as const;
  /** null: no timestamp (an indented line). */
  stampKind: TextStamp['kind'] | null = null;
  stampUs = 0;
  indented = false;
  src = '';
  dst = '';
  /** The hosts of `src` and `dst` (DnsMessage.srcHost, dstHost). */
  srcHost = '';
  dstHost = '';
  srcPort = 0;
  dstPort = 0;
  textStart = 0;
  private readonly keys: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(SLOTS).fill(undefined);
  private readonly texts: string[] = new Array<string>(SLOTS).fill('');
  private readonly hostTexts: string[] = new Array<string>(SLOTS).fill('');
  private readonly ports = new Int32Array(SLOTS);
  private readonly hosts = new HostTexts();
  /** IPv4 endpoints by number, as the capture decoder keeps them: the same strings for the same sockets. */
  private readonly endpoints = new EndpointCache(new AddressTexts());
  /** The four bytes of the IPv4 address last read, for `endpoints`. */
  private readonly address = new Uint8Array(4);
  /** Set by `token`: where the endpoint ended, its port, its text and its host. */
  private tokenEnd = 0;
  private port = 0;
  private text = '';
  private host = '';

  /** Reads the line b[start, end) (without its LF and CR); false: leave it to parseTextLine. */
  read(b: Uint8Array, start: number, end: number): boolean {
    if (end - start > LONGEST_LINE || end - start < 8) return false;
    let p: number;
    const first = b[start];
    if (first >= 48 && first <= 57) {
      p = this.readStamp(b, start, end);
      if (p < 0) return false;
      this.indented = false;
      // "IP " or "IP6 " (print-ip.c, print-ip6.c).
      if (b[p] !== 73 || b[p + 1] !== 80) return false;
      p += b[p + 2] === 54 ? 3 : 2;
      if (b[p] !== SPACE || p + 1 >= end) return false;
      p++;
      if (b[p] === OPEN) return this.readIpHeader(b, p, end);
    } else if (first === SPACE && b[start + 1] === SPACE) {
      // The second line of an IPv4 -v packet: no stamp (one space then digits would be -ttt).
      this.stampKind = null;
      this.indented = true;
      p = start + 2;
      while (p < end && b[p] === SPACE) p++;
    } else {
      return false;
    }
    this.kind = 'packet';
    // "src.port > dst.port: " (findEndpoints): the first " > " ends the source.
    if (!this.token(b, p, end, SPACE)) return false;
    p = this.tokenEnd;
    if (b[p + 1] !== GT || b[p + 2] !== SPACE) return false;
    this.src = this.text;
    this.srcHost = this.host;
    this.srcPort = this.port;
    if (!this.token(b, p + 3, end, COLON)) return false;
    p = this.tokenEnd;
    this.dst = this.text;
    this.dstHost = this.host;
    this.dstPort = this.port;
    p += 2;
    // A UDP checksum (-v, -vv) comes before the DNS text.
    if (b[p] === BRACKET) {
      const skip = checksumLength(b, p, end);
      if (skip === 0) return false;
      p += skip;
    }
    const c = b[p];
    if (p >= end || c < 48 || c > 57) return false;
    this.textStart = p;
    return true;
  }

  /**
   * An endpoint "addr.port" from `from` to the first `stop` (a space, or a colon followed by a
   * space), printable ASCII without commas: its text ("addr:port", "[v6addr]:port") and port
   * (-1 for a service name parseTextLine does not know).
   */
  private token(b: Uint8Array, from: number, end: number, stop: number): boolean {
    return this.ipv4Token(b, from, end, stop) || this.otherToken(b, from, end, stop);
  }

  /**
   * token for "a.b.c.d.port" as tcpdump -n prints an IPv4 socket (ipaddr_string, "%u" port):
   * read as numbers in one pass and looked up by them, so a line's endpoints cost no hash of
   * their bytes and a new client socket no copy of them. Only the canonical form (no leading
   * zeros, octets to 255, ports to 65535), whose text formatIpv4 gives back byte for byte; any
   * other is left to otherToken.
   */
  private ipv4Token(b: Uint8Array, from: number, end: number, stop: number): boolean {
    let address = 0;
    let dots = 0;
    let value = 0;
    let digits = 0;
    let at = from;
    for (; at < end; at++) {
      const c = b[at];
      if (c >= 48 && c <= 57) {
        if (digits > 0 && value === 0) return false;
        value = value * 10 + c - 48;
        if (++digits > 5) return false;
      } else if (c === DOT) {
        if (dots === 4 || digits === 0 || value > 255) return false;
        address = (address << 8) | value;
        dots++;
        value = 0;
        digits = 0;
      } else break;
    }
    if (dots !== 4 || digits === 0 || value > 65535 || at + 1 >= end || b[at] !== stop) return false;
    if (stop === COLON && b[at + 1] !== SPACE) return false;
    const bytes = this.address;
    bytes[0] = address >>> 24;
    bytes[1] = (address >>> 16) & 0xff;
    bytes[2] = (address >>> 8) & 0xff;
    bytes[3] = address & 0xff;
    this.text = this.endpoints.ipv4(bytes, 0, value);
    this.host = this.endpoints.host;
    this.port = value;
    this.tokenEnd = at;
    return true;
  }

  /** token for any other form (host names, IPv6, service names), cached by its bytes. */
  private otherToken(b: Uint8Array, from: number, end: number, stop: number): boolean {
    let h = 0x811c9dc5;
    /** The hash of the bytes before the last dot: the address's. */
    let addressHash = 0;
    let dot = -1;
    let at = from;
    for (;; at++) {
      if (at >= end) return false;
      const c = b[at];
      if (c === stop && (stop === SPACE || b[at + 1] === SPACE)) break;
      if (c <= SPACE || c >= 0x7f || c === COMMA) return false;
      if (c === DOT) {
        dot = at;
        addressHash = h;
      }
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (at + 1 >= end && stop === COLON) return false;
    // An address before the last dot, and a port after it: 1 to 5 digits, or a service name
    // (isPortText's [A-Za-z0-9-]+), which parseTextLine turns into a number when it knows it.
    if (dot <= from || at - dot - 1 < 1) return false;
    let port = 0;
    let digits = true;
    for (let i = dot + 1; i < at; i++) {
      const c = b[i];
      if (c >= 48 && c <= 57) port = port * 10 + c - 48;
      else if (((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === DASH) digits = false;
      else return false;
    }
    if (digits && at - dot - 1 > 5) return false;
    const slot = (h ^ (h >>> 15)) & (SLOTS - 1);
    const key = this.keys[slot];
    const length = at - from;
    this.tokenEnd = at;
    if (key !== undefined && key.length === length && sameBytes(b, from, key)) {
      this.port = this.ports[slot];
      this.text = this.texts[slot];
      this.host = this.hostTexts[slot];
      return true;
    }
    // A new client socket: one per lookup, so a quarter of the lines. Its address is most often
    // cached already (HostTexts).
    const address = this.hosts.text(b, from, dot, addressHash);
    let text: string;
    if (digits) {
      text = `${address}:${portText(port)}`;
    } else {
      const word = String.fromCharCode.apply(null, b.subarray(dot + 1, at) as unknown as number[]);
      port = Object.hasOwn(PORT_NAMES, word) ? PORT_NAMES[word] : -1;
      text = `${address}:${port >= 0 ? portText(port) : word}`;
    }
    const copy = new Uint8Array(length);
    copy.set(b.subarray(from, at));
    // Cut from the endpoint as any reader of endpoint text would: a name, an address, whatever the line holds.
    const host = hostOf(text);
    this.keys[slot] = copy;
    this.ports[slot] = port;
    this.texts[slot] = text;
    this.hostTexts[slot] = host;
    this.port = port;
    this.text = text;
    this.host = host;
    return true;
  }

  /**
   * readPrefix's time stamps (time of day, -tttt date and time, -tt epoch) from a line that
   * starts with a digit; the offset after the stamp's space, or -1.
   */
  private readStamp(b: Uint8Array, start: number, end: number): number {
    // tcpdump's default, "HH:MM:SS.ffffff " (ts_format), at fixed offsets: no digit run to find.
    if (b[start + 2] === COLON && b[start + 5] === COLON && b[start + 8] === DOT && b[start + 15] === SPACE && start + 15 < end) {
      const hours = twoDigits(b, start);
      const minutes = twoDigits(b, start + 3);
      const seconds = twoDigits(b, start + 6);
      const high = threeDigits(b, start + 9);
      const low = threeDigits(b, start + 12);
      if ((hours | minutes | seconds | high | low) >= 0) {
        this.stampKind = 'time-of-day';
        this.stampUs = (hours * 3600 + minutes * 60 + seconds) * 1e6 + (high * 1000 + low);
        return start + 16;
      }
    }
    let q = start;
    const k = digitsEnd(b, q, end);
    // "N  " is tcpdump -#'s packet number.
    if (b[k] === SPACE && b[k + 1] === SPACE) return -1;
    let dayUs: number | null = null;
    if (k === q + 4 && b[q + 4] === DASH && b[q + 7] === DASH && b[q + 10] === SPACE && q + 10 < end) {
      if (digitsEnd(b, q + 5, end) !== q + 7 || digitsEnd(b, q + 8, end) !== q + 10) return -1;
      dayUs = Date.UTC(intOf(b, q, q + 4), intOf(b, q + 5, q + 7) - 1, intOf(b, q + 8, q + 10)) * 1000;
      q += 11;
    }
    const h = digitsEnd(b, q, end);
    if (h > q && b[h] === COLON && b[h + 3] === COLON && b[h + 6] === DOT && h + 6 < end) {
      const f = digitsEnd(b, h + 7, end);
      if (f - h - 7 >= 6 && f - h - 7 <= 9 && b[f] === SPACE && f < end && digitsEnd(b, h + 1, end) === h + 3 && digitsEnd(b, h + 4, end) === h + 6) {
        const seconds = intOf(b, q, h) * 3600 + intOf(b, h + 1, h + 3) * 60 + intOf(b, h + 4, h + 6);
        this.stampKind = dayUs !== null ? 'date' : 'time-of-day';
        // Summed in readPrefix's order, so that the float is the same.
        const us = seconds * 1e6 + fractionUs(b, h + 7, f);
        if (!((dayUs ?? 0) + us <= MAX_STAMP_US)) return -1;
        this.stampUs = (dayUs ?? 0) + us;
        return f + 1;
      }
      return -1;
    }
    if (dayUs === null && h > q && b[h] === DOT) {
      const f = digitsEnd(b, h + 1, end);
      if (f - h - 1 >= 6 && f - h - 1 <= 9 && b[f] === SPACE && f < end) {
        const us = intOf(b, q, h) * 1e6 + fractionUs(b, h + 1, f);
        if (!(us <= MAX_STAMP_US)) return -1;
        this.stampKind = 'epoch';
        this.stampUs = us;
        return f + 1;
      }
    }
    return -1;
  }

  /**
   * The -v IPv4 header line, "IP (tos 0x…, …)": printable ASCII with no ">" (so it names no
   * endpoints) that IP_HEADER_RE matches.
   */
  private readIpHeader(b: Uint8Array, p: number, end: number): boolean {
    if (b[end - 1] !== CLOSE || !startsWith(b, p, end, TOS)) return false;
    const hex = b[p + TOS.length];
    if (!((hex >= 48 && hex <= 57) || (hex >= 0x61 && hex <= 0x66))) return false;
    for (let i = p; i < end; i++) {
      const c = b[i];
      if (c < SPACE || c >= 0x7f || c === GT) return false;
    }
    this.kind = 'ip-header';
    return true;
  }
}

/** Addresses kept at once (a power of two); a miss overwrites its slot. */
const ADDRESS_SLOTS = 1024;

/** An endpoint's host as it is written in one: "10.0.0.1", "[2001:db8::1]" (IPv6), a host name. */
class HostTexts {
  private readonly keys: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(ADDRESS_SLOTS).fill(undefined);
  private readonly texts: string[] = new Array<string>(ADDRESS_SLOTS).fill('');

  /** The address b[from, to) (printable ASCII), whose bytes hash to `hash`. */
  text(b: Uint8Array, from: number, to: number, hash: number): string {
    const slot = (hash ^ (hash >>> 15)) & (ADDRESS_SLOTS - 1);
    const key = this.keys[slot];
    if (key !== undefined && key.length === to - from && sameBytes(b, from, key)) return this.texts[slot];
    let text = String.fromCharCode.apply(null, b.subarray(from, to) as unknown as number[]);
    if (text.includes(':')) text = `[${text}]`;
    const copy = new Uint8Array(to - from);
    copy.set(b.subarray(from, to));
    this.keys[slot] = copy;
    this.texts[slot] = text;
    return text;
  }
}

/** Port numbers as text, made once each. */
const PORT_TEXTS: string[] = new Array<string>(65536).fill('');
function portText(port: number): string {
  // Five digits may say more than a port can be: such text is made each time.
  if (port > 65535) return String(port);
  let text = PORT_TEXTS[port];
  if (text === '') {
    text = String(port);
    PORT_TEXTS[port] = text;
  }
  return text;
}

const TOS = [...'(tos 0x'].map((c) => c.charCodeAt(0));
const SUM_OK = [...'[udp sum ok] '].map((c) => c.charCodeAt(0));
const NO_SUM = [...'[no cksum] '].map((c) => c.charCodeAt(0));

/** UDP_CHECKSUM_RE's two fixed forms; 0 for anything else (a bad checksum is left to parseTextLine). */
function checksumLength(b: Uint8Array, p: number, end: number): number {
  if (startsWith(b, p, end, SUM_OK)) return SUM_OK.length;
  if (startsWith(b, p, end, NO_SUM)) return NO_SUM.length;
  return 0;
}

function startsWith(b: Uint8Array, p: number, end: number, word: readonly number[]): boolean {
  if (p + word.length > end) return false;
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word[i]) return false;
  return true;
}

function sameBytes(b: Uint8Array, at: number, key: Uint8Array): boolean {
  for (let i = 0; i < key.length; i++) if (b[at + i] !== key[i]) return false;
  return true;
}

/** The two decimal digits at b[at], or -1. */
function twoDigits(b: Uint8Array, at: number): number {
  const d0 = b[at] - 48;
  const d1 = b[at + 1] - 48;
  return (d0 >>> 0) <= 9 && (d1 >>> 0) <= 9 ? d0 * 10 + d1 : -1;
}

/** The three decimal digits at b[at], or -1. */
function threeDigits(b: Uint8Array, at: number): number {
  const d0 = b[at] - 48;
  const d1 = b[at + 1] - 48;
  const d2 = b[at + 2] - 48;
  return (d0 >>> 0) <= 9 && (d1 >>> 0) <= 9 && (d2 >>> 0) <= 9 ? d0 * 100 + d1 * 10 + d2 : -1;
}

function digitsEnd(b: Uint8Array, i: number, end: number): number {
  while (i < end && b[i] >= 48 && b[i] <= 57) i++;
  return i;
}

function intOf(b: Uint8Array, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + b[i] - 48;
  return v;
}

/** ".761076" → 761076; nanosecond text (9 digits) keeps its sub-microsecond part as a fraction. */
function fractionUs(b: Uint8Array, from: number, to: number): number {
  const digits = to - from;
  return digits === 6 ? intOf(b, from, to) : intOf(b, from, to) / 10 ** (digits - 6);
}
