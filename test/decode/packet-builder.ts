/**
 * Builds packets byte by byte for the cases no tool produces on demand (out-of-order TCP,
 * a stream cut mid-message, 802.1ad tags, BSD loopback). Checksums are left zero: dnstrace,
 * like tcpdump without -vv, does not verify them.
 */

export function dnsQuery(id: number, name: string, type = 1): Uint8Array {
  const labels = name.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]);
  return Uint8Array.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...labels, 0, type >> 8, type & 0xff, 0, 1]);
}

export function udp(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const len = 8 + payload.length;
  return Uint8Array.from([srcPort >> 8, srcPort & 0xff, dstPort >> 8, dstPort & 0xff, len >> 8, len & 0xff, 0, 0, ...payload]);
}

export const SYN = 0x02;
export const ACK = 0x10;
export const FIN = 0x01;
export const PSH = 0x08;

export function tcp(srcPort: number, dstPort: number, seq: number, flags: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const s = seq >>> 0;
  return Uint8Array.from([
    srcPort >> 8, srcPort & 0xff, dstPort >> 8, dstPort & 0xff,
    s >>> 24, (s >> 16) & 0xff, (s >> 8) & 0xff, s & 0xff,
    0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0, ...payload,
  ]);
}

/** DNS over TCP framing: the 2-byte length prefix of RFC 1035 §4.2.2. */
export function framed(...messages: Uint8Array[]): Uint8Array {
  return Uint8Array.from(messages.flatMap((m) => [m.length >> 8, m.length & 0xff, ...m]));
}

export function ipv4(src: string, dst: string, protocol: number, payload: Uint8Array, o: { options?: number[]; id?: number; offset?: number; more?: boolean } = {}): Uint8Array {
  const options = o.options ?? [];
  const ihl = 20 + options.length;
  const total = ihl + payload.length;
  const frag = ((o.more ? 0x2000 : 0) | ((o.offset ?? 0) >> 3));
  const id = o.id ?? 1;
  return Uint8Array.from([
    0x40 | (ihl / 4), 0, total >> 8, total & 0xff, id >> 8, id & 0xff, frag >> 8, frag & 0xff, 64, protocol, 0, 0,
    ...src.split('.').map(Number), ...dst.split('.').map(Number), ...options, ...payload,
  ]);
}

/** IPv6 with optional extension headers given as [type, bytes] (bytes after next-header). */
export function ipv6(src: number, dst: number, protocol: number, payload: Uint8Array, extensions: [number, number[]][] = []): Uint8Array {
  const types = [...extensions.map(([t]) => t), protocol];
  const ext = extensions.flatMap(([, bytes], i) => [types[i + 1], ...bytes]);
  const len = ext.length + payload.length;
  const addr = (last: number) => [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), last];
  return Uint8Array.from([0x60, 0, 0, 0, len >> 8, len & 0xff, types[0], 64, ...addr(src), ...addr(dst), ...ext, ...payload]);
}

export function ethernet(ethertype: number, payload: Uint8Array, tags: [number, number][] = []): Uint8Array {
  const mac = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
  const tagBytes = tags.flatMap(([tpid, vid]) => [tpid >> 8, tpid & 0xff, vid >> 8, vid & 0xff]);
  return Uint8Array.from([...mac, ...tagBytes, ethertype >> 8, ethertype & 0xff, ...payload]);
}

export function frame(data: Uint8Array, linkType = 101, timeUs = 1_000_000) {
  return { timeUs, linkType, data, originalLength: data.length };
}
