import type { Diagnostics, DnsMessage, Frame, FrameAccounting, Transport } from '../model.js';
import { formatEndpoint } from './addresses.js';
import { DnsFormatError } from './dns-name.js';
import { decodeDnsWire } from './dns-wire.js';
import { findNetworkStart } from './link-layer.js';
import { parseIp } from './ip-layer.js';
import type { IpPacket } from './packet.js';

export const DEFAULT_DNS_PORTS: readonly number[] = [53];

const UDP = 17;
const TCP = 6;

/**
 * Frame → DnsMessage: link layer, IP, UDP/TCP, DNS. Counts every frame into exactly one
 * FrameAccounting bucket and turns every decoding problem into an Anomaly with its frame number.
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
  private readonly ports: Set<number>;

  constructor(
    private readonly diag: Diagnostics,
    ports: readonly number[] = DEFAULT_DNS_PORTS,
  ) {
    this.ports = new Set(ports);
  }

  /** Decodes one frame; returns its DNS messages (usually one, none for other traffic). */
  decode(frame: Frame, out: DnsMessage[]): void {
    const acc = this.accounting;
    acc.frames++;
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
      case 'fragment':
        // Reassembly is not done yet: a fragment is counted as pending, never dropped silently.
        acc.ipFragmentsPending++;
        return;
    }
    this.decodeTransport(frame, ip.packet, out);
  }

  private decodeTransport(frame: Frame, p: IpPacket, out: DnsMessage[]): void {
    const acc = this.accounting;
    const d = p.payload;
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
    let payload: Uint8Array;
    let transport: Transport;
    if (p.protocol === UDP) {
      transport = 'udp';
      const udpLength = (d[4] << 8) | d[5];
      const end = udpLength >= 8 && udpLength <= d.length ? udpLength : d.length;
      payload = d.subarray(8, end);
      if (p.truncated || udpLength > d.length) {
        this.truncatedFrame(frame, 'DNS message (snaplen)');
        return;
      }
    } else {
      transport = 'tcp';
      const dataOffset = (d[12] >> 4) * 4;
      if (dataOffset < 20 || dataOffset > d.length) {
        this.malformed(frame, 'transport-malformed', `TCP data offset ${dataOffset}`);
        return;
      }
      const segment = d.subarray(dataOffset);
      if (segment.length === 0) {
        acc.notDns++; // SYN, ACK, FIN: part of a DNS connection but carrying no message
        return;
      }
      if (p.truncated) {
        this.truncatedFrame(frame, 'TCP segment (snaplen)');
        return;
      }
      // Without stream reassembly only segments holding whole length-prefixed messages decode.
      const len = segment.length >= 2 ? (segment[0] << 8) | segment[1] : -1;
      if (len + 2 !== segment.length) {
        acc.notDns++;
        return;
      }
      payload = segment.subarray(2);
    }
    const src = formatEndpoint(p.src, srcPort);
    const dst = formatEndpoint(p.dst, dstPort);
    try {
      const dns = decodeDnsWire(payload);
      acc.dns++;
      out.push({ frame: frame.number, timeUs: frame.timeUs, src, dst, transport, ...dns, sectionsComplete: true, size: payload.length });
    } catch (e) {
      if (!(e instanceof DnsFormatError)) throw e;
      this.malformed(frame, 'dns-malformed', e.message);
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
