/**
 * The bytes of a generated capture: the classic pcap file header, and one record per frame:
 * DNS over UDP/IPv4/Ethernet, or the ICMP port unreachable a host with nothing listening sends back.
 */
import { type WireMessage, writeDnsMessage } from './write-dns-message.js';

/** A host on the capture's Ethernet segment. */
export interface Host {
  mac: Uint8Array;
  /** IPv4 address as 4 bytes. */
  ip: Uint8Array;
}

export const PCAP_GLOBAL_HEADER_LENGTH = 24;
const RECORD_HEADER = 16;
const ETHERNET = 14;
const IPV4 = 20;
const UDP = 8;
/** Room for the headers plus a DNS message: glibc sends no EDNS, so answers stay within 512 bytes. */
export const MAX_FRAME_RECORD = RECORD_HEADER + ETHERNET + IPV4 + UDP + 512;

/**
 * The classic libpcap file header (microsecond timestamps, little-endian magic as tcpdump writes
 * it on x86), snaplen 262144, LINKTYPE_ETHERNET.
 */
export function writePcapGlobalHeader(buf: Buffer, offset: number): number {
  buf.writeUInt32LE(0xa1b2c3d4, offset);
  buf.writeUInt16LE(2, offset + 4);
  buf.writeUInt16LE(4, offset + 6);
  buf.writeInt32LE(0, offset + 8);
  buf.writeUInt32LE(0, offset + 12);
  buf.writeUInt32LE(262_144, offset + 16);
  buf.writeUInt32LE(1, offset + 20);
  return PCAP_GLOBAL_HEADER_LENGTH;
}

export interface UdpFrame {
  timeUs: number;
  src: Host;
  srcPort: number;
  dst: Host;
  dstPort: number;
  /** IPv4 identification field. */
  ipId: number;
  message: WireMessage;
}

/**
 * The ICMP port unreachable a host with nothing on the port sends back for `quoted` (type 3,
 * code 3, quoting the whole datagram, which a DNS query is small enough for).
 */
export interface IcmpUnreachableFrame {
  timeUs: number;
  ipId: number;
  quoted: UdpFrame;
}

/** What a generated capture holds: DNS over UDP, and ICMP errors about it. */
export type CaptureFrame = UdpFrame | IcmpUnreachableFrame;

export function isIcmp(f: CaptureFrame): f is IcmpUnreachableFrame {
  return 'quoted' in f;
}

const ICMP = 8;
/** The quoted datagram is written here first. */
const scratch = Buffer.alloc(MAX_FRAME_RECORD);

/**
 * Writes one pcap record of an ICMP port unreachable: Ethernet II and IPv4 back from the quoted
 * datagram's destination to its source (TOS 0xc0 and no DF, as Linux sends its errors), the ICMP
 * header with a valid checksum, and the quoted IPv4 datagram. Returns its length.
 */
export function writeIcmpUnreachableFrame(buf: Buffer, offset: number, f: IcmpUnreachableFrame): number {
  const quotedLength = writeUdpFrame(scratch, 0, f.quoted) - RECORD_HEADER - ETHERNET;
  const eth = offset + RECORD_HEADER;
  const ip = eth + ETHERNET;
  const icmp = ip + IPV4;
  const ipLength = IPV4 + ICMP + quotedLength;
  const frameLength = ETHERNET + ipLength;
  writeRecordHeader(buf, offset, f.timeUs, frameLength);
  buf.set(f.quoted.src.mac, eth);
  buf.set(f.quoted.dst.mac, eth + 6);
  buf.writeUInt16BE(0x0800, eth + 12);
  writeIpv4Header(buf, ip, ipLength, f.ipId, 0xc0, 0, 1, f.quoted.dst.ip, f.quoted.src.ip);
  buf[icmp] = 3;
  buf[icmp + 1] = 3;
  buf.writeUInt16BE(0, icmp + 2);
  buf.writeUInt32BE(0, icmp + 4);
  scratch.copy(buf, icmp + ICMP, RECORD_HEADER + ETHERNET, RECORD_HEADER + ETHERNET + quotedLength);
  buf.writeUInt16BE(finishChecksum(sumWords(buf, icmp, ICMP + quotedLength, 0)), icmp + 2);
  return RECORD_HEADER + frameLength;
}

function writeRecordHeader(buf: Buffer, offset: number, timeUs: number, frameLength: number): void {
  const seconds = Math.floor(timeUs / 1_000_000);
  buf.writeUInt32LE(seconds, offset);
  buf.writeUInt32LE(timeUs - seconds * 1_000_000, offset + 4);
  buf.writeUInt32LE(frameLength, offset + 8);
  buf.writeUInt32LE(frameLength, offset + 12);
}

/** An IPv4 header without options, TTL 64, with its checksum. */
function writeIpv4Header(buf: Buffer, ip: number, ipLength: number, ipId: number, tos: number, flags: number, protocol: number, src: Uint8Array, dst: Uint8Array): void {
  buf[ip] = 0x45;
  buf[ip + 1] = tos;
  buf.writeUInt16BE(ipLength, ip + 2);
  buf.writeUInt16BE(ipId, ip + 4);
  buf.writeUInt16BE(flags, ip + 6);
  buf[ip + 8] = 64;
  buf[ip + 9] = protocol;
  buf.writeUInt16BE(0, ip + 10);
  buf.set(src, ip + 12);
  buf.set(dst, ip + 16);
  buf.writeUInt16BE(finishChecksum(sumWords(buf, ip, IPV4, 0)), ip + 10);
}

/**
 * Writes one pcap record: record header, Ethernet II, IPv4 (DF, TTL 64, valid header checksum),
 * UDP (valid checksum over the RFC 768 pseudo-header) and the DNS message. Returns its length.
 */
export function writeUdpFrame(buf: Buffer, offset: number, f: UdpFrame): number {
  const eth = offset + RECORD_HEADER;
  const ip = eth + ETHERNET;
  const udp = ip + IPV4;
  const dns = udp + UDP;
  const dnsLength = writeDnsMessage(buf, dns, f.message);
  const udpLength = UDP + dnsLength;
  const ipLength = IPV4 + udpLength;
  const frameLength = ETHERNET + ipLength;

  writeRecordHeader(buf, offset, f.timeUs, frameLength);

  buf.set(f.dst.mac, eth);
  buf.set(f.src.mac, eth + 6);
  buf.writeUInt16BE(0x0800, eth + 12);

  // DF, as Linux sets on UDP.
  writeIpv4Header(buf, ip, ipLength, f.ipId, 0, 0x4000, 17, f.src.ip, f.dst.ip);

  buf.writeUInt16BE(f.srcPort, udp);
  buf.writeUInt16BE(f.dstPort, udp + 2);
  buf.writeUInt16BE(udpLength, udp + 4);
  buf.writeUInt16BE(0, udp + 6);
  let sum = sumWords(buf, ip + 12, 8, 0) + 17 + udpLength;
  sum = sumWords(buf, udp, udpLength, sum);
  // RFC 768: a computed checksum of 0 is sent as all ones (0 means "no checksum").
  buf.writeUInt16BE(finishChecksum(sum) || 0xffff, udp + 6);

  return RECORD_HEADER + frameLength;
}

/** One's-complement sum of 16-bit big-endian words (RFC 1071); an odd last byte is padded. */
function sumWords(buf: Buffer, start: number, length: number, sum: number): number {
  const end = start + length - 1;
  let i = start;
  for (; i < end; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (i === end) sum += buf[i] << 8;
  return sum;
}

function finishChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
