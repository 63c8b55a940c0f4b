import type { Diagnostics, DnsMessage, Frame, FrameAccounting, IcmpUnreachable, Transport } from '../model.js';
import { EndpointCache } from './endpoint-cache.js';
import { DnsFormatError } from './dns-name.js';
import { decodeDnsPrefix, referenceDnsMessage } from './dns-wire.js';
import { FastDnsDecoder } from './fast-dns-decoder.js';
import { ICMP, ICMPV6, QUOTE_NOT_IPV4, readIcmpUnreachable, readIcmpv4InPlace } from './icmp-unreachable.js';
import { AddressTexts } from './address-texts.js';
import { LINKTYPE, findIpOffsetQuickly, findNetworkStart } from './link-layer.js';
import { parseIp } from './ip-layer.js';
import { IpReassembler } from './ip-reassembly.js';
import type { IpPacket } from './packet.js';
import { TcpReassembler } from './tcp-reassembly.js';
import { DNS_OVER_UDP, ICMP_OVER_IPV4, NOT_DNS, TAKE_GENERAL_PATH, UdpSpan, locateUdpDns, portTable } from './udp-in-place.js';

export const DEFAULT_DNS_PORTS: readonly number[] = [53];

/** Where a FrameDecoder puts what it decodes, in frame order. */
export interface DecodedSink {
  message(m: DnsMessage): void;
  /** An ICMP error quoting a DNS datagram (kept in FrameDecoder.icmpUnreachable only without a sink). */
  icmpUnreachable(i: IcmpUnreachable): void;
}

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
  private readonly dnsPort: Uint8Array;
  private readonly fragments: IpReassembler;
  private readonly streams: TcpReassembler;
  private lastFrame = 0;
  /** The link type of the frame before, to note a new one at the cost of a comparison. */
  private lastLinkType = -1;
  /**
   * The capture may hold one packet twice, seen on two interfaces (`-i any`: a pod's veth and the
   * node's eth0, before and after a DNAT): a frame came from Linux's "any" device (cooked
   * headers), or frames of two link types came from two interfaces. A capture on one interface
   * holds each datagram once, so two alike there are two sends (musl asks every nameserver at once).
   */
  seesSeveralInterfaces = false;
  /** null: decode with the reference decoders only (the differential tests compare the two). */
  private readonly fast: FastDnsDecoder | null;
  private readonly addresses = new AddressTexts();
  private readonly endpoints = new EndpointCache(this.addresses);
  private readonly sink: DecodedSink | null;
  private readonly reuseMessages: boolean;
  private readonly span = new UdpSpan();
  /** Where `decode` collects messages while it runs; null: they go to the sink. */
  private out: DnsMessage[] | null = null;

  /**
   * `sink` receives the messages and ICMP errors of frames given to `frameAt`; `decode` (one
   * Frame object at a time) appends messages to the array it is given instead. `reuseMessages`
   * (for a sink that keeps no message: see FastDnsDecoder) hands the sink one message object
   * filled in again for each message; `decode` ignores it.
   */
  constructor(
    private readonly diag: Diagnostics,
    ports: readonly number[] = DEFAULT_DNS_PORTS,
    { reference = false, sink = null, reuseMessages = false }: { reference?: boolean; sink?: DecodedSink | null; reuseMessages?: boolean } = {},
  ) {
    this.ports = new Set(ports);
    this.dnsPort = portTable(ports);
    this.fast = reference ? null : new FastDnsDecoder();
    this.reuseMessages = reuseMessages;
    this.sink = sink;
    this.fragments = new IpReassembler((d) =>
      diag.anomaly({
        code: 'ip-fragments-incomplete',
        frame: d.frames[0],
        detail: `IP datagram of ${d.frames.length} fragment(s) (frames ${d.frames.join(', ')}) ${d.reason}`,
      }),
    );
    this.streams = new TcpReassembler((p) => diag.anomaly(p));
  }

  private noteLinkType(linkType: number): void {
    if (this.lastLinkType !== -1 || linkType === LINKTYPE.LINUX_SLL || linkType === LINKTYPE.LINUX_SLL2) this.seesSeveralInterfaces = true;
    this.lastLinkType = linkType;
  }

  /** Decodes one frame, appending the DNS messages it completes to `out`. */
  decode(frame: Frame, out: DnsMessage[]): void {
    this.out = out;
    try {
      this.frameAt(frame.data, 0, frame.data.length, frame.number, frame.timeUs, frame.linkType, frame.originalLength);
    } finally {
      this.out = null;
    }
  }

  /**
   * Decodes the frame d[start, end), read in place from the capture's bytes (no Frame object, no
   * copy: the capture readers call this for every record); what it completes goes to the sink.
   */
  frameAt(d: Uint8Array, start: number, end: number, number: number, timeUs: number, linkType: number, originalLength: number): void {
    this.accounting.frames++;
    this.lastFrame = number;
    if (linkType !== this.lastLinkType) this.noteLinkType(linkType);
    if (this.fast !== null) {
      const ipAt = findIpOffsetQuickly(linkType, d, start, end);
      const verdict = ipAt < 0 ? TAKE_GENERAL_PATH : locateUdpDns(d, ipAt, end, this.dnsPort, this.span);
      if (verdict === NOT_DNS) {
        this.accounting.notDns++;
        return;
      }
      if (verdict === DNS_OVER_UDP) {
        const s = this.span;
        const v4 = s.version === 4;
        const endpoints = this.endpoints;
        const src = v4 ? endpoints.ipv4(d, s.ipAt + 12, s.srcPort) : endpoints.ipv6(d, s.ipAt + 8, s.srcPort);
        const srcHost = endpoints.host;
        const dst = v4 ? endpoints.ipv4(d, s.ipAt + 16, s.dstPort) : endpoints.ipv6(d, s.ipAt + 24, s.dstPort);
        if (this.decodeDnsAt(number, timeUs, d, s.payloadStart, s.payloadEnd, src, dst, srcHost, endpoints.host, 'udp')) this.accounting.dns++;
        else this.accounting.malformed++;
        return;
      }
      if (verdict === ICMP_OVER_IPV4) {
        const s = this.span;
        const icmp = readIcmpv4InPlace(d, s.ipAt, s.payloadStart, s.payloadEnd, this.dnsPort, this.endpoints, this.addresses, number, timeUs);
        if (icmp !== QUOTE_NOT_IPV4) {
          if (icmp !== null) this.takeIcmp(icmp);
          this.accounting.notDns++;
          return;
        }
      }
    }
    this.decodeFrame({ number, timeUs, linkType, data: d.subarray(start, end), originalLength });
  }

  private decodeFrame(frame: Frame): void {
    const acc = this.accounting;
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
        else this.decodeTransport(frame, r.packet);
        return;
      }
    }
    this.decodeTransport(frame, ip.packet);
  }

  /** At the end of the capture: reports fragments and TCP streams left incomplete. */
  finish(): void {
    this.fragments.finish();
    this.streams.finish(this.lastFrame);
  }

  /** Handed to the sink when there is one (it bounds what it keeps), else kept here. */
  private takeIcmp(icmp: IcmpUnreachable): void {
    if (this.out === null && this.sink) this.sink.icmpUnreachable(icmp);
    else this.icmpUnreachable.push(icmp);
  }

  private decodeTransport(frame: Frame, p: IpPacket): void {
    const acc = this.accounting;
    const d = p.payload;
    if (p.protocol === ICMP || p.protocol === ICMPV6) {
      const icmp = readIcmpUnreachable(p, frame.number, frame.timeUs, this.ports);
      if (icmp !== null) this.takeIcmp(icmp);
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
    const srcHost = this.endpoints.host;
    const dst = this.endpoints.get(p.dst, dstPort);
    const dstHost = this.endpoints.host;
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
        this.emit({ frame: frame.number, timeUs: frame.timeUs, src, dst, srcHost, dstHost, transport: 'udp', ...prefix, sectionsComplete: false, size: udpLength - 8 });
        acc.dns++;
        return;
      }
      // A UDP length of 0 is jumbo or offloaded checksum output: take what the IP layer says.
      const end = udpLength >= 8 ? udpLength : d.length;
      if (udpLength !== 0 && udpLength < 8) {
        this.malformed(frame, 'transport-malformed', `UDP length ${udpLength}`);
        return;
      }
      if (this.decodeDnsAt(frame.number, frame.timeUs, d, 8, end, src, dst, srcHost, dstHost, 'udp')) acc.dns++;
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
      if (this.decodeDnsAt(frame.number, frame.timeUs, m, 0, m.length, src, dst, srcHost, dstHost, 'tcp')) good++;
      else bad++;
    });
    if (good > 0) acc.dns++;
    else if (bad > 0) acc.malformed++;
    else acc.notDns++; // handshake, ACK, FIN, or part of a message completed by a later segment
  }

  /** Decodes the DNS message b[start, end); a malformed one becomes an Anomaly. Returns whether it decoded. */
  private decodeDnsAt(number: number, timeUs: number, b: Uint8Array, start: number, end: number, src: string, dst: string, srcHost: string, dstHost: string, transport: Transport): boolean {
    let m: DnsMessage;
    try {
      m = this.fast !== null ? this.fast.decode(b, start, end, number, timeUs, src, dst, srcHost, dstHost, transport, this.reuseMessages && this.out === null) : referenceDnsMessage(b.subarray(start, end), number, timeUs, src, dst, srcHost, dstHost, transport);
    } catch (e) {
      if (!(e instanceof DnsFormatError)) throw e;
      this.diag.anomaly({ code: 'dns-malformed', frame: number, detail: e.message });
      return false;
    }
    this.emit(m);
    return true;
  }

  private emit(m: DnsMessage): void {
    if (this.out !== null) this.out.push(m);
    else this.sink?.message(m);
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

