import { DEFAULT_DNS_PORTS, FrameDecoder } from './decode/frame-decoder.js';
import { buildAggregates } from './analyze/build-aggregates.js';
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
  // Messages go to the analysis as they are decoded and are not kept: memory is bounded by what
  // the analysis still holds open, not by the capture's size.
  const analyzer = new DnsAnalyzer({ timeoutMs: opts.timeoutMs, resolver: opts.resolver }, diag);
  let dnsMessages = 0;
  let queries = 0;
  let firstTimeUs: number | null = null;
  let lastTimeUs: number | null = null;
  const take = (m: DnsMessage): void => {
    dnsMessages++;
    if (!m.isResponse) queries++;
    if (firstTimeUs === null || m.timeUs < firstTimeUs) firstTimeUs = m.timeUs;
    if (lastTimeUs === null || m.timeUs > lastTimeUs) lastTimeUs = m.timeUs;
    analyzer.add(m);
  };
  let format: InputFormat;
  let accounting: FrameAccounting;
  let linkTypes: number[] = [];
  let ignoredLines = 0;
  let icmpUnreachable: IcmpUnreachable[] = [];

  if (input.format === 'text') {
    format = 'text';
    const info = await readTcpdumpText(input.chunks, take, diag, opts.ports);
    accounting = {
      frames: info.lines,
      dns: info.dns,
      notDns: info.notDns + info.noise + info.joined,
      malformed: info.unparsed + info.malformed,
      truncated: 0,
      unsupportedLinkType: 0,
      ipFragmentsPending: 0,
    };
    ignoredLines = info.noise;
    if (info.dns === 0) throw new InputError('no DNS lines found in the tcpdump text');
  } else {
    format = input.format;
    // ICMP errors meet the queries they quote while those are open (status unreachable,
    // failover), so both go to the analysis in the order the decoder produces them.
    const decoder = new FrameDecoder(diag, opts.ports, { sink: { message: take, icmpUnreachable: (i) => analyzer.addIcmp(i) } });
    const read = input.format === 'pcap' ? readPcap : readPcapng;
    // The decoder reads each frame in place from the capture's chunks.
    const info = await read(input.chunks, decoder, diag);
    decoder.finish();
    accounting = decoder.accounting;
    icmpUnreachable = decoder.icmpUnreachable;
    linkTypes = info.linkTypes;
    for (const [lt, n] of decoder.unsupportedLinkTypes) {
      diag.anomaly({ code: 'unsupported-link-type', frame: null, detail: `unsupported link type ${lt} (${n} frames)` });
    }
  }

  const { transactions, lookups, resolvers } = analyzer.finish(lastTimeUs ?? 0);
  const findings = detectFindings({ transactions, lookups, resolvers });

  return {
    schemaVersion: 1,
    input: { format, source: source.name, linkTypes },
    summary: {
      frames: accounting.frames,
      dnsMessages,
      queries,
      responses: dnsMessages - queries,
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
    aggregates: buildAggregates(transactions, lookups, countByCode(anomalies)),
    // Only present when a capture has some, so reports without ICMP errors are unchanged.
    ...(icmpUnreachable.length > 0 ? { icmpUnreachable } : {}),
  };
}

function countByCode(anomalies: readonly Anomaly[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of anomalies) counts.set(a.code, (counts.get(a.code) ?? 0) + 1);
  return counts;
}
