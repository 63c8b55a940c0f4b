import { formatIpv4, formatIpv6 } from './addresses.js';
import type { IpFragment, IpPacket } from './packet.js';

export type IpResult =
  | { kind: 'packet'; packet: IpPacket }
  | { kind: 'fragment'; fragment: IpFragment }
  | { kind: 'malformed'; detail: string }
  | { kind: 'truncated' };

/** IPv6 extension headers that are skipped to reach the transport header (RFC 8200 §4). */
const IPV6_EXTENSIONS = new Set([0, 43, 60, 51, 135, 139, 140]);
const IPV6_FRAGMENT = 44;

/** Parses the IP header at `offset`; IPv4 options and IPv6 extension headers are skipped. */
export function parseIp(d: Uint8Array, offset: number): IpResult {
  if (d.length <= offset) return { kind: 'truncated' };
  const version = d[offset] >> 4;
  if (version === 4) return parseIpv4(d, offset);
  if (version === 6) return parseIpv6(d, offset);
  return { kind: 'malformed', detail: `IP version ${version}` };
}

function parseIpv4(d: Uint8Array, o: number): IpResult {
  if (d.length < o + 20) return { kind: 'truncated' };
  const ihl = (d[o] & 0x0f) * 4;
  if (ihl < 20) return { kind: 'malformed', detail: `IPv4 header length ${ihl}` };
  if (d.length < o + ihl) return { kind: 'truncated' };
  const totalLength = (d[o + 2] << 8) | d[o + 3];
  const flagsFrag = (d[o + 6] << 8) | d[o + 7];
  const moreFragments = (flagsFrag & 0x2000) !== 0;
  const fragOffset = flagsFrag & 0x1fff;
  // A total length of 0 is TSO/GSO output captured before segmentation: take the captured bytes.
  const end = totalLength === 0 ? d.length : o + totalLength;
  if (totalLength !== 0 && totalLength < ihl) return { kind: 'malformed', detail: `IPv4 total length ${totalLength}` };
  if (moreFragments || fragOffset !== 0) {
    return {
      kind: 'fragment',
      fragment: {
        version: 4,
        src: formatIpv4(d, o + 12),
        dst: formatIpv4(d, o + 16),
        id: (d[o + 4] << 8) | d[o + 5],
        protocol: d[o + 9],
        offset: fragOffset * 8,
        more: moreFragments,
        payload: d.subarray(o + ihl, Math.min(end, d.length)),
        truncated: end > d.length,
      },
    };
  }
  return {
    kind: 'packet',
    packet: {
      version: 4,
      src: formatIpv4(d, o + 12),
      dst: formatIpv4(d, o + 16),
      protocol: d[o + 9],
      payload: d.subarray(o + ihl, Math.min(end, d.length)),
      truncated: end > d.length,
    },
  };
}

function parseIpv6(d: Uint8Array, o: number): IpResult {
  if (d.length < o + 40) return { kind: 'truncated' };
  const payloadLength = (d[o + 4] << 8) | d[o + 5];
  let next = d[o + 6];
  let at = o + 40;
  const end = payloadLength === 0 ? d.length : o + 40 + payloadLength;
  while (IPV6_EXTENSIONS.has(next) || next === IPV6_FRAGMENT) {
    if (d.length < at + 8) return { kind: 'truncated' };
    if (next === IPV6_FRAGMENT) {
      const fragWord = (d[at + 2] << 8) | d[at + 3];
      // An atomic fragment (offset 0, M clear, RFC 6946) is a whole datagram.
      if ((fragWord & 0xfff9) !== 0) {
        const fragEnd = Math.min(end, d.length);
        if (at + 8 > fragEnd) return { kind: 'malformed', detail: 'IPv6 fragment header runs past the payload' };
        return {
          kind: 'fragment',
          fragment: {
            version: 6,
            src: formatIpv6(d, o + 8),
            dst: formatIpv6(d, o + 24),
            id: ((d[at + 4] << 24) | (d[at + 5] << 16) | (d[at + 6] << 8) | d[at + 7]) >>> 0,
            // RFC 8200 §4.5: the Next Header of the fragment header names the fragmentable part.
            protocol: d[at],
            offset: fragWord & 0xfff8,
            more: (fragWord & 1) !== 0,
            payload: d.subarray(at + 8, fragEnd),
            truncated: end > d.length,
          },
        };
      }
      next = d[at];
      at += 8;
      continue;
    }
    // AH counts its length in 4-byte units minus 2; the others in 8-byte units minus 1.
    const len = next === 51 ? (d[at + 1] + 2) * 4 : (d[at + 1] + 1) * 8;
    next = d[at];
    at += len;
  }
  if (at > end) return { kind: 'malformed', detail: 'IPv6 extension headers run past the payload' };
  return {
    kind: 'packet',
    packet: {
      version: 6,
      src: formatIpv6(d, o + 8),
      dst: formatIpv6(d, o + 24),
      protocol: next,
      payload: d.subarray(Math.min(at, d.length), Math.min(end, d.length)),
      truncated: end > d.length,
    },
  };
}

/**
 * Walks IPv6 extension headers that follow a reassembled fragment header (RFC 8200 §4.5: the
 * fragmentable part may start with Destination Options before the upper-layer header).
 * Returns the upper-layer protocol and where its header starts, or null when they run past.
 */
export function skipIpv6Extensions(d: Uint8Array, next: number): { protocol: number; offset: number } | null {
  let at = 0;
  while (IPV6_EXTENSIONS.has(next)) {
    if (d.length < at + 8) return null;
    const len = next === 51 ? (d[at + 1] + 2) * 4 : (d[at + 1] + 1) * 8;
    next = d[at];
    at += len;
  }
  return at <= d.length ? { protocol: next, offset: at } : null;
}
