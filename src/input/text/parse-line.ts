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

/**
 * "[-# number]  [caplen C len L ][timestamp] ": print.c pretty_print_packet prints "%5u  " for
 * -#, "caplen %u len %u " for --lengths (master only), then the timestamp in a TextStamp form.
 */
const PREFIX_RE = /^(?:\s*(\d+)  )?(?:caplen \d+ len \d+ )?(?:( ?)(?:(\d{4}-\d\d-\d\d) )?(\d+):(\d\d):(\d\d)\.(\d{6,9}) |(\d+)\.(\d{6,9}) )?/;

/**
 * "src.port > dst.port: " (print-udp.c udpipaddr_print, print-tcp.c): address and port are
 * joined by the last dot. It may follow "IP ", "IP6 (…) ", an -e link header or an
 * "-i any" prefix ("eth0 Out IP "), so it is searched for, not anchored.
 */
const ENDPOINTS_RE = /(?:^|\s)([^\s,>]+)\.([A-Za-z0-9-]+) > ([^\s,>]+)\.([A-Za-z0-9-]+):(?: |$)/;

/** print-ip.c ip_print at -v: "(tos 0x0, ttl 64, …, proto UDP (17), length 84)" ends the line. */
const IP_HEADER_RE = /\(tos 0x[0-9a-f]+.*\)$/;

const UDP_CHECKSUM_RE = /^\[(?:udp sum ok|bad udp cksum 0x[0-9a-f]+ -> 0x[0-9a-f]+!|no cksum)\] /;
/** print-tcp.c: "Flags [P.], …, length N" then one space and the DNS text, if any. */
const TCP_RE = /^Flags \[[^\]]*\],.*?, length (\d+)(?: (.*))?$/;

/** tcpdump prints these port numbers as service names (getservent) unless -n. */
const PORT_NAMES: Record<string, number> = { domain: 53, mdns: 5353, llmnr: 5355 };

export function parseTextLine(line: string): TextLine {
  const p = PREFIX_RE.exec(line) as RegExpExecArray;
  const stamp = stampOf(p);
  const body = p[0].length === 0 ? line : line.slice(p[0].length);
  const indented = p[0].length === 0 && /^\s/.test(line);
  const e = ENDPOINTS_RE.exec(body);
  if (!e) return IP_HEADER_RE.test(body) ? { kind: 'ip-header', stamp } : { kind: 'other', stamp, indented };
  const rest = body.slice(e.index + e[0].length);
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
  } else if (/^(?:UDP, length \d+|tcp \d+)$/.test(rest)) {
    payload = { kind: 'none', why: 'payload not decoded (-q)' };
  } else {
    const sum = UDP_CHECKSUM_RE.exec(rest);
    payload = { kind: 'dns', text: sum ? rest.slice(sum[0].length) : rest };
  }
  return {
    kind: 'packet',
    stamp,
    src: e[1],
    dst: e[3],
    srcPort: portOf(e[2]),
    dstPort: portOf(e[4]),
    srcPortText: e[2],
    dstPortText: e[4],
    transport,
    payload,
    indented,
  };
}

function stampOf(p: RegExpExecArray): TextStamp | null {
  if (p[4] !== undefined) {
    const us = (Number(p[4]) * 3600 + Number(p[5]) * 60 + Number(p[6])) * 1e6 + fractionUs(p[7]);
    if (p[3] !== undefined) return { kind: 'date', us: Date.parse(`${p[3]}T00:00:00Z`) * 1000 + us };
    return { kind: p[2] === ' ' ? 'relative' : 'time-of-day', us };
  }
  if (p[8] !== undefined) return { kind: 'epoch', us: Number(p[8]) * 1e6 + fractionUs(p[9]) };
  return null;
}

/** ".761076" → 761076; nanosecond text (9 digits) keeps its sub-microsecond part as a fraction. */
function fractionUs(digits: string): number {
  return Number(digits) / 10 ** (digits.length - 6);
}

function portOf(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  return PORT_NAMES[text] ?? null;
}
