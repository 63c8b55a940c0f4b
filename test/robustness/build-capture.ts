/**
 * Hand-built hostile input for the robustness tests: DNS messages with any bytes in their
 * names, the UDP/TCP/IPv4/Ethernet layers around them, and classic pcap files of those frames.
 * Nothing here validates: building broken things is the point.
 */

/** A name as raw labels, so a label can hold any byte (dots, pipes, ESC, invalid UTF-8). */
export type RawName = (string | Uint8Array)[];

function labelBytes(l: string | Uint8Array): Uint8Array {
  return typeof l === 'string' ? new Uint8Array(Buffer.from(l, 'latin1')) : l;
}

/** Wire form of a name, uncompressed; labels longer than 63 bytes are written as given (broken). */
export function encodeName(labels: RawName): Uint8Array {
  const parts: number[] = [];
  for (const l of labels) {
    const b = labelBytes(l);
    parts.push(b.length & 0xff, ...b);
  }
  parts.push(0);
  return Uint8Array.from(parts);
}

export interface RecordSpec {
  name: RawName;
  type: number;
  data: Uint8Array;
  ttl?: number;
}

export interface MessageSpec {
  id?: number;
  response?: boolean;
  rcode?: number;
  question?: { name: RawName; type: number };
  answers?: RecordSpec[];
}

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** A DNS message (RFC 1035 §4.1) without compression. */
export function encodeDns(spec: MessageSpec): Uint8Array {
  const flags = (spec.response ? 0x8180 : 0x0100) | (spec.rcode ?? 0);
  const answers = spec.answers ?? [];
  const out: number[] = [...u16(spec.id ?? 0x1234), ...u16(flags), ...u16(spec.question ? 1 : 0), ...u16(answers.length), 0, 0, 0, 0];
  if (spec.question) out.push(...encodeName(spec.question.name), ...u16(spec.question.type), ...u16(1));
  for (const r of answers) {
    out.push(...encodeName(r.name), ...u16(r.type), ...u16(1), ...u32(r.ttl ?? 30), ...u16(r.data.length), ...r.data);
  }
  return Uint8Array.from(out);
}

/** A CNAME's data: a name. */
export function cnameData(labels: RawName): Uint8Array {
  return encodeName(labels);
}

/** A TXT record's data: one character-string per part. */
export function txtData(...parts: (string | Uint8Array)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    const b = labelBytes(p);
    out.push(b.length, ...b);
  }
  return Uint8Array.from(out);
}

export interface Ipv4Spec {
  src: string;
  dst: string;
  protocol: number;
  id?: number;
  /** Fragment offset in 8-byte units. */
  fragmentOffset?: number;
  moreFragments?: boolean;
  /** Overrides the total-length field (a lying header). */
  totalLength?: number;
}

function ipBytes(a: string): number[] {
  return a.split('.').map(Number);
}

export function ipv4(spec: Ipv4Spec, payload: Uint8Array): Uint8Array {
  const flags = (spec.moreFragments ? 0x2000 : 0) | (spec.fragmentOffset ?? 0);
  const header = [
    0x45, 0, ...u16(spec.totalLength ?? 20 + payload.length), ...u16(spec.id ?? 1), ...u16(flags), 64, spec.protocol, 0, 0,
    ...ipBytes(spec.src), ...ipBytes(spec.dst),
  ];
  return Uint8Array.from([...header, ...payload]);
}

export function udp(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  return Uint8Array.from([...u16(srcPort), ...u16(dstPort), ...u16(8 + payload.length), 0, 0, ...payload]);
}

/** A TCP segment with a 20-byte header (PSH|ACK) at sequence number `seq`. */
export function tcp(srcPort: number, dstPort: number, seq: number, payload: Uint8Array, flags = 0x18): Uint8Array {
  return Uint8Array.from([...u16(srcPort), ...u16(dstPort), ...u32(seq), ...u32(1), 0x50, flags, ...u16(65535), 0, 0, 0, 0, ...payload]);
}

/** The 2-byte length prefix of DNS over TCP (RFC 1035 §4.2.2). */
export function lengthPrefixed(message: Uint8Array, claimed = message.length): Uint8Array {
  return Uint8Array.from([...u16(claimed), ...message]);
}

export function ethernet(ipPacket: Uint8Array): Uint8Array {
  return Uint8Array.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00, ...ipPacket]);
}

/** A UDP DNS query or response on Ethernet between a pod and CoreDNS. */
export function dnsFrame(message: Uint8Array, response = false): Uint8Array {
  const [client, server] = ['10.0.0.7', '10.96.0.10'];
  const seg = response ? udp(53, 40000, message) : udp(40000, 53, message);
  return ethernet(ipv4({ src: response ? server : client, dst: response ? client : server, protocol: 17 }, seg));
}

export interface PcapRecordSpec {
  data: Uint8Array;
  /** Overrides incl_len (a lying record header). */
  inclLen?: number;
  origLen?: number;
  timeUs?: number;
}

/** A little-endian microsecond pcap; `snaplen` and `linkType` as given. */
export function pcap(records: (Uint8Array | PcapRecordSpec)[], opts: { snaplen?: number; linkType?: number } = {}): Uint8Array {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE((opts.snaplen ?? 262144) >>> 0, 16);
  h.writeUInt32LE(opts.linkType ?? 1, 20);
  parts.push(h);
  records.forEach((r, i) => {
    const rec = r instanceof Uint8Array ? { data: r } : r;
    const rh = Buffer.alloc(16);
    const t = rec.timeUs ?? 1_700_000_000_000_000 + i * 1000;
    rh.writeUInt32LE(Math.floor(t / 1e6), 0);
    rh.writeUInt32LE(t % 1e6, 4);
    rh.writeUInt32LE((rec.inclLen ?? rec.data.length) >>> 0, 8);
    rh.writeUInt32LE((rec.origLen ?? rec.data.length) >>> 0, 12);
    parts.push(rh, Buffer.from(rec.data));
  });
  return new Uint8Array(Buffer.concat(parts));
}

/** Yields `bytes` in pieces of the given sizes (cycled), as a pipe or a slow disk would. */
export async function* chunked(bytes: Uint8Array, sizes: readonly number[] = [bytes.length || 1]): AsyncGenerator<Uint8Array> {
  let i = 0;
  for (let at = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

/** A capture of `pairs` queries for distinct names, each answered with one address: records complete all along a run. */
export function answeredCapture(pairs: number): Uint8Array {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < pairs; i++) {
    const question = { name: [`host${i}`, 'example', 'com'], type: 1 };
    frames.push(dnsFrame(encodeDns({ id: i & 0xffff, question })));
    frames.push(dnsFrame(encodeDns({ id: i & 0xffff, response: true, question, answers: [{ name: question.name, type: 1, data: Uint8Array.from([10, 0, (i >> 8) & 0xff, i & 0xff]) }] }), true));
  }
  return pcap(frames);
}

/** One pcapng block (little-endian): type, total length, body padded to 4, total length again. */
export interface PcapngBlockSpec {
  type: number;
  body: Uint8Array;
  /** Overrides the leading total length (a lying header). */
  length?: number;
  /** Overrides the trailing total length. */
  trailingLength?: number;
}

export function pcapngBlock(spec: PcapngBlockSpec): Uint8Array {
  const padded = (spec.body.length + 3) & ~3;
  const total = 12 + padded;
  const b = Buffer.alloc(total);
  b.writeUInt32LE(spec.type >>> 0, 0);
  b.writeUInt32LE((spec.length ?? total) >>> 0, 4);
  b.set(spec.body, 8);
  b.writeUInt32LE((spec.trailingLength ?? spec.length ?? total) >>> 0, total - 4);
  return new Uint8Array(b);
}

/** Section Header Block: byte-order magic, version 1.0, section length -1 (unknown). */
export function pcapngShb(): Uint8Array {
  const body = Buffer.alloc(16);
  body.writeUInt32LE(0x1a2b3c4d, 0);
  body.writeUInt16LE(1, 4);
  body.writeUInt16LE(0, 6);
  body.writeBigInt64LE(-1n, 8);
  return pcapngBlock({ type: 0x0a0d0d0a, body: new Uint8Array(body) });
}

/** Interface Description Block with no options (so microsecond timestamps). */
export function pcapngIdb(linkType = 1, snaplen = 262144): Uint8Array {
  const body = Buffer.alloc(8);
  body.writeUInt16LE(linkType, 0);
  body.writeUInt32LE(snaplen >>> 0, 4);
  return pcapngBlock({ type: 1, body: new Uint8Array(body) });
}

/** Enhanced Packet Block; `capturedLength` may lie about the data that follows. */
export function pcapngEpb(data: Uint8Array, opts: { interfaceId?: number; timeUs?: number; capturedLength?: number; length?: number; trailingLength?: number } = {}): Uint8Array {
  const head = Buffer.alloc(20);
  const t = BigInt(opts.timeUs ?? 1_700_000_000_000_000);
  head.writeUInt32LE(opts.interfaceId ?? 0, 0);
  head.writeUInt32LE(Number(t >> 32n), 4);
  head.writeUInt32LE(Number(t & 0xffffffffn), 8);
  head.writeUInt32LE((opts.capturedLength ?? data.length) >>> 0, 12);
  head.writeUInt32LE(data.length, 16);
  return pcapngBlock({ type: 6, body: Uint8Array.from([...head, ...data]), length: opts.length, trailingLength: opts.trailingLength });
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
