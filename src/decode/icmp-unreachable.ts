import type { IcmpUnreachable, Transport } from '../model.js';
import { formatEndpoint } from './addresses.js';
import { parseIp } from './ip-layer.js';
import type { IpPacket } from './packet.js';

export const ICMP = 1;
export const ICMPV6 = 58;
/** ICMP Destination Unreachable (RFC 792) and ICMPv6 Destination Unreachable (RFC 4443 §3.1). */
const ICMP_UNREACHABLE = 3;
const ICMPV6_UNREACHABLE = 1;
/** Type, code, checksum and 4 unused bytes come before the quoted datagram. */
const ICMP_HEADER = 8;

/**
 * Reads a destination-unreachable error whose quoted datagram is UDP or TCP to or from a DNS
 * port. Returns null for every other ICMP message. The quote is the IP header plus at least 8
 * bytes of the transport header (RFC 792); Linux quotes as much as fits in 576 bytes (RFC 1812
 * §4.3.2.3), so the DNS id that follows a UDP header is usually there.
 */
export function readIcmpUnreachable(
  p: IpPacket,
  frame: number,
  timeUs: number,
  ports: ReadonlySet<number>,
): IcmpUnreachable | null {
  const d = p.payload;
  if (d.length < ICMP_HEADER) return null;
  const wanted = p.protocol === ICMP ? ICMP_UNREACHABLE : ICMPV6_UNREACHABLE;
  if (d[0] !== wanted) return null;
  const quoted = parseIp(d, ICMP_HEADER);
  // A quote cut short still names its endpoints; a fragment quote has no ports to match.
  if (quoted.kind !== 'packet') return null;
  const q = quoted.packet;
  if ((q.protocol !== 17 && q.protocol !== 6) || q.payload.length < 4) return null;
  const t = q.payload;
  const srcPort = (t[0] << 8) | t[1];
  const dstPort = (t[2] << 8) | t[3];
  if (!ports.has(srcPort) && !ports.has(dstPort)) return null;
  const transport: Transport = q.protocol === 17 ? 'udp' : 'tcp';
  // Usually the quote is a query (client → server port); a quoted response (the client's port
  // had closed, from the server's side) has the roles the other way round.
  const quotesResponse = ports.has(srcPort) && !ports.has(dstPort);
  const client = quotesResponse ? formatEndpoint(q.dst, dstPort) : formatEndpoint(q.src, srcPort);
  const server = quotesResponse ? formatEndpoint(q.src, srcPort) : formatEndpoint(q.dst, dstPort);
  // UDP: the DNS header follows the 8-byte UDP header. TCP: the quote rarely reaches the data.
  const dnsId = transport === 'udp' && t.length >= 10 ? (t[8] << 8) | t[9] : null;
  return {
    frame,
    timeUs,
    reporter: p.src,
    client,
    server,
    transport,
    code: d[1],
    dnsId,
  };
}
