import type { Transport } from '../../model.js';

/** A timestamp as tcpdump printed it, in microseconds (fractional for --nano). */
export interface TextStamp {
  /**
   * time-of-day: default (local time, microseconds since midnight); date: -tttt;
   * epoch: -tt; relative: -ttt (since the previous packet) or -ttttt (since the first), which
   * print the same " HH:MM:SS.frac" with a leading space.
   */
  kind: 'time-of-day' | 'date' | 'epoch' | 'relative';
  us: number;
}

/** The packet part of one tcpdump line. */
export type TextLine =
  | {
      kind: 'packet';
      stamp: TextStamp | null;
      /** The address, or the host name tcpdump resolved it to. */
      src: string;
      dst: string;
      /** null when tcpdump printed a service name dnstrace does not know. */
      srcPort: number | null;
      dstPort: number | null;
      srcPortText: string;
      dstPortText: string;
      transport: Transport;
      /** The DNS text, or why there is none (a TCP segment without a whole message, `-q`). */
      payload: { kind: 'dns'; text: string } | { kind: 'none'; why: string };
      /** The line started with white space: the second line of an IPv4 `-v` packet. */
      indented: boolean;
    }
  /** An IPv4 header printed alone by -v; the addresses follow on the next, indented line. */
  | { kind: 'ip-header'; stamp: TextStamp | null }
  | { kind: 'other'; stamp: TextStamp | null; indented: boolean };

/** --lengths (master only): "caplen %u len %u " after the packet number. */
const LENGTHS_RE = /caplen \d+ len \d+ /y;

/**
 * "[-# number]  [caplen C len L ][timestamp] ": print.c pretty_print_packet prints "%5u  " for
 * -#, then the timestamp in one of the TextStamp forms. Scanned by hand: it is read on every
 * line, and character codes cost a fraction of a regex match plus slices and Number()s.
 */
function readPrefix(line: string): void {
  let i = 0;
  let j = 0;
  while (line.charCodeAt(j) === SPACE) j++;
  const k = digitsEnd(line, j);
  if (k > j && line.charCodeAt(k) === SPACE && line.charCodeAt(k + 1) === SPACE) i = k + 2;
  if (line.startsWith('caplen ', i)) {
    LENGTHS_RE.lastIndex = i;
    if (LENGTHS_RE.test(line)) i = LENGTHS_RE.lastIndex;
  }
  const relative = line.charCodeAt(i) === SPACE;
  let q = relative ? i + 1 : i;
  let dayUs: number | null = null;
  if (!relative && line.charCodeAt(q + 4) === DASH && line.charCodeAt(q + 7) === DASH && line.charCodeAt(q + 10) === SPACE && digitsEnd(line, q) === q + 4) {
    dayUs = Date.UTC(intOf(line, q, q + 4), intOf(line, q + 5, q + 7) - 1, intOf(line, q + 8, q + 10)) * 1000;
    q += 11;
  }
  const h = digitsEnd(line, q);
  if (h > q && line.charCodeAt(h) === COLON && line.charCodeAt(h + 3) === COLON && line.charCodeAt(h + 6) === DOT) {
    const f = digitsEnd(line, h + 7);
    if (f - h - 7 >= 6 && f - h - 7 <= 9 && line.charCodeAt(f) === SPACE && digitsEnd(line, h + 1) === h + 3 && digitsEnd(line, h + 4) === h + 6) {
      const seconds = intOf(line, q, h) * 3600 + intOf(line, h + 1, h + 3) * 60 + intOf(line, h + 4, h + 6);
      const us = seconds * 1e6 + fractionUs(line, h + 7, f);
      if ((dayUs ?? 0) + us <= MAX_STAMP_US) {
        prefixEnd = f + 1;
        prefixStamp = { kind: dayUs !== null ? 'date' : relative ? 'relative' : 'time-of-day', us: (dayUs ?? 0) + us };
        return;
      }
    }
  }
  if (!relative && dayUs === null && h > q && line.charCodeAt(h) === DOT) {
    const f = digitsEnd(line, h + 1);
    const us = intOf(line, q, h) * 1e6 + fractionUs(line, h + 1, f);
    if (f - h - 1 >= 6 && f - h - 1 <= 9 && line.charCodeAt(f) === SPACE && us <= MAX_STAMP_US) {
      prefixEnd = f + 1;
      prefixStamp = { kind: 'epoch', us };
      return;
    }
  }
  prefixEnd = i;
  prefixStamp = null;
}

/**
 * The latest time a stamp may say, in microseconds (the year 2255): past it a stamp is not one
 * tcpdump printed (a line cut and joined, a digit run pasted in: "4323283200:02:28.310077"), and
 * the number would lose its microseconds and leave the calendar's range. Such a line reads as one
 * printed without a stamp (as with -t).
 */
export const MAX_STAMP_US = Number.MAX_SAFE_INTEGER;

/** readPrefix's results: module scratch instead of an object per line (this runs per line). */
let prefixEnd = 0;
let prefixStamp: TextStamp | null = null;

const SPACE = 32;
const DASH = 45;
const DOT = 46;
const COLON = 58;

function digitsEnd(s: string, i: number): number {
  for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i));
  return i;
}

function intOf(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + s.charCodeAt(i) - 48;
  return v;
}

/** ".761076" → 761076; nanosecond text (9 digits) keeps its sub-microsecond part as a fraction. */
function fractionUs(s: string, from: number, to: number): number {
  const digits = to - from;
  return digits === 6 ? intOf(s, from, to) : intOf(s, from, to) / 10 ** (digits - 6);
}

/** A port number or service name: [A-Za-z0-9-]+. */
function isPortText(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20;
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 48 && c <= 57) || c === 45 || c === 0x2d)) return false;
  }
  return true;
}

interface Endpoints {
  src: string;
  srcPort: string;
  dst: string;
  dstPort: string;
  /** Where the text after "dst.port: " starts. */
  end: number;
}

/**
 * Finds "src.port > dst.port: " (print-udp.c udpipaddr_print, print-tcp.c): address and port
 * are joined by the last dot. It may follow "IP ", "IP6 (…) ", an -e link header (whose MAC
 * addresses also have " > " between them) or an "-i any" prefix ("eth0 Out IP "), so each
 * " > " is tried in turn; a regex search here would cost a scan per character.
 */
function findEndpoints(body: string): Endpoints | null {
  // Every search is bounded by the token it looks in, and the next ": " is found once for all the
  // " > " before it: a line of thousands of " > " (garbage, or crafted) stays linear. Searching
  // back from each " > " to the start of the line made one 64 KB line cost 1.7 s (issue 8).
  let colonAt = -2;
  for (let gt = body.indexOf(' > '); gt > 0; gt = body.indexOf(' > ', gt + 3)) {
    const srcStart = body.lastIndexOf(' ', gt - 1) + 1;
    const srcDot = lastIndexIn(body, DOT, srcStart, gt);
    if (srcDot <= srcStart) continue;
    const dstStart = gt + 3;
    if (colonAt !== -1 && colonAt < dstStart) colonAt = body.indexOf(': ', dstStart);
    let colon = colonAt;
    if (colon < 0 && body.endsWith(':')) colon = body.length - 1;
    if (colon < 0) continue;
    const space = body.indexOf(' ', dstStart);
    if (space >= 0 && space < colon) continue;
    const dstDot = lastIndexIn(body, DOT, dstStart, colon);
    if (dstDot <= dstStart) continue;
    const src = body.slice(srcStart, srcDot);
    const dst = body.slice(dstStart, dstDot);
    const srcPort = body.slice(srcDot + 1, gt);
    const dstPort = body.slice(dstDot + 1, colon);
    if (!isPortText(srcPort) || !isPortText(dstPort) || dst.includes(',') || src.includes(',')) continue;
    return { src, srcPort, dst, dstPort, end: Math.min(colon + 2, body.length) };
  }
  return null;
}

/** The last `ch` (a character code) in s[from, to), or -1: never scans outside that range. */
function lastIndexIn(s: string, ch: number, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (s.charCodeAt(i) === ch) return i;
  return -1;
}

/** print-ip.c ip_print at -v: "(tos 0x0, ttl 64, …, proto UDP (17), length 84)" ends the line. */
const IP_HEADER_RE = /\(tos 0x[0-9a-f]+.*\)$/;

/** tcpdump -q: "UDP, length 84" or "tcp 78" instead of the payload. */
const QUIET_RE = /^(?:UDP, length \d+|tcp \d+)$/;
const UDP_CHECKSUM_RE = /^\[(?:udp sum ok|bad udp cksum 0x[0-9a-f]+ -> 0x[0-9a-f]+!|no cksum)\] /;
/** print-tcp.c: "Flags [P.], …, length N" then one space and the DNS text, if any. */
const TCP_RE = /^Flags \[[^\]]*\],.*?, length (\d+)(?: (.*))?$/;

/** tcpdump prints these port numbers as service names (getservent) unless -n. */
export const PORT_NAMES: Record<string, number> = { domain: 53, mdns: 5353, llmnr: 5355 };

export function parseTextLine(line: string): TextLine {
  readPrefix(line);
  const end = prefixEnd;
  const stamp = prefixStamp;
  const body = end === 0 ? line : line.slice(end);
  const indented = end === 0 && (line.charCodeAt(0) === SPACE || line.charCodeAt(0) === 9);
  const e = findEndpoints(body);
  if (!e) return IP_HEADER_RE.test(body) ? { kind: 'ip-header', stamp } : { kind: 'other', stamp, indented };
  const rest = body.slice(e.end);
  let transport: Transport = 'udp';
  let payload: Extract<TextLine, { kind: 'packet' }>['payload'];
  const tcp = rest.startsWith('Flags [') ? TCP_RE.exec(rest) : null;
  if (tcp) {
    transport = 'tcp';
    const dns = tcp[2];
    if (tcp[1] === '0' || dns === undefined) payload = { kind: 'none', why: 'TCP segment without data' };
    else if (dns.startsWith('[prefix length(') || dns.startsWith('[DNS over TCP')) {
      // domain_print decodes a segment only when it holds exactly one whole message.
      payload = { kind: 'none', why: 'TCP segment without one whole DNS message' };
    } else payload = { kind: 'dns', text: dns };
  } else if (rest.startsWith('ICMP')) {
    // "10.0.0.1 > 10.0.0.53: ICMP …" has no ports; the last octets only looked like them.
    payload = { kind: 'none', why: 'ICMP' };
  } else if ((rest.startsWith('UDP, ') || rest.startsWith('tcp ')) && QUIET_RE.test(rest)) {
    payload = { kind: 'none', why: 'payload not decoded (-q)' };
  } else {
    const sum = rest.startsWith('[') ? UDP_CHECKSUM_RE.exec(rest) : null;
    payload = { kind: 'dns', text: sum ? rest.slice(sum[0].length) : rest };
  }
  return {
    kind: 'packet',
    stamp,
    src: e.src,
    dst: e.dst,
    srcPort: portOf(e.srcPort),
    dstPort: portOf(e.dstPort),
    srcPortText: e.srcPort,
    dstPortText: e.dstPort,
    transport,
    payload,
    indented,
  };
}

function portOf(text: string): number | null {
  let v = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return Object.hasOwn(PORT_NAMES, text) ? PORT_NAMES[text] : null;
    v = v * 10 + c - 48;
  }
  return v;
}
