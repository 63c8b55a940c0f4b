import { DnsAnalyzer, type AnalysisResult } from '../../src/analyze/dns-analyzer.js';
import type { ResolverOverrides } from '../../src/analyze/resolver-profile-inferrer.js';
import { detectFindings } from '../../src/analyze/findings/detectors.js';
import { hostOf } from '../../src/host-of-endpoint.js';
import type { DnsMessage, DnsRecord, Finding, IcmpUnreachable, Transport } from '../../src/model.js';

const FLAGS = { aa: false, tc: false, rd: true, ra: true, ad: false, cd: false };

/** Hand-built DNS traffic, frame numbers counted as a capture would; times in ms from 0. */
export class Wire {
  readonly messages: (DnsMessage | IcmpUnreachable)[] = [];
  private frame = 0;

  query(tMs: number, src: string, dst: string, id: number, name: string, type: string, transport: Transport = 'udp'): number {
    return this.push({ ...base(++this.frame, tMs, src, dst, id, transport), isResponse: false, question: { name, type, class: 'IN' } });
  }

  /** A response; `records` as [type, data] pairs owned by `name` (a CNAME's target owns what follows it). */
  answer(
    tMs: number,
    src: string,
    dst: string,
    id: number,
    name: string,
    type: string,
    rcode: string,
    records: [string, string][] = [],
    opts: { tc?: boolean; transport?: Transport; size?: number } = {},
  ): number {
    let owner = name;
    const answers: DnsRecord[] = records.map(([t, data]) => {
      const r = { name: owner, type: t, class: 'IN', ttl: 5, data };
      if (t === 'CNAME') owner = data;
      return r;
    });
    return this.push({
      ...base(++this.frame, tMs, src, dst, id, opts.transport ?? 'udp'),
      isResponse: true,
      flags: { ...FLAGS, tc: opts.tc ?? false },
      rcode,
      question: { name, type, class: 'IN' },
      answers,
      counts: { qd: 1, an: answers.length, ns: 0, ar: 0 },
      size: opts.size ?? 100,
    });
  }

  /**
   * An ICMP port unreachable from `dst`'s host quoting the datagram src → dst with DNS id `id`;
   * `response`: the quote is a response (server → client), which the decoder files with the
   * client and server roles the right way round, reported by the client's host.
   */
  icmp(tMs: number, src: string, dst: string, id: number, response = false): number {
    const frame = ++this.frame;
    const [client, server] = response ? [dst, src] : [src, dst];
    this.messages.push({ frame, timeUs: tMs * 1000, reporter: dst.replace(/:\d+$/, ''), client, server, transport: 'udp', code: 3, dnsId: id });
    return frame;
  }

  /** The same message again as another frame (an -i any copy), optionally with a new destination/source (DNAT). */
  copy(frame: number, dtUs: number, rewrite: { dst?: string; src?: string } = {}): number {
    const m = this.messages[frame - 1] as DnsMessage;
    const src = rewrite.src ?? m.src;
    const dst = rewrite.dst ?? m.dst;
    return this.push({ ...m, src, dst, srcHost: hostOf(src), dstHost: hostOf(dst), frame: ++this.frame, timeUs: m.timeUs + dtUs });
  }

  private push(m: DnsMessage): number {
    this.messages.push(m);
    return m.frame;
  }
}

function base(frame: number, tMs: number, src: string, dst: string, id: number, transport: Transport): DnsMessage {
  return {
    frame,
    timeUs: Math.round(tMs * 1000),
    src,
    dst,
    srcHost: hostOf(src),
    dstHost: hostOf(dst),
    transport,
    id,
    isResponse: false,
    opcode: 'QUERY',
    flags: FLAGS,
    rcode: 'NOERROR',
    question: null,
    answers: [],
    authorities: [],
    additionals: [],
    sectionsComplete: true,
    counts: { qd: 1, an: 0, ns: 0, ar: 0 },
    size: 60,
    ednsUdpSize: null,
  };
}

export interface Analysed extends AnalysisResult {
  findings: Finding[];
}

/** Runs the analysis stage on hand-built traffic; the capture ends at `endMs` (default: the last message). */
export function analyseWire(w: Wire, opts: { timeoutMs?: number; resolver?: ResolverOverrides; endMs?: number; oneInterface?: boolean } = {}): Analysed {
  // oneInterface: captured on one interface, where no packet can be seen twice (a pcap of Ethernet frames).
  const a = new DnsAnalyzer({ timeoutMs: opts.timeoutMs ?? 5000, resolver: opts.resolver ?? {}, copiesAcrossServers: () => opts.oneInterface !== true });
  for (const m of w.messages) {
    if ('isResponse' in m) a.add(m);
    else a.addIcmp(m);
  }
  const end = opts.endMs !== undefined ? opts.endMs * 1000 : Math.max(...w.messages.map((m) => m.timeUs));
  const r = a.finish(end);
  return { ...r, findings: detectFindings(r) };
}

export const POD_SEARCH = ['test.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'us-east-2.compute.internal'];
