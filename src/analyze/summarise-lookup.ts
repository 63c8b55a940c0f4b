import type { Lookup, LookupAttempt, LookupOutcome, Transaction } from '../model.js';
import { classifyLookup } from './classify-lookup.js';
import { round3 } from './round3.js';

/** Walk position of the name as written. */
export const BARE = -1;

/** One search step: the name tried (base + one suffix, or the base as written) and its queries. */
export interface Step {
  name: string;
  /** Position in the search walk: the suffix's index, BARE, or past the list for a suffix not on it yet. */
  pos: number;
  txs: Transaction[];
}

/** A lookup being built (see LookupBuilder). */
export interface OpenLookup {
  client: string;
  base: string;
  /** false while the only name seen may or may not carry a suffix (the client's list is unknown). */
  baseKnown: boolean;
  steps: Step[];
  walkPos: number;
  bareSeen: boolean;
  bareFirst: boolean;
  unknownSuffixes: number;
  lastEventUs: number;
  /** Transactions the pairer may still fill in. */
  unsettled: number;
}

/** A usable answer: NOERROR with records, not a truncated UDP answer (the client re-asks over TCP). */
export function isPositive(tx: Transaction): boolean {
  return tx.rcode === 'NOERROR' && (tx.answers.length > 0 || tx.answerCount > 0) && !(tx.flags?.tc && tx.transport === 'udp');
}

function isTruncatedWithRecords(tx: Transaction): boolean {
  return tx.rcode === 'NOERROR' && tx.flags?.tc === true && tx.answerCount > 0;
}

export function answeredStepOf(l: OpenLookup): Step | undefined {
  return l.steps.find((s) => s.txs.some(isPositive));
}

function sendsOf(tx: Transaction): number {
  return (tx.queryFrame !== null ? 1 : 0) + tx.retransmissionFrames.length;
}

function stepStartUs(s: Step): number {
  return Math.min(...s.txs.map((t) => t.queryTimeUs as number));
}

/** When the client stopped waiting for `tx`: its response, or its last send plus the timeout. */
function endOf(tx: Transaction, timeoutUs: number): number {
  if (tx.responseTimeUs !== null) return tx.responseTimeUs;
  // Given up on at once: an ICMP error, or a retry elsewhere (which has its own end).
  if (tx.icmpFrame !== null || tx.retriedBy !== null) return tx.lastSendUs as number;
  return (tx.lastSendUs as number) + timeoutUs;
}

/**
 * The Lookup a closed walk amounts to. `writtenFqdn`: the builder saw the name asked as written
 * first although it has fewer dots than ndots, so the application wrote it with a trailing dot. The final step is the one that answered, else the last one
 * tried (for glibc the name as written, whose answer the application is told); every other step
 * could not have helped, so its queries and the time before the final step are wasted.
 */
export function summariseLookup(l: OpenLookup, timeoutMs: number, writtenFqdn = false): Lookup {
  const timeoutUs = timeoutMs * 1000;
  const steps = [...l.steps].sort((a, b) => stepStartUs(a) - stepStartUs(b));
  const txs = steps.flatMap((s) => s.txs);
  // A truncated answer with records whose TCP retry is not in the capture (or not decoded) still
  // shows the resolver got an answer: glibc and dig go on over TCP and do not walk further.
  const answered = steps.find((s) => s.txs.some(isPositive)) ?? steps.find((s) => s.txs.some(isTruncatedWithRecords)) ?? null;
  const finalStep = answered ?? steps[steps.length - 1];
  const suffixOf = (s: Step) => (s.name === l.base ? null : s.name.slice(l.base.length + 1));
  const startUs = stepStartUs(steps[0]);
  const attempts: LookupAttempt[] = steps
    .flatMap((s) => s.txs.map((tx) => ({ s, tx })))
    .sort((a, b) => (a.tx.queryTimeUs as number) - (b.tx.queryTimeUs as number))
    .map(({ s, tx }) => ({
      name: s.name,
      type: tx.type as string,
      rcode: tx.rcode,
      suffix: suffixOf(s),
      latencyMs: tx.latencyMs,
      offsetMs: round3(((tx.queryTimeUs as number) - startUs) / 1000),
      queryFrame: tx.queryFrame,
      responseFrame: tx.responseFrame,
      wasted: s !== finalStep,
    }));
  const queries = txs.reduce((n, tx) => n + sendsOf(tx), 0);
  const wastedQueries = steps.filter((s) => s !== finalStep).reduce((n, s) => n + s.txs.reduce((m, tx) => m + sendsOf(tx), 0), 0);
  const distinctQuestions = new Set(txs.map((t) => `${t.name} ${t.type}`)).size;
  const finalStartUs = stepStartUs(finalStep);
  const finalEndUs = Math.max(...finalStep.txs.map((t) => endOf(t, timeoutUs)));
  const positive = answered?.txs.filter(isPositive) ?? [];
  const answerRecords = (positive.length > 0 ? positive : (answered?.txs.filter(isTruncatedWithRecords) ?? [])).flatMap((t) => t.answers);
  const cname = answerRecords.find((r) => r.type === 'CNAME')?.data ?? null;
  const addresses = [...new Set(answerRecords.filter((r) => r.type === 'A' || r.type === 'AAAA').map((r) => r.data))];
  const types = [...new Set(txs.map((t) => t.type as string))];
  const finalTypes = new Set(finalStep.txs.map((t) => t.type));
  const suffix = answered ? suffixOf(answered) : null;
  const allFrames = txs.flatMap((t) => [t.queryFrame, t.responseFrame, ...t.retransmissionFrames]).filter((f): f is number => f !== null);
  return {
    client: l.client,
    name: writtenFqdn ? `${l.base}.` : l.base,
    types,
    attempts,
    queries,
    wastedQueries,
    answeredName: answered ? answered.name : null,
    suffix,
    outcome: answered ? 'answered' : outcomeOf(finalStep),
    kind: classifyLookup({ base: l.base, answeredName: answered?.name ?? null, firstStepName: steps[0].name, suffix, wastedQueries, cname }),
    cname,
    addresses,
    elapsedMs: round3((finalEndUs - startUs) / 1000),
    wastedMs: round3((finalStartUs - startUs) / 1000),
    fqdnQueries: finalTypes.size,
    fqdnMs: finalStep.txs.some((t) => t.responseTimeUs !== null) ? round3((finalEndUs - finalStartUs) / 1000) : null,
    firstFrame: Math.min(...allFrames),
    lastFrame: Math.max(...allFrames),
    startUs,
    suffixesTried: steps.map(suffixOf).filter((s): s is string => s !== null),
    retries: queries - distinctQuestions,
  };
}

/** What the final step said. A step whose queries all went unanswered timed out. */
function outcomeOf(step: Step): LookupOutcome {
  const rcodes = step.txs.map((t) => t.rcode);
  if (rcodes.every((r) => r === null)) return 'timeout';
  if (rcodes.includes('NXDOMAIN')) return 'nxdomain';
  if (rcodes.includes('SERVFAIL')) return 'servfail';
  if (rcodes.includes('REFUSED')) return 'refused';
  if (rcodes.includes('NOERROR')) return 'nodata';
  return 'error';
}
