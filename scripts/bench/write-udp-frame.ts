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

  const seconds = Math.floor(f.timeUs / 1_000_000);
  buf.writeUInt32LE(seconds, offset);
  buf.writeUInt32LE(f.timeUs - seconds * 1_000_000, offset + 4);
  buf.writeUInt32LE(frameLength, offset + 8);
  buf.writeUInt32LE(frameLength, offset + 12);

  buf.set(f.dst.mac, eth);
  buf.set(f.src.mac, eth + 6);
  buf.writeUInt16BE(0x0800, eth + 12);

  buf[ip] = 0x45;
  buf[ip + 1] = 0;
  buf.writeUInt16BE(ipLength, ip + 2);
  buf.writeUInt16BE(f.ipId, ip + 4);
  buf.writeUInt16BE(0x4000, ip + 6); // DF, as Linux sets on UDP
  buf[ip + 8] = 64;
  buf[ip + 9] = 17;
  buf.writeUInt16BE(0, ip + 10);
  buf.set(f.src.ip, ip + 12);
  buf.set(f.dst.ip, ip + 16);
  buf.writeUInt16BE(finishChecksum(sumWords(buf, ip, IPV4, 0)), ip + 10);

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
