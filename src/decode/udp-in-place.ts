import { ICMP, ICMPV6 } from './icmp-unreachable.js';

const UDP = 17;
const TCP = 6;

/** locateUdpDns's verdicts. */
export const TAKE_GENERAL_PATH = 0;
export const NOT_DNS = 1;
export const DNS_OVER_UDP = 2;
/** An ICMP message in a whole IPv4 datagram: `span` has the IP header's place and the ICMP message's. */
export const ICMP_OVER_IPV4 = 3;
export type InPlaceVerdict = typeof TAKE_GENERAL_PATH | typeof NOT_DNS | typeof DNS_OVER_UDP | typeof ICMP_OVER_IPV4;

/**
 * The DNS ports as a table of 65,536 flags (1: a DNS port): one load per port, where a Set of
 * numbers costs a hash lookup, twice per frame.
 */
export function portTable(ports: Iterable<number>): Uint8Array {
  const table = new Uint8Array(65536);
  for (const p of ports) if (p >= 0 && p < 65536) table[p] = 1;
  return table;
}

/** Where locateUdpDns found a DNS datagram: offsets in the frame's bytes. */
export class UdpSpan {
  version = 4;
  /** Start of the IP header. */
  ipAt = 0;
  /** Start and end of the UDP payload (the DNS message), or of the ICMP message. */
  payloadStart = 0;
  payloadEnd = 0;
  srcPort = 0;
  dstPort = 0;
}

/**
 * Nearly every frame of a DNS capture is a whole UDP datagram, or one that is not DNS at all:
 * this decides those straight from the capture's bytes, without the general path's result
 * objects, address strings and copies, giving the verdict that path would give. An ICMP message
 * in a whole IPv4 datagram is located too (a dead nameserver draws one per query: a third of the
 * frames of a failover-heavy capture). Everything else takes the general path: fragments, IPv4
 * options' edge cases, IPv6 extension headers, datagrams cut off, DNS over TCP, ICMPv6, bad UDP
 * lengths. `o` is where the IP header starts
 * in `d`, `frameEnd` where the frame ends, `dnsPort` a portTable; a DNS datagram's place goes
 * into `span`.
 */
export function locateUdpDns(d: Uint8Array, o: number, frameEnd: number, dnsPort: Uint8Array, span: UdpSpan): InPlaceVerdict {
  let protocol: number;
  let start: number;
  let end: number;
  const version = d[o] >> 4;
  if (version === 4) {
    if (frameEnd < o + 20) return TAKE_GENERAL_PATH;
    const ihl = (d[o] & 0x0f) * 4;
    const totalLength = (d[o + 2] << 8) | d[o + 3];
    end = o + totalLength;
    // Fragments (MF or an offset), TSO's zero total length and cut-off datagrams take the long way.
    if (ihl < 20 || totalLength < ihl || end > frameEnd || (((d[o + 6] << 8) | d[o + 7]) & 0x3fff) !== 0) return TAKE_GENERAL_PATH;
    protocol = d[o + 9];
    start = o + ihl;
  } else if (version === 6) {
    if (frameEnd < o + 40) return TAKE_GENERAL_PATH;
    const payloadLength = (d[o + 4] << 8) | d[o + 5];
    protocol = d[o + 6];
    end = o + 40 + payloadLength;
    if (payloadLength === 0 || end > frameEnd || protocol === 0 || protocol === 43 || protocol === 44 || protocol === 51 || protocol === 60 || protocol >= 135) return TAKE_GENERAL_PATH;
    start = o + 40;
  } else {
    return TAKE_GENERAL_PATH;
  }
  if (protocol !== UDP) {
    if (protocol === TCP) {
      if (end - start < 20 || dnsPort[(d[start] << 8) | d[start + 1]] === 1 || dnsPort[(d[start + 2] << 8) | d[start + 3]] === 1) return TAKE_GENERAL_PATH;
    } else if (protocol === ICMP && version === 4) {
      span.version = 4;
      span.ipAt = o;
      span.payloadStart = start;
      span.payloadEnd = end;
      return ICMP_OVER_IPV4;
    } else if (protocol === ICMP || protocol === ICMPV6) {
      return TAKE_GENERAL_PATH;
    }
    return NOT_DNS;
  }
  if (end - start < 8) return TAKE_GENERAL_PATH;
  const srcPort = (d[start] << 8) | d[start + 1];
  const dstPort = (d[start + 2] << 8) | d[start + 3];
  if (dnsPort[srcPort] === 0 && dnsPort[dstPort] === 0) return NOT_DNS;
  const udpLength = (d[start + 4] << 8) | d[start + 5];
  if (udpLength < 8 || start + udpLength > end) return TAKE_GENERAL_PATH;
  span.version = version;
  span.ipAt = o;
  span.payloadStart = start + 8;
  span.payloadEnd = start + udpLength;
  span.srcPort = srcPort;
  span.dstPort = dstPort;
  return DNS_OVER_UDP;
}
