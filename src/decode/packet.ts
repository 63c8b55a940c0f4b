/**
 * What the link and network layers hand to the transport layer: addresses and the transport
 * payload of one IP datagram.
 */
export interface IpPacket {
  version: 4 | 6;
  src: string;
  dst: string;
  /** IP protocol number of the payload (17 UDP, 6 TCP, 1 ICMP, 58 ICMPv6). */
  protocol: number;
  payload: Uint8Array;
  /** The captured bytes ended before the datagram did (snaplen). */
  truncated: boolean;
}

/** Why a frame produced no DNS message; each maps to one FrameAccounting bucket. */
export type FrameVerdict = 'dns' | 'not-dns' | 'malformed' | 'truncated' | 'unsupported-link-type';
