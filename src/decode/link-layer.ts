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
  IPV4: 228,
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
    default:
      return { kind: 'unsupported' };
  }
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
