/**
 * Link layers: find where the IP header starts in a frame. Each LINKTYPE_* value from
 * the tcpdump.org link-type registry maps to one small parser.
 */

export type NetworkStart =
  | { kind: 'ip'; offset: number }
  | { kind: 'other' }
  | { kind: 'short' }
  | { kind: 'unsupported' };

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
/** Older stacked-VLAN ethertypes still seen in the wild. */
const ETHERTYPE_QINQ_OLD = new Set([0x9100, 0x9200]);

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW_12: 12,
  RAW_14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  ARCNET_LINUX: 129,
  /** DLT_USER2: macOS writes its PKTAP captures with this value (libpcap pcap-common.c). */
  USER2_PKTAP: 149,
  IPV4: 228,
  NFLOG: 239,
  PKTAP: 258,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export function isSupportedLinkType(linkType: number): boolean {
  return (Object.values(LINKTYPE) as number[]).includes(linkType);
}

export function findNetworkStart(linkType: number, d: Uint8Array): NetworkStart {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return ethernet(d);
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_12:
    case LINKTYPE.RAW_14:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return d.length === 0 ? { kind: 'short' } : { kind: 'ip', offset: 0 };
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      return bsdLoopback(d, linkType === LINKTYPE.LOOP);
    case LINKTYPE.LINUX_SLL:
      // 16-byte header; protocol (ethertype) in the last 2 bytes.
      if (d.length < 16) return { kind: 'short' };
      return byEthertype((d[14] << 8) | d[15], 16);
    case LINKTYPE.LINUX_SLL2:
      // 20-byte header; protocol (ethertype) in the first 2 bytes.
      if (d.length < 20) return { kind: 'short' };
      return byEthertype((d[0] << 8) | d[1], 20);
    case LINKTYPE.NFLOG:
      return nflog(d);
    case LINKTYPE.PKTAP:
    case LINKTYPE.USER2_PKTAP:
      return pktap(d, linkType);
    case LINKTYPE.ARCNET_LINUX:
      return arcnetLinux(d);
    default:
      return { kind: 'unsupported' };
  }
}

/**
 * findNetworkStart's answer for the frames a DNS capture is made of (Ethernet without VLAN tags,
 * Linux cooked v1 and v2, raw IP, carrying IPv4 or IPv6), for the frame d[start, end) read in
 * place and without allocating a result: the offset of the IP header in `d`, or -1 for every
 * other frame, which then goes through findNetworkStart.
 */
export function findIpOffsetQuickly(linkType: number, d: Uint8Array, start: number, end: number): number {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return end - start >= 14 && isIpEthertype((d[start + 12] << 8) | d[start + 13]) ? start + 14 : -1;
    case LINKTYPE.LINUX_SLL:
      return end - start >= 16 && isIpEthertype((d[start + 14] << 8) | d[start + 15]) ? start + 16 : -1;
    case LINKTYPE.LINUX_SLL2:
      return end - start >= 20 && isIpEthertype((d[start] << 8) | d[start + 1]) ? start + 20 : -1;
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_12:
    case LINKTYPE.RAW_14:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return end > start ? start : -1;
    default:
      return -1;
  }
}

function isIpEthertype(type: number): boolean {
  return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6;
}

function ethernet(d: Uint8Array): NetworkStart {
  if (d.length < 14) return { kind: 'short' };
  let type = (d[12] << 8) | d[13];
  let offset = 14;
  // 802.1Q and 802.1ad tags, possibly stacked (QinQ): 4 bytes each.
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || ETHERTYPE_QINQ_OLD.has(type)) {
    if (d.length < offset + 4) return { kind: 'short' };
    type = (d[offset + 2] << 8) | d[offset + 3];
    offset += 4;
  }
  return byEthertype(type, offset);
}

function byEthertype(type: number, offset: number): NetworkStart {
  return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6 ? { kind: 'ip', offset } : { kind: 'other' };
}

/**
 * BSD loopback: a 4-byte address family, host byte order for NULL, network order for LOOP.
 * AF_INET is 2 everywhere; AF_INET6 is 24, 28 or 30 depending on the BSD.
 */
function bsdLoopback(d: Uint8Array, networkOrder: boolean): NetworkStart {
  if (d.length < 4) return { kind: 'short' };
  const be = ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
  const le = ((d[3] << 24) | (d[2] << 16) | (d[1] << 8) | d[0]) >>> 0;
  const family = networkOrder ? be : be < 0x10000 ? be : le;
  return family === 2 || family === 24 || family === 28 || family === 30 ? { kind: 'ip', offset: 4 } : { kind: 'other' };
}

/** NFULA_PAYLOAD: the TLV that holds the packet, from the IP header on (linux/netfilter/nfnetlink_log.h). */
const NFULA_PAYLOAD = 9;
const AF_INET = 2;
const AF_INET6_LINUX = 10;

/**
 * Linux NFLOG (tcpdump -i nflog:N): a 4-byte header (address family, version, resource id),
 * then TLVs whose length and type are in the capturing host's byte order, each padded to 4 bytes.
 * The byte order is not recorded, so the length is read in the order that makes it fit.
 */
function nflog(d: Uint8Array): NetworkStart {
  if (d.length < 4) return { kind: 'short' };
  if (d[0] !== AF_INET && d[0] !== AF_INET6_LINUX) return { kind: 'other' };
  let at = 4;
  while (at + 4 <= d.length) {
    const le = d[at] | (d[at + 1] << 8);
    const be = (d[at] << 8) | d[at + 1];
    const littleEndian = le >= 4 && at + le <= d.length;
    const len = littleEndian ? le : be;
    const type = littleEndian ? d[at + 2] | (d[at + 3] << 8) : (d[at + 2] << 8) | d[at + 3];
    if (len < 4) return { kind: 'other' };
    if (type === NFULA_PAYLOAD) return at + 4 < d.length ? { kind: 'ip', offset: at + 4 } : { kind: 'short' };
    at += (len + 3) & ~3;
  }
  return { kind: 'other' };
}

/** Smallest Apple PKTAP header (struct pktap_header, 108 bytes). */
const PKTAP_HEADER_MIN = 108;

/**
 * Apple PKTAP (tcpdump -i pktap on macOS): a header in host byte order (little-endian on every
 * Mac) giving its own length and the link type of the packet that follows it.
 */
function pktap(d: Uint8Array, linkType: number): NetworkStart {
  if (d.length < 8) return { kind: 'short' };
  const headerLength = (d[0] | (d[1] << 8) | (d[2] << 16) | (d[3] << 24)) >>> 0;
  const inner = (d[4] | (d[5] << 8) | (d[6] << 16) | (d[7] << 24)) >>> 0;
  if (headerLength < PKTAP_HEADER_MIN || inner === LINKTYPE.PKTAP || inner === LINKTYPE.USER2_PKTAP) {
    // DLT_USER2 that is not PKTAP is someone's private format.
    return linkType === LINKTYPE.USER2_PKTAP ? { kind: 'unsupported' } : { kind: 'other' };
  }
  if (d.length < headerLength) return { kind: 'short' };
  const start = findNetworkStart(inner, d.subarray(headerLength));
  return start.kind === 'ip' ? { kind: 'ip', offset: start.offset + headerLength } : start;
}

/** ARCnet protocol ids (RFC 1051 and RFC 1201; tcpdump's arcnet.h). */
const ARCTYPE_IP_OLD = 240;
const ARCTYPE_IP = 212;
const ARCTYPE_INET6 = 0xc4;

/**
 * Linux ARCnet: source, destination, a 2-byte offset, then the protocol id. RFC 1051 framing
 * (old IP) puts the datagram right after it; RFC 1201 framing adds a split flag and a 2-byte
 * sequence id, and an exception packet (flag 0xff) repeats those 4 bytes once more.
 */
function arcnetLinux(d: Uint8Array): NetworkStart {
  if (d.length < 5) return { kind: 'short' };
  const type = d[4];
  if (type === ARCTYPE_IP_OLD) return { kind: 'ip', offset: 5 };
  if (type !== ARCTYPE_IP && type !== ARCTYPE_INET6) return { kind: 'other' };
  if (d.length < 8) return { kind: 'short' };
  return d[5] === 0xff ? (d.length < 12 ? { kind: 'short' } : { kind: 'ip', offset: 12 }) : { kind: 'ip', offset: 8 };
}
