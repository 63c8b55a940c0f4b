import { DEFAULT_DNS_PORTS, FrameDecoder } from './decode/frame-decoder.js';
import { type AnalyzerSink, DnsAnalyzer } from './analyze/dns-analyzer.js';
import { ReportAccumulator } from './analyze/report-accumulator.js';
import type { ResolverOverrides } from './analyze/resolver-profile-inferrer.js';
import { sniffInput } from './input/open-input.js';
import { readPcap } from './input/pcap-reader.js';
import { readPcapng } from './input/pcapng-reader.js';
import { readTcpdumpText } from './input/text/read-tcpdump-text.js';
import { InputError } from './input/input-error.js';
import type { DnsMessage, FrameAccounting, IcmpUnreachable, InputFormat, Lookup, Report, Transaction } from './model.js';
import { DiagnosticsLog } from './collect-diagnostics.js';

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

/**
 * Where a streamed analysis puts each transaction and lookup as it completes (a transaction once
 * answered and quiet for a second, or past its deadline; a lookup after its transactions): the
 * order of Report.transactions and Report.lookups. The i-th lookup given is the one the report's
 * aggregates call lookup i.
 */
export interface RecordSink {
  transaction(tx: Transaction): void;
  lookup(l: Lookup): void;
  /**
   * Backpressure: when the sink's output is full (a slow pipe), a promise that settles once it
   * can take more; the input waits for it before its next chunk instead of the report piling up
   * in memory.
   */
  ready?(): Promise<void> | undefined;
}

/**
 * ICMP unreachables listed in a report; past these they are counted in a warning only. Each one
 * is a query that found no server, so a real capture has a handful; a flood of them (a scan, a
 * crafted file) must not grow the report without bound.
 */
export const MAX_LISTED_ICMP_UNREACHABLE = 1000;

/**
 * The library entry point: bytes in, Report out. The CLI and the tests call this. Without a sink,
 * Report.transactions and Report.lookups hold every one, in the order they completed. With a sink, they go
 * to it instead as the analysis runs and the Report's lists are empty: nothing keeps them, and
 * memory stays bounded by what is still open whatever the capture's size.
 */
export async function analyze(source: Source, options: Partial<AnalyzeOptions> = {}, sink?: RecordSink): Promise<Report> {
  const opts = { ...DEFAULT_OPTIONS, ...options };
  const diag = new DiagnosticsLog();
  const sniffed = await sniffInput(source.chunks, false, diag);
  const chunks = sink?.ready ? paced(sniffed.chunks, () => sink.ready?.()) : sniffed.chunks;
  const accumulator = new ReportAccumulator();
  const kept = { transactions: [] as Transaction[], lookups: [] as Lookup[] };
  const tally = { transactions: 0, unanswered: 0, lookups: 0, wastedQueries: 0 };
  const completed: AnalyzerSink = {
    transaction(tx, retry) {
      tally.transactions++;
      if (tx.responseFrame === null) tally.unanswered++;
      accumulator.transaction(tx, retry);
      if (sink) sink.transaction(tx);
      else kept.transactions.push(tx);
    },
    lookup(l, attemptTx) {
      tally.lookups++;
      tally.wastedQueries += l.wastedQueries;
      accumulator.lookup(l, attemptTx);
      if (sink) sink.lookup(l);
      else kept.lookups.push(l);
    },
  };
  // Messages go to the analysis as they are decoded and are not kept: memory is bounded by what
  // the analysis still holds open, not by the capture's size.
  // Whether the capture saw two interfaces, as the decoder or the text reader finds out.
  let seesSeveralInterfaces = (): boolean => true;
  const analyzer = new DnsAnalyzer({ timeoutMs: opts.timeoutMs, resolver: opts.resolver, copiesAcrossServers: () => seesSeveralInterfaces() }, diag, completed);
  let dnsMessages = 0;
  let queries = 0;
  // Fields that only ever hold numbers are updated in place; a `let` the closure shares would
  // box every new timestamp (one heap number a message).
  const clock = { firstUs: Number.POSITIVE_INFINITY, lastUs: Number.NEGATIVE_INFINITY };
  const take = (m: DnsMessage): void => {
    dnsMessages++;
    if (!m.isResponse) queries++;
    if (m.timeUs < clock.firstUs) clock.firstUs = m.timeUs;
    if (m.timeUs > clock.lastUs) clock.lastUs = m.timeUs;
    analyzer.add(m);
  };
  let format: InputFormat;
  let accounting: FrameAccounting;
  let linkTypes: number[] = [];
  let ignoredLines = 0;
  const icmpUnreachable: IcmpUnreachable[] = [];
  let icmpUnlisted = 0;
  // ICMP errors meet the queries they quote while those are open (status unreachable,
  // failover), so both go to the analysis in the order the input gives them.
  const takeIcmp = (u: IcmpUnreachable): void => {
    analyzer.addIcmp(u);
    if (icmpUnreachable.length < MAX_LISTED_ICMP_UNREACHABLE) icmpUnreachable.push(u);
    else icmpUnlisted++;
  };

  if (sniffed.format === 'text') {
    format = 'text';
    const interfaces = { several: false };
    seesSeveralInterfaces = () => interfaces.several;
    const info = await readTcpdumpText(chunks, take, diag, opts.ports, { onIcmp: takeIcmp, interfaces });
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
    format = sniffed.format;
    // `take` and the analysis keep no message, only its shared parts: one object serves them all.
    const decoder = new FrameDecoder(diag, opts.ports, { sink: { message: take, icmpUnreachable: takeIcmp }, reuseMessages: true });
    seesSeveralInterfaces = () => decoder.seesSeveralInterfaces;
    const read = sniffed.format === 'pcap' ? readPcap : readPcapng;
    // The decoder reads each frame in place from the capture's chunks.
    const info = await read(chunks, decoder, diag);
    decoder.finish();
    accounting = decoder.accounting;
    linkTypes = info.linkTypes;
    for (const [lt, n] of decoder.unsupportedLinkTypes) {
      diag.anomaly({ code: 'unsupported-link-type', frame: null, detail: `unsupported link type ${lt} (${n} frames)` });
    }
  }

  const firstTimeUs = dnsMessages > 0 ? clock.firstUs : null;
  const lastTimeUs = dnsMessages > 0 ? clock.lastUs : null;
  const { resolvers } = analyzer.finish(lastTimeUs ?? 0);
  if (icmpUnlisted > 0) diag.warn(`${icmpUnlisted} more ICMP unreachables were not listed: the report lists the first ${MAX_LISTED_ICMP_UNREACHABLE}`);
  diag.finish();
  const { findings, aggregates, warnings: limitWarnings } = accumulator.finish(resolvers, diag.anomalyCounts);
  for (const w of limitWarnings) diag.warn(w);

  return {
    schemaVersion: 1,
    input: { format, source: source.name, linkTypes },
    summary: {
      frames: accounting.frames,
      dnsMessages,
      queries,
      responses: dnsMessages - queries,
      transactions: tally.transactions,
      unanswered: tally.unanswered,
      malformed: accounting.malformed,
      lookups: tally.lookups,
      wastedQueries: tally.wastedQueries,
      frameAccounting: accounting,
      firstTimeUs,
      lastTimeUs,
      ignoredLines,
    },
    transactions: kept.transactions,
    lookups: kept.lookups,
    resolvers,
    findings,
    anomalies: diag.anomalies,
    warnings: diag.warnings,
    aggregates,
    // Only present when a capture has some, so reports without ICMP errors are unchanged.
    ...(icmpUnreachable.length > 0 ? { icmpUnreachable } : {}),
  };
}

/** The input's chunks, each taken only once the output can take more (see RecordSink.ready). */
async function* paced(chunks: AsyncIterable<Uint8Array>, ready: () => Promise<void> | undefined): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    const wait = ready();
    if (wait) await wait;
    yield chunk;
  }
}
