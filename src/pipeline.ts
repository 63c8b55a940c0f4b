import { DEFAULT_DNS_PORTS, FrameDecoder } from './decode/frame-decoder.js';
import { detectFindings } from './analyze/findings/detectors.js';
import { DnsAnalyzer } from './analyze/dns-analyzer.js';
import type { ResolverOverrides } from './analyze/resolver-profile-inferrer.js';
import { sniffInput } from './input/open-input.js';
import { readPcap } from './input/pcap-reader.js';
import { readPcapng } from './input/pcapng-reader.js';
import { readTcpdumpText } from './input/text/read-tcpdump-text.js';
import { InputError } from './input/input-error.js';
import type { Anomaly, Diagnostics, DnsMessage, FrameAccounting, IcmpUnreachable, InputFormat, Report } from './model.js';

export interface AnalyzeOptions {
  /** glibc's default: a query unanswered after this long is lost. */
  timeoutMs: number;
  ports: readonly number[];
  resolver: ResolverOverrides;
}

export const DEFAULT_OPTIONS: AnalyzeOptions = { timeoutMs: 5000, ports: DEFAULT_DNS_PORTS, resolver: {} };

export interface Source {
  /** A path, or "-" for standard input. */
  name: string;
  chunks: AsyncIterable<Uint8Array>;
}

/** The library entry point: bytes in, Report out. The CLI and the tests call this. */
export async function analyze(source: Source, options: Partial<AnalyzeOptions> = {}): Promise<Report> {
  const opts = { ...DEFAULT_OPTIONS, ...options };
  const anomalies: Anomaly[] = [];
  const warnings: string[] = [];
  const diag: Diagnostics = { anomaly: (a) => anomalies.push(a), warn: (w) => warnings.push(w) };
  const input = await sniffInput(source.chunks, false, diag);
  const messages: DnsMessage[] = [];
  let format: InputFormat;
  let accounting: FrameAccounting;
  let linkTypes: number[] = [];
  let ignoredLines = 0;
  let icmpUnreachable: IcmpUnreachable[] = [];

  if (input.format === 'text') {
    format = 'text';
    const info = await readTcpdumpText(input.chunks, (m) => messages.push(m), diag, opts.ports);
    accounting = {
      frames: info.lines,
      dns: info.dns,
      notDns: info.notDns + info.noise,
      malformed: info.unparsed,
      truncated: 0,
      unsupportedLinkType: 0,
      ipFragmentsPending: 0,
    };
    ignoredLines = info.noise;
    if (info.dns === 0) throw new InputError('no DNS lines found in the tcpdump text');
  } else {
    format = input.format;
    const decoder = new FrameDecoder(diag, opts.ports);
    const read = input.format === 'pcap' ? readPcap : readPcapng;
    const info = await read(input.chunks, (f) => decoder.decode(f, messages), diag);
    decoder.finish();
    accounting = decoder.accounting;
    icmpUnreachable = decoder.icmpUnreachable;
    linkTypes = info.linkTypes;
    for (const [lt, n] of decoder.unsupportedLinkTypes) {
      diag.anomaly({ code: 'unsupported-link-type', frame: null, detail: `unsupported link type ${lt} (${n} frames)` });
    }
  }

  // One pass, no spread: Math.min(...times) throws RangeError past ~100 000 messages.
  let firstTimeUs: number | null = null;
  let lastTimeUs: number | null = null;
  const analyzer = new DnsAnalyzer({ timeoutMs: opts.timeoutMs, resolver: opts.resolver }, diag);
  for (const m of messages) {
    if (firstTimeUs === null || m.timeUs < firstTimeUs) firstTimeUs = m.timeUs;
    if (lastTimeUs === null || m.timeUs > lastTimeUs) lastTimeUs = m.timeUs;
    analyzer.add(m);
  }
  const { transactions, lookups, resolvers } = analyzer.finish(lastTimeUs ?? 0);
  const findings = detectFindings({ transactions, lookups, resolvers });
  const queries = messages.filter((m) => !m.isResponse).length;

  return {
    schemaVersion: 1,
    input: { format, source: source.name, linkTypes },
    summary: {
      frames: accounting.frames,
      dnsMessages: messages.length,
      queries,
      responses: messages.length - queries,
      transactions: transactions.length,
      unanswered: transactions.filter((t) => t.responseFrame === null).length,
      malformed: accounting.malformed,
      lookups: lookups.length,
      wastedQueries: lookups.reduce((n, l) => n + l.wastedQueries, 0),
      frameAccounting: accounting,
      firstTimeUs,
      lastTimeUs,
      ignoredLines,
    },
    transactions,
    lookups,
    resolvers,
    findings,
    anomalies,
    warnings,
    // Only present when a capture has some, so reports without ICMP errors are unchanged.
    ...(icmpUnreachable.length > 0 ? { icmpUnreachable } : {}),
  };
}
