/**
 * Streams a realistic node-level capture of Kubernetes DNS traffic as classic pcap: pods walking
 * their search lists (mostly NXDOMAIN), Service hits, ExternalName CNAMEs, a few 5 s timeouts,
 * all interleaved in time. Memory stays bounded by the packets still in flight, never by the
 * capture's size; the same options always give the same bytes.
 */
import { type Pod, buildPods } from './cluster-catalogue.js';
import { createPrng } from './create-prng.js';
import { EventQueue } from './event-queue.js';
import { type Failures, checkFailures } from './failure-options.js';
import { type LookupTruth, planLookup } from './plan-lookup.js';
import { planGoLookup } from './plan-go-lookup.js';
import { type CaptureFrame, MAX_FRAME_RECORD, PCAP_GLOBAL_HEADER_LENGTH, isIcmp, writeIcmpUnreachableFrame, writePcapGlobalHeader, writeUdpFrame } from './write-capture-frame.js';

/**
 * With a failed first nameserver (Failures.firstServer) no answer is lost (lossRate 0), and with
 * a silent one lookups start every 5 ms on average unless meanLookupGapUs says otherwise.
 */
export interface CaptureOptions extends Failures {
  /** Stop planning lookups once this many DNS messages are planned; whole lookups only, so the capture holds at least this many. */
  messages: number;
  seed?: number;
  /** Mean gap between lookup starts across the node (µs). 400 µs gives ~30,000 DNS messages a second. */
  meanLookupGapUs?: number;
  /** Probability that a query's first send is never answered. */
  lossRate?: number;
  /** Bytes per yielded chunk. */
  chunkBytes?: number;
  /**
   * Write every chunk into the same buffer: a chunk is then only valid until the next one is
   * asked for. For a consumer that copies at once (a file write), it keeps memory flat.
   */
  reuseBuffer?: boolean;
}

/** Ground truth: what an analysis of the capture must find. */
export interface CaptureStats {
  frames: number;
  messages: number;
  queries: number;
  responses: number;
  retransmissions: number;
  /** Transactions that retry a SERVFAIL answer (glibc's second try). */
  retries: number;
  /** Transactions answered after a resend or as such a retry (dnstrace's `answered-after-retry`). */
  answeredAfterRetry: number;
  /** Transactions never answered. */
  unanswered: number;
  transactions: number;
  lookups: number;
  lookupsByKind: Record<LookupTruth['kind'], number>;
  lookupsByOutcome: Record<LookupTruth['outcome'], number>;
  wastedQueries: number;
  nxdomainResponses: number;
  clients: number;
  bytes: number;
  firstTimeUs: number;
  lastTimeUs: number;
}

export const DEFAULT_SEED = 20260115;
/** 2026-01-15T10:00:00Z: a fixed clock, so the bytes never depend on when the generator ran. */
const START_US = 1_768_471_200_000_000;

type Planned = CaptureFrame & { seq: number };

export interface CaptureStream {
  /** The capture's bytes, in chunks that stay valid after the next one is produced (unless `reuseBuffer`). */
  chunks: Generator<Buffer>;
  /** Complete once `chunks` is exhausted. */
  stats: CaptureStats;
}

export function generateCapture(options: CaptureOptions): CaptureStream {
  const bad = checkFailures(options, options.lossRate);
  if (bad !== null) throw new RangeError(bad);
  const stats: CaptureStats = {
    frames: 0,
    messages: 0,
    queries: 0,
    responses: 0,
    retransmissions: 0,
    retries: 0,
    answeredAfterRetry: 0,
    unanswered: 0,
    transactions: 0,
    lookups: 0,
    lookupsByKind: { 'search-expansion': 0, direct: 0, externalname: 0 },
    lookupsByOutcome: { answered: 0, nxdomain: 0, servfail: 0, timeout: 0 },
    wastedQueries: 0,
    nxdomainResponses: 0,
    clients: 0,
    bytes: 0,
    firstTimeUs: START_US,
    lastTimeUs: START_US,
  };
  return { chunks: streamCapture(options, stats), stats };
}

/**
 * Names drawn for a lookup before the pod is taken to be busy with all of them. The default
 * traffic never needs more than a few, so its bytes do not depend on this.
 */
const MAX_PICKS = 256;

function isBusy(pod: Pod, entry: { name: string }, clock: number): boolean {
  return (pod.busyNames.get(entry.name) ?? 0) >= clock;
}

function allBusy(pod: Pod, clock: number): boolean {
  for (const [, entry] of pod.names) if (!isBusy(pod, entry, clock)) return false;
  return true;
}

function* streamCapture(options: CaptureOptions, stats: CaptureStats): Generator<Buffer> {
  const prng = createPrng(options.seed ?? DEFAULT_SEED);
  // Every step waiting 5 s on a silent first server holds every name of a pod in a walk: lookups
  // start less often (as applications blocked on them do), rather than being drawn and skipped.
  const meanGapUs = options.meanLookupGapUs ?? (options.firstServer === 'silent' ? 5000 : 400);
  const lossRate = options.lossRate ?? (options.firstServer !== undefined ? 0 : 1 / 2000);
  const chunkBytes = Math.max(options.chunkBytes ?? 1 << 20, MAX_FRAME_RECORD + PCAP_GLOBAL_HEADER_LENGTH);
  const pods = buildPods(prng);
  // A PRNG of its own: the main one's draws, and so the bytes of a capture without Go pods, stay as they were.
  if (options.goShare !== undefined) {
    const goPrng = createPrng(((options.seed ?? DEFAULT_SEED) ^ 0x60a11) >>> 0);
    for (const pod of pods) pod.go = goPrng.chance(options.goShare);
  }
  const podWeights = pods.map((p) => [p.weight, p] as const);
  const queue = new EventQueue<Planned>();
  const clients = new Set<Pod>();

  let buf = Buffer.allocUnsafe(chunkBytes);
  let pos = writePcapGlobalHeader(buf, 0);
  let seq = 0;
  let planned = 0;
  let clock = START_US;

  function* emitUntil(limitUs: number): Generator<Buffer> {
    for (let next = queue.peek(); next !== undefined && next.timeUs <= limitUs; next = queue.peek()) {
      queue.pop();
      if (chunkBytes - pos < MAX_FRAME_RECORD) {
        stats.bytes += pos;
        yield buf.subarray(0, pos);
        if (!options.reuseBuffer) buf = Buffer.allocUnsafe(chunkBytes);
        pos = 0;
      }
      stats.frames++;
      if (isIcmp(next)) pos += writeIcmpUnreachableFrame(buf, pos, next);
      else {
        pos += writeUdpFrame(buf, pos, next);
        stats.messages++;
      }
      stats.lastTimeUs = next.timeUs;
    }
  }

  while (planned < options.messages) {
    const pod = prng.pickWeighted(podWeights);
    let entry = prng.pickWeighted(pod.names);
    // One pod does not look the same name up twice at once: the analysis could not tell the
    // two walks apart, and the ground truth would no longer be unambiguous.
    // A lossy capture has every name of a pod busy for seconds at a time: then all the draws
    // below would find busy names, and are skipped at once (the bytes stay those of drawing them).
    if (isBusy(pod, entry, clock) && allBusy(pod, clock)) prng.skip(MAX_PICKS - 1);
    else for (let picks = 1; isBusy(pod, entry, clock) && picks < MAX_PICKS; picks++) entry = prng.pickWeighted(pod.names);
    if (isBusy(pod, entry, clock)) {
      // Every name of the pod may be in a walk (lossy runs keep walks open for timeouts): this
      // lookup start is skipped, the clock moves on.
      clock += Math.max(1, Math.round(-Math.log(1 - prng.next()) * meanGapUs));
      yield* emitUntil(clock);
      continue;
    }
    const planOptions = { lossRate, outage: options.outage, upstreamDown: options.upstreamDown, silentRate: options.silentRate, firstServer: options.firstServer };
    const plan = pod.go ? planGoLookup(prng, pod, entry, clock, planOptions) : planLookup(prng, pod, entry, clock, planOptions);
    pod.busyNames.set(entry.name, plan.endUs);
    clients.add(pod);
    for (const f of plan.frames) queue.push({ ...f, seq: seq++ });
    for (const f of plan.frames) if (!isIcmp(f)) planned++;
    const t = plan.truth;
    stats.lookups++;
    stats.lookupsByKind[t.kind]++;
    stats.lookupsByOutcome[t.outcome]++;
    stats.queries += t.queries;
    stats.responses += t.responses;
    stats.retransmissions += t.retransmissions;
    stats.retries += t.retries;
    stats.answeredAfterRetry += t.answeredAfterRetry;
    stats.unanswered += t.unanswered;
    stats.transactions += t.transactions;
    stats.wastedQueries += t.wastedQueries;
    stats.nxdomainResponses += t.nxdomainResponses;
    clock += Math.max(1, Math.round(-Math.log(1 - prng.next()) * meanGapUs));
    yield* emitUntil(clock);
  }
  yield* emitUntil(Number.POSITIVE_INFINITY);
  stats.clients = clients.size;
  stats.bytes += pos;
  yield buf.subarray(0, pos);
}
