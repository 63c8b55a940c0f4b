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

/** One fragment of an IPv4 or IPv6 datagram, waiting for reassembly (RFC 791 §3.2, RFC 8200 §4.5). */
export interface IpFragment {
  version: 4 | 6;
  src: string;
  dst: string;
  /** IPv4 identification (16 bits) or IPv6 fragment identification (32 bits). */
  id: number;
  /** Upper-layer protocol (IPv4) or the fragment header's Next Header (IPv6). */
  protocol: number;
  /** Byte offset of this fragment's payload in the reassembled payload. */
  offset: number;
  /** More fragments follow (the MF / M flag). */
  more: boolean;
  /** Only valid during the call that receives it (copy to keep). */
  payload: Uint8Array;
  truncated: boolean;
}

/** Why a frame produced no DNS message; each maps to one FrameAccounting bucket. */
export type FrameVerdict = 'dns' | 'not-dns' | 'malformed' | 'truncated' | 'unsupported-link-type';
