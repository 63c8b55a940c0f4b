import type { IcmpUnreachable, Transport } from '../model.js';
import type { AddressTexts } from './address-texts.js';
import { formatEndpoint } from './addresses.js';
import type { EndpointCache } from './endpoint-cache.js';
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

/** readIcmpv4InPlace's answer when the quote is not IPv4: the general path reads it. */
export const QUOTE_NOT_IPV4 = 0;

/**
 * readIcmpUnreachable for an ICMP message at d[start, end) of an IPv4 datagram whose header
 * starts at `ipAt`, read in place: the same result, step for step, without the general path's
 * parse results, copies and address strings (endpoints and the reporter's address come from
 * the decoder's caches). QUOTE_NOT_IPV4 when the quote is not an IPv4 datagram.
 */
export function readIcmpv4InPlace(
  d: Uint8Array,
  ipAt: number,
  start: number,
  end: number,
  dnsPort: Uint8Array,
  endpoints: EndpointCache,
  addresses: AddressTexts,
  frame: number,
  timeUs: number,
): IcmpUnreachable | null | typeof QUOTE_NOT_IPV4 {
  if (end - start < ICMP_HEADER || d[start] !== ICMP_UNREACHABLE) return null;
  const q = start + ICMP_HEADER;
  // parseIp of the quote: nothing quoted, a short or bad header, or a fragment is no match.
  if (end <= q) return null;
  if (d[q] >> 4 !== 4) return QUOTE_NOT_IPV4;
  if (end < q + 20) return null;
  const ihl = (d[q] & 0x0f) * 4;
  if (ihl < 20 || end < q + ihl) return null;
  const totalLength = (d[q + 2] << 8) | d[q + 3];
  if (totalLength !== 0 && totalLength < ihl) return null;
  if ((((d[q + 6] << 8) | d[q + 7]) & 0x3fff) !== 0) return null;
  const protocol = d[q + 9];
  const t = q + ihl;
  const tEnd = totalLength === 0 ? end : Math.min(q + totalLength, end);
  if ((protocol !== 17 && protocol !== 6) || tEnd - t < 4) return null;
  const srcPort = (d[t] << 8) | d[t + 1];
  const dstPort = (d[t + 2] << 8) | d[t + 3];
  if (dnsPort[srcPort] === 0 && dnsPort[dstPort] === 0) return null;
  const transport: Transport = protocol === 17 ? 'udp' : 'tcp';
  const quotesResponse = dnsPort[srcPort] === 1 && dnsPort[dstPort] === 0;
  const client = quotesResponse ? endpoints.ipv4(d, q + 16, dstPort) : endpoints.ipv4(d, q + 12, srcPort);
  const server = quotesResponse ? endpoints.ipv4(d, q + 12, srcPort) : endpoints.ipv4(d, q + 16, dstPort);
  const dnsId = transport === 'udp' && tEnd - t >= 10 ? (d[t + 8] << 8) | d[t + 9] : null;
  return {
    frame,
    timeUs,
    reporter: addresses.ipv4(d, ipAt + 12),
    client,
    server,
    transport,
    code: d[start + 1],
    dnsId,
  };
}
