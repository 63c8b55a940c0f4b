import type { Diagnostics, DnsMessage, Frame, FrameAccounting, IcmpUnreachable, Transport } from '../model.js';
import { EndpointCache } from './endpoint-cache.js';
import { DnsFormatError } from './dns-name.js';
import { decodeDnsPrefix, decodeDnsWire } from './dns-wire.js';
import { FastDnsDecoder } from './fast-dns-decoder.js';
import { ICMP, ICMPV6, readIcmpUnreachable } from './icmp-unreachable.js';
import { AddressTexts } from './address-texts.js';
import { findIpOffsetQuickly, findNetworkStart } from './link-layer.js';
import { parseIp } from './ip-layer.js';
import { IpReassembler } from './ip-reassembly.js';
import type { IpPacket } from './packet.js';
import { TcpReassembler } from './tcp-reassembly.js';

export const DEFAULT_DNS_PORTS: readonly number[] = [53];

const UDP = 17;
const TCP = 6;

/**
 * Frame → DnsMessage: link layer, IP (with fragment reassembly), UDP or TCP (with stream
 * reassembly), DNS. Counts every frame into exactly one FrameAccounting bucket and turns every
 * decoding problem into an Anomaly with its frame number.
 *
 * The accounting rule for frames that carry part of something: the frame that completes an IP
 * datagram or a DNS-over-TCP message takes its verdict (dns, malformed, ...); the other fragments
 * of a reassembled datagram, and TCP segments that complete no message (handshake, ACKs, the
 * first part of a split message), count as notDns; fragments of a datagram that never completes
 * stay ipFragmentsPending. So the buckets always add up to `frames`.
 */
export class FrameDecoder {
  readonly accounting: FrameAccounting = {
    frames: 0,
    dns: 0,
    notDns: 0,
    malformed: 0,
    truncated: 0,
    unsupportedLinkType: 0,
    ipFragmentsPending: 0,
  };
  /** Link types seen that dnstrace cannot read, with their frame counts. */
  readonly unsupportedLinkTypes = new Map<number, number>();
  /** ICMP errors that quote a DNS datagram, in frame order. */
  readonly icmpUnreachable: IcmpUnreachable[] = [];
  private readonly ports: Set<number>;
  private readonly fragments: IpReassembler;
  private readonly streams: TcpReassembler;
  private lastFrame = 0;
  /** null: decode with the reference decoders only (the differential tests compare the two). */
  private readonly fast: FastDnsDecoder | null;
  private readonly endpoints = new EndpointCache(new AddressTexts());

  constructor(
    private readonly diag: Diagnostics,
    ports: readonly number[] = DEFAULT_DNS_PORTS,
    { reference = false }: { reference?: boolean } = {},
  ) {
    this.ports = new Set(ports);
    this.fast = reference ? null : new FastDnsDecoder();
    this.fragments = new IpReassembler((d) =>
      diag.anomaly({
        code: 'ip-fragments-incomplete',
        frame: d.frames[0],
        detail: `IP datagram of ${d.frames.length} fragment(s) (frames ${d.frames.join(', ')}) ${d.reason}`,
      }),
    );
    this.streams = new TcpReassembler((p) => diag.anomaly(p));
  }

  /** Decodes one frame, appending the DNS messages it completes to `out`. */
  decode(frame: Frame, out: DnsMessage[]): void {
    const acc = this.accounting;
    acc.frames++;
    this.lastFrame = frame.number;
    if (this.fast !== null) {
      const ipAt = findIpOffsetQuickly(frame.linkType, frame.data);
      if (ipAt >= 0 && this.decodeWholeDatagram(frame, ipAt, out)) return;
    }
    const start = findNetworkStart(frame.linkType, frame.data);
    switch (start.kind) {
      case 'unsupported': {
        acc.unsupportedLinkType++;
        const seen = this.unsupportedLinkTypes.get(frame.linkType) ?? 0;
        this.unsupportedLinkTypes.set(frame.linkType, seen + 1);
        return;
      }
      case 'other':
        acc.notDns++;
        return;
      case 'short':
        this.truncatedFrame(frame, 'link-layer header');
        return;
    }
    const ip = parseIp(frame.data, start.offset);
    switch (ip.kind) {
      case 'truncated':
        this.truncatedFrame(frame, 'IP header');
        return;
      case 'malformed':
        this.malformed(frame, 'ip-malformed', ip.detail);
        return;
      case 'fragment': {
        if (ip.fragment.truncated) {
          this.truncatedFrame(frame, 'IP fragment (snaplen)');
          return;
        }
        const r = this.fragments.add(ip.fragment, frame.number, frame.timeUs);
        if (r.kind === 'pending') {
          acc.ipFragmentsPending++;
          return;
        }
        // The earlier fragments were counted pending; they now count as notDns and this frame
        // takes the verdict of the whole datagram.
        const earlier = r.kind === 'complete' ? r.frames.length - 1 : Math.max(0, r.frames.length - 1);
        acc.ipFragmentsPending -= earlier;
        acc.notDns += earlier;
        if (r.kind === 'malformed') this.malformed(frame, 'ip-malformed', r.detail);
        else this.decodeTransport(frame, r.packet, out);
        return;
      }
    }
    this.decodeTransport(frame, ip.packet, out);
  }

  /**
   * Nearly every frame of a DNS capture is a whole UDP datagram, or one that is not DNS at all:
   * this decides those straight from the frame's bytes (the same verdicts and messages as the
   * general path, without its result objects, address strings and copies) and returns false
   * for everything else: fragments, IPv4 options' edge cases, IPv6 extension headers, datagrams
   * cut off, DNS over TCP, ICMP, bad UDP lengths. Those take the general path.
   */
  private decodeWholeDatagram(frame: Frame, o: number, out: DnsMessage[]): boolean {
    const d = frame.data;
    let protocol: number;
    let start: number;
    let end: number;
    const version = d[o] >> 4;
    if (version === 4) {
      if (d.length < o + 20) return false;
      const ihl = (d[o] & 0x0f) * 4;
      const totalLength = (d[o + 2] << 8) | d[o + 3];
      end = o + totalLength;
      // Fragments (MF or an offset), TSO's zero total length and cut-off datagrams take the long way.
      if (ihl < 20 || totalLength < ihl || end > d.length || (((d[o + 6] << 8) | d[o + 7]) & 0x3fff) !== 0) return false;
      protocol = d[o + 9];
      start = o + ihl;
    } else if (version === 6) {
      if (d.length < o + 40) return false;
      const payloadLength = (d[o + 4] << 8) | d[o + 5];
      protocol = d[o + 6];
      end = o + 40 + payloadLength;
      if (payloadLength === 0 || end > d.length || protocol === 0 || protocol === 43 || protocol === 44 || protocol === 51 || protocol === 60 || protocol >= 135) return false;
      start = o + 40;
    } else {
      return false;
    }
    if (protocol !== UDP) {
      if (protocol === TCP) {
        if (end - start < 20 || this.ports.has((d[start] << 8) | d[start + 1]) || this.ports.has((d[start + 2] << 8) | d[start + 3])) return false;
      } else if (protocol === ICMP || protocol === ICMPV6) {
        return false;
      }
      this.accounting.notDns++;
      return true;
    }
    if (end - start < 8) return false;
    const srcPort = (d[start] << 8) | d[start + 1];
    const dstPort = (d[start + 2] << 8) | d[start + 3];
    if (!this.ports.has(srcPort) && !this.ports.has(dstPort)) {
      this.accounting.notDns++;
      return true;
    }
    const udpLength = (d[start + 4] << 8) | d[start + 5];
    if (udpLength < 8 || start + udpLength > end) return false;
    const src = version === 4 ? this.endpoints.ipv4(d, o + 12, srcPort) : this.endpoints.ipv6(d, o + 8, srcPort);
    const dst = version === 4 ? this.endpoints.ipv4(d, o + 16, dstPort) : this.endpoints.ipv6(d, o + 24, dstPort);
    if (this.decodeDnsAt(frame, d, start + 8, start + udpLength, src, dst, 'udp', out)) this.accounting.dns++;
    else this.accounting.malformed++;
    return true;
  }

  /** At the end of the capture: reports fragments and TCP streams left incomplete. */
  finish(): void {
    this.fragments.finish();
    this.streams.finish(this.lastFrame);
  }

  private decodeTransport(frame: Frame, p: IpPacket, out: DnsMessage[]): void {
    const acc = this.accounting;
    const d = p.payload;
    if (p.protocol === ICMP || p.protocol === ICMPV6) {
      const icmp = readIcmpUnreachable(p, frame.number, frame.timeUs, this.ports);
      if (icmp !== null) this.icmpUnreachable.push(icmp);
      acc.notDns++;
      return;
    }
    if (p.protocol !== UDP && p.protocol !== TCP) {
      acc.notDns++;
      return;
    }
    const headerMin = p.protocol === UDP ? 8 : 20;
    if (d.length < headerMin) {
      if (p.truncated) this.truncatedFrame(frame, 'transport header');
      else this.malformed(frame, 'transport-malformed', `transport header of ${d.length} bytes`);
      return;
    }
    const srcPort = (d[0] << 8) | d[1];
    const dstPort = (d[2] << 8) | d[3];
    if (!this.ports.has(srcPort) && !this.ports.has(dstPort)) {
      acc.notDns++;
      return;
    }
    const src = this.endpoints.get(p.src, srcPort);
    const dst = this.endpoints.get(p.dst, dstPort);
    // Only the snaplen makes a capture shorter than the packet; an IP length that runs past a
    // frame captured whole is the IP header's mistake, and what is there is still decoded (as
    // tcpdump and tshark do).
    const cutBySnaplen = frame.data.length < frame.originalLength;
    if (p.truncated && !cutBySnaplen) {
      this.diag.anomaly({ code: 'ip-length-exceeds-frame', frame: frame.number, detail: `the IP header claims more bytes than the ${frame.data.length}-byte frame holds` });
    }
    if (p.protocol === UDP) {
      const udpLength = (d[4] << 8) | d[5];
      if (udpLength > d.length) {
        if (!cutBySnaplen) {
          this.malformed(frame, 'transport-malformed', `UDP length ${udpLength} is more than the ${d.length} bytes the IP datagram holds`);
          return;
        }
        const prefix = decodeDnsPrefix(d.subarray(8));
        if (prefix === null) {
          this.truncatedFrame(frame, 'DNS message (snaplen)');
          return;
        }
        this.diag.anomaly({ code: 'frame-truncated', frame: frame.number, detail: `captured ${frame.data.length} of ${frame.originalLength} bytes; only the DNS header and question were decoded` });
        out.push({ frame: frame.number, timeUs: frame.timeUs, src, dst, transport: 'udp', ...prefix, sectionsComplete: false, size: udpLength - 8 });
        acc.dns++;
        return;
      }
      // A UDP length of 0 is jumbo or offloaded checksum output: take what the IP layer says.
      const end = udpLength >= 8 ? udpLength : d.length;
      if (udpLength !== 0 && udpLength < 8) {
        this.malformed(frame, 'transport-malformed', `UDP length ${udpLength}`);
        return;
      }
      if (this.decodeDns(frame, d.subarray(8, end), src, dst, 'udp', out)) acc.dns++;
      else acc.malformed++;
      return;
    }
    const dataOffset = (d[12] >> 4) * 4;
    if (dataOffset < 20 || dataOffset > d.length) {
      this.malformed(frame, 'transport-malformed', `TCP data offset ${dataOffset}`);
      return;
    }
    const data = d.subarray(dataOffset);
    if (p.truncated && cutBySnaplen && data.length > 0) {
      this.truncatedFrame(frame, 'TCP segment (snaplen)');
      return;
    }
    let good = 0;
    let bad = 0;
    const seq = ((d[4] << 24) | (d[5] << 16) | (d[6] << 8) | d[7]) >>> 0;
    this.streams.add({ flow: `${p.src}|${srcPort}|${p.dst}|${dstPort}`, seq, flags: d[13], data, frame: frame.number }, (m) => {
      if (this.decodeDns(frame, m, src, dst, 'tcp', out)) good++;
      else bad++;
    });
    if (good > 0) acc.dns++;
    else if (bad > 0) acc.malformed++;
    else acc.notDns++; // handshake, ACK, FIN, or part of a message completed by a later segment
  }

  /** Decodes one DNS message; a malformed one becomes an Anomaly. Returns whether it decoded. */
  private decodeDns(frame: Frame, payload: Uint8Array, src: string, dst: string, transport: Transport, out: DnsMessage[]): boolean {
    return this.decodeDnsAt(frame, payload, 0, payload.length, src, dst, transport, out);
  }

  /** decodeDns of the message b[start, end). */
  private decodeDnsAt(frame: Frame, b: Uint8Array, start: number, end: number, src: string, dst: string, transport: Transport, out: DnsMessage[]): boolean {
    if (this.fast !== null) {
      try {
        out.push(this.fast.decode(b, start, end, frame.number, frame.timeUs, src, dst, transport));
        return true;
      } catch (e) {
        if (!(e instanceof DnsFormatError)) throw e;
        this.diag.anomaly({ code: 'dns-malformed', frame: frame.number, detail: e.message });
        return false;
      }
    }
    const payload = b.subarray(start, end);
    try {
      const d = decodeDnsWire(payload);
      // Spelled out rather than spread: this runs once per message, and a spread copies slowly.
      out.push({
        frame: frame.number,
        timeUs: frame.timeUs,
        src,
        dst,
        transport,
        id: d.id,
        isResponse: d.isResponse,
        opcode: d.opcode,
        flags: d.flags,
        rcode: d.rcode,
        question: d.question,
        answers: d.answers,
        authorities: d.authorities,
        additionals: d.additionals,
        sectionsComplete: true,
        counts: d.counts,
        size: payload.length,
        ednsUdpSize: d.ednsUdpSize,
      });
      return true;
    } catch (e) {
      if (!(e instanceof DnsFormatError)) throw e;
      this.diag.anomaly({ code: 'dns-malformed', frame: frame.number, detail: e.message });
      return false;
    }
  }

  private truncatedFrame(frame: Frame, what: string): void {
    this.accounting.truncated++;
    this.diag.anomaly({
      code: 'frame-truncated',
      frame: frame.number,
      detail: `captured ${frame.data.length} of ${frame.originalLength} bytes; the ${what} is cut off`,
    });
  }

  private malformed(frame: Frame, code: string, detail: string): void {
    this.accounting.malformed++;
    this.diag.anomaly({ code, frame: frame.number, detail });
  }
}
