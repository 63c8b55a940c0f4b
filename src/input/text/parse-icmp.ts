import type { Transport } from '../../model.js';
import { PORT_NAMES } from './parse-line.js';

/** What tcpdump's line for an ICMP or ICMPv6 port unreachable says, before any quote. */
export interface TextIcmpUnreachable {
  /** The host that sent the error (the line's source), as printed: an address or a name. */
  reporter: string;
  /** The host the error went to (the line's destination): the sender of the refused datagram. */
  to: string;
  /** The refused datagram's destination address, as printed. */
  target: string;
  /** Its destination port; null for a service name dnstrace does not know. */
  targetPort: number | null;
  targetPortText: string;
  transport: Transport;
  /** ICMP code 3 (port unreachable), ICMPv6 code 4 (RFC 4443 §3.1). */
  code: number;
}

/**
 * print-icmp.c, ICMP_UNREACH_PORT: "ICMP <dst of the quote> udp port <port> unreachable, length N"
 * (`tcp port` for TCP; the port is a service name unless -n). -v may add " (wrong icmp cksum …)"
 * after the length, and prints the quoted datagram on the next lines.
 */
const ICMP4_RE = /(?:^|\s)(\S+) > (\S+): ICMP (\S+) (udp|tcp) port ([A-Za-z0-9-]+) unreachable, length \d+/;

/**
 * print-icmp6.c, ICMP6_DST_UNREACH_NOPORT: "ICMP6, destination unreachable, unreachable port,
 * <dst of the quote> udp port <port>", then ", length N" below -v; -v puts "[icmp6 sum ok] " or
 * "[bad icmp6 cksum …] " before "ICMP6" and never prints the quoted datagram.
 */
const ICMP6_RE = /(?:^|\s)(\S+) > (\S+): (?:\[[^\]]*\] )?ICMP6, destination unreachable, unreachable port, (\S+) (udp|tcp) port ([A-Za-z0-9-]+)(?:,|$)/;

/** Reads a port-unreachable line; null for any other line (other ICMP types, other codes). */
export function parseTextIcmpUnreachable(line: string): TextIcmpUnreachable | null {
  const v6 = line.includes(': ICMP6, destination unreachable, unreachable port, ') || line.includes('] ICMP6, destination unreachable, unreachable port, ');
  const m = v6 ? ICMP6_RE.exec(line) : ICMP4_RE.exec(line);
  if (m === null) return null;
  const portText = m[5];
  return {
    reporter: m[1],
    to: m[2],
    target: m[3],
    targetPort: portNumber(portText),
    targetPortText: portText,
    transport: m[4] as Transport,
    code: v6 ? 4 : 3,
  };
}

/** Cheap enough for every line the slow path reads: the common text of both forms. */
export function mayBeIcmpUnreachable(line: string): boolean {
  return line.includes('ICMP') && line.includes(' port ');
}

function portNumber(text: string): number | null {
  if (/^\d{1,5}$/.test(text)) return Number(text);
  return Object.hasOwn(PORT_NAMES, text) ? PORT_NAMES[text] : null;
}
