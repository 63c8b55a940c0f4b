import type { Lookup, LookupAttempt, LookupOutcome, Transaction } from '../model.js';
import { appendSmall } from './append-small.js';
import { classifyLookup } from './classify-lookup.js';
import { type OpenLookup, type Step, isPositive, typeCount } from './open-lookup.js';
import { askedAgainAfter, mayBeMuslChain } from './rcode-rules.js';
import { round3 } from './round3.js';
import { earlierSendElsewhere, sameSendElsewhere } from './same-send-elsewhere.js';

function isTruncatedWithRecords(tx: Transaction): boolean {
  return tx.rcode === 'NOERROR' && tx.flags?.tc === true && tx.answerCount > 0;
}

function sendsOf(tx: Transaction): number {
  return (tx.queryFrame !== null ? 1 : 0) + tx.retransmissionFrames.length;
}

function stepStartUs(s: Step): number {
  let start = s.txs[0].queryTimeUs as number;
  for (const t of s.txs) if ((t.queryTimeUs as number) < start) start = t.queryTimeUs as number;
  return start;
}

/** When the client stopped waiting for `tx`: its response, or its last send plus the timeout. */
function endOf(tx: Transaction, timeoutUs: number): number {
  if (tx.responseTimeUs !== null) return tx.responseTimeUs;
  // Given up on at once: an ICMP error, or a retry elsewhere (which has its own end).
  if (tx.icmpFrame !== null || tx.retriedBy !== null) return tx.lastSendUs as number;
  return (tx.lastSendUs as number) + timeoutUs;
}

/** The steps in the order they started (a stable sort: equal starts keep the order they joined in). */
function stepsByStart(l: OpenLookup): readonly Step[] {
  const steps = l.steps;
  for (let i = 1; i < steps.length; i++) {
    if (stepStartUs(steps[i]) < stepStartUs(steps[i - 1])) return [...steps].sort((a, b) => stepStartUs(a) - stepStartUs(b));
  }
  return steps;
}

/** Whether the queries, taken step by step, are in the order they were sent. */
function inSendOrder(steps: readonly Step[]): boolean {
  let lastUs = -Infinity;
  for (let i = 0; i < steps.length; i++) {
    const txs = steps[i].txs;
    for (let j = 0; j < txs.length; j++) {
      if ((txs[j].queryTimeUs as number) < lastUs) return false;
      lastUs = txs[j].queryTimeUs as number;
    }
  }
  return true;
}

function firstStepWith(steps: readonly Step[], test: (tx: Transaction) => boolean): Step | null {
  for (let i = 0; i < steps.length; i++) {
    const txs = steps[i].txs;
    for (let j = 0; j < txs.length; j++) if (test(txs[j])) return steps[i];
  }
  return null;
}

/** What a lookup's steps add up to, gathered in one pass. */
interface Tally {
  queries: number;
  wastedQueries: number;
  /** Distinct questions: a step holds every query of its name, so its distinct types. */
  questions: number;
  /** Queries sent to another server alongside an earlier one (musl asks every nameserver at once): no retries. */
  alongside: number;
  types: string[];
  firstFrame: number;
  lastFrame: number;
}

/**
 * One Tally and one answer for every lookup, filled in again each time (summariseLookup reads them
 * at once): a lookup's temporary objects, their number fields boxed, were a tenth of what it cost.
 */
const TALLY: Tally = { queries: 0, wastedQueries: 0, questions: 0, alongside: 0, types: [], firstFrame: Infinity, lastFrame: -Infinity };
const ANSWER = { cname: null as string | null, addresses: [] as string[] };

function tally(steps: readonly Step[], finalStep: Step): Tally {
  const t = TALLY;
  t.queries = 0;
  t.wastedQueries = 0;
  t.questions = 0;
  t.alongside = 0;
  let nTypes = 0;
  t.firstFrame = Infinity;
  t.lastFrame = -Infinity;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    for (let j = 0; j < s.txs.length; j++) {
      const tx = s.txs[j];
      const sends = sendsOf(tx);
      t.queries += sends;
      if (s !== finalStep) t.wastedQueries += sends;
      if (!hasFirst(TYPES, nTypes, tx.type as string)) TYPES[nTypes++] = tx.type as string;
      if (tx.queryFrame !== null) frame(t, tx.queryFrame);
      if (tx.responseFrame !== null) frame(t, tx.responseFrame);
      for (let k = 0; k < tx.retransmissionFrames.length; k++) frame(t, tx.retransmissionFrames[k]);
    }
    const questions = typeCount(s);
    t.questions += questions;
    // More queries than types: retries, or sends to several servers at once.
    if (s.txs.length > questions) t.alongside += alongsideCount(s.txs);
  }
  t.types = TYPES.slice(0, nTypes);
  return t;
}

/** The query types of the lookup being summarised, filled in again for each (a Lookup keeps an exact copy). */
const TYPES: string[] = [];

/** Whether `x` is among the first `n` items of `list`. */
function hasFirst(list: readonly string[], n: number, x: string): boolean {
  for (let i = 0; i < n; i++) if (list[i] === x) return true;
  return false;
}

function frame(t: Tally, f: number): void {
  if (f < t.firstFrame) t.firstFrame = f;
  if (f > t.lastFrame) t.lastFrame = f;
}

function attemptOf(step: Step, suffix: string | null, tx: Transaction, startUs: number, finalStep: Step): LookupAttempt {
  return {
    name: step.name,
    type: tx.type as string,
    rcode: tx.rcode,
    suffix,
    latencyMs: tx.latencyMs,
    offsetMs: round3(((tx.queryTimeUs as number) - startUs) / 1000),
    queryFrame: tx.queryFrame,
    responseFrame: tx.responseFrame,
    wasted: step !== finalStep,
  };
}

/**
 * Lists filled in again for every lookup: what a Lookup keeps is an exact copy (`slice`), one
 * array where growing a list by `push` made a 17-slot one, or copying it item by item several.
 */
const SUFFIXES: (string | null)[] = [];
const TRIED: string[] = [];
const ATTEMPTS: LookupAttempt[] = [];

/** Every query of the lookup as an attempt, in the order they were sent (ties: step by step). */
function attemptsOf(steps: readonly Step[], suffixes: readonly (string | null)[], startUs: number, finalStep: Step): LookupAttempt[] {
  if (inSendOrder(steps)) {
    let n = 0;
    for (let i = 0; i < steps.length; i++) {
      const txs = steps[i].txs;
      for (let j = 0; j < txs.length; j++) ATTEMPTS[n++] = attemptOf(steps[i], suffixes[i], txs[j], startUs, finalStep);
    }
    return ATTEMPTS.slice(0, n);
  }
  const out: LookupAttempt[] = [];
  const order: { i: number; tx: Transaction }[] = [];
  for (let i = 0; i < steps.length; i++) for (const tx of steps[i].txs) order.push({ i, tx });
  order.sort((a, b) => (a.tx.queryTimeUs as number) - (b.tx.queryTimeUs as number));
  for (const { i, tx } of order) out.push(attemptOf(steps[i], suffixes[i], tx, startUs, finalStep));
  return out;
}

/**
 * How long the client waited for a step that got nothing before it went on to the next: the time
 * from the step's last send to the next step's first (the latest such wait before `finalStep`),
 * or null when no step before the final one went wholly unanswered. That is the client's own
 * timeout, read from this very lookup: glibc with `options timeout:1 attempts:1` walked on after
 * 1 s and gave up the name as written 1 s later, where the 5 s of --timeout (no resend showed
 * the profile a timeout) said 6 s. Waits under MIN_GIVE_UP_US are no timeout.
 */
function gaveUpAfterUs(steps: readonly Step[], finalStep: Step): number | null {
  let waited: number | null = null;
  for (let i = 0; i + 1 < steps.length && steps[i] !== finalStep; i++) {
    const txs = steps[i].txs;
    let lastSendUs = Number.NEGATIVE_INFINITY;
    let silent = true;
    for (let j = 0; j < txs.length && silent; j++) {
      const t = txs[j];
      if (t.responseFrame !== null || t.icmpFrame !== null || t.retriedBy !== null) silent = false;
      else lastSendUs = Math.max(lastSendUs, t.lastSendUs as number);
    }
    if (!silent) continue;
    const gap = stepStartUs(steps[i + 1]) - lastSendUs;
    if (gap >= MIN_GIVE_UP_US) waited = gap;
  }
  return waited;
}

/** The shortest wait read as a client's timeout: glibc's and musl's least is a second over its attempts. */
const MIN_GIVE_UP_US = 100_000;

/** The final step's end, its distinct query types, and whether any of its queries was answered. */
function finalEndUs(step: Step, timeoutUs: number): number {
  const txs = step.txs;
  // More queries than types: some may have gone to several servers at once.
  const several = txs.length > typeCount(step);
  let end = -Infinity;
  for (let i = 0; i < txs.length; i++) {
    // A query also sent to another server at once that answered it was not waited for (musl
    // takes the first answer; a dead first server's ICMP error the capture left out).
    if (several && txs[i].responseTimeUs === null && answeredElsewhere(txs, txs[i])) continue;
    const tx = txs[i];
    const waitedOutUs = askedAgainAfter(tx.rcode) ? muslWaitedOutUs(txs, tx) : null;
    end = Math.max(end, waitedOutUs ?? endOf(tx, timeoutUs));
  }
  return end;
}

/**
 * When the client gave up on `tx`'s question if `tx` is one of a chain of sends with its id,
 * type, socket and rcode that may be musl's (mayBeMuslChain) in rounds a retry interval apart,
 * else null. musl takes no SERVFAIL: it asks again as each SERVFAIL comes, again each retry
 * interval, and gives up when its timeout is over, one interval after its last round
 * (fixtures/musl-servfail.pcap: the application was told "try again" 5.0 s after it asked, 2.5 s
 * after the last answer); it ignores REFUSED and asks again only each round
 * (fixtures/musl-refused.pcap). A round starts with a send that did not follow an answer at once
 * (or a resend of an unanswered query); the interval runs from the first send to the second
 * round. The last round, not the last send: a SERVFAIL that comes late is asked again when it
 * comes, after the round began (fixtures/musl-servfail-slow.pcap: the second round at 2.5 s, its
 * SERVFAIL and the re-asks at 3.4 s, "try again" at 5.0 s). Without such a round the chain may be
 * glibc's: with `options attempts:3` it also asks three times at once, and returns at the last
 * SERVFAIL (fixtures/servfail-attempts3.pcap), so the last answer ends it.
 */
function muslWaitedOutUs(txs: readonly Transaction[], tx: Transaction): number | null {
  let sends = 0;
  let firstUs = Number.NaN;
  let lastRoundUs = Number.NEGATIVE_INFINITY;
  let answeredUs = Number.NaN;
  let intervalUs = Number.NaN;
  // A step's transactions are in the order they were sent.
  for (let i = 0; i < txs.length; i++) {
    const t = txs[i];
    if (t.rcode !== tx.rcode || t.id !== tx.id || t.type !== tx.type || t.client !== tx.client || t.queryTimeUs === null) continue;
    sends += 1 + t.retransmissionFrames.length;
    if (Number.isNaN(firstUs)) {
      firstUs = t.queryTimeUs;
      lastRoundUs = t.queryTimeUs;
    } else if (t.queryTimeUs - answeredUs >= AT_ONCE_US) {
      if (Number.isNaN(intervalUs)) intervalUs = t.queryTimeUs - firstUs;
      lastRoundUs = Math.max(lastRoundUs, t.queryTimeUs);
    }
    if (t.retransmissionFrames.length > 0 && t.lastSendUs !== null) lastRoundUs = Math.max(lastRoundUs, t.lastSendUs);
    answeredUs = t.responseTimeUs ?? Number.NaN;
  }
  if (!mayBeMuslChain(tx.rcode, sends) || Number.isNaN(intervalUs)) return null;
  return lastRoundUs + intervalUs;
}

/**
 * A send this soon after the answer before it was asked again at once (within a millisecond in
 * the lab); later, it waited for the retry interval (timeout over attempts: at least 100 ms).
 */
const AT_ONCE_US = 50_000;

/** Whether a query of `txs` sent alongside `tx` to another server (see sameSendElsewhere) was answered. */
function answeredElsewhere(txs: readonly Transaction[], tx: Transaction): boolean {
  for (let i = 0; i < txs.length; i++) {
    const t = txs[i];
    if (t !== tx && t.responseTimeUs !== null && (sameSendElsewhere(t, tx) || sameSendElsewhere(tx, t))) return true;
  }
  return false;
}

/** The CNAME target and the addresses of the answer that `answered` got. */
function readAnswer(answered: Step | null): { cname: string | null; addresses: string[] } {
  const out = ANSWER;
  out.cname = null;
  out.addresses = [];
  if (answered === null) return out;
  const usable = firstStepWith([answered], isPositive) !== null ? isPositive : isTruncatedWithRecords;
  for (let i = 0; i < answered.txs.length; i++) {
    const t = answered.txs[i];
    if (!usable(t)) continue;
    for (let j = 0; j < t.answers.length; j++) {
      const r = t.answers[j];
      if (out.cname === null && r.type === 'CNAME') out.cname = r.data;
      if ((r.type === 'A' || r.type === 'AAAA') && !out.addresses.includes(r.data)) out.addresses = appendSmall(out.addresses, r.data);
    }
  }
  return out;
}

/**
 * The Lookup a closed walk amounts to. `writtenFqdn`: the builder saw the name asked as written
 * first although it has fewer dots than ndots, so the application wrote it with a trailing dot. The final step is the one that answered, else the last one
 * tried (for glibc the name as written, whose answer the application is told); every other step
 * could not have helped, so its queries and the time before the final step are wasted.
 */
export function summariseLookup(l: OpenLookup, timeoutMs: number, writtenFqdn = false, searchList: readonly string[] = []): Lookup {
  const steps = stepsByStart(l);
  // A truncated answer with records whose TCP retry is not in the capture (or not decoded) still
  // shows the resolver got an answer: glibc and dig go on over TCP and do not walk further.
  const answered = firstStepWith(steps, isPositive) ?? firstStepWith(steps, isTruncatedWithRecords);
  const finalStep = answered ?? steps[steps.length - 1];
  // Each step's suffix, found once: null for the name as written.
  const suffixes = SUFFIXES;
  let tried = 0;
  let suffix: string | null = null;
  for (let i = 0; i < steps.length; i++) {
    const s = suffixOf(steps[i], l.base, searchList);
    suffixes[i] = s;
    if (s !== null) TRIED[tried++] = s;
    if (steps[i] === answered) suffix = s;
  }
  const suffixesTried = TRIED.slice(0, tried);
  const startUs = stepStartUs(steps[0]);
  const t = tally(steps, finalStep);
  const finalStartUs = stepStartUs(finalStep);
  const endUs = finalEndUs(finalStep, gaveUpAfterUs(steps, finalStep) ?? timeoutMs * 1000);
  const { cname, addresses } = readAnswer(answered);
  return {
    client: l.client,
    name: writtenFqdn ? `${l.base}.` : l.base,
    types: t.types,
    attempts: attemptsOf(steps, suffixes, startUs, finalStep),
    queries: t.queries,
    wastedQueries: t.wastedQueries,
    answeredName: answered ? answered.name : null,
    suffix,
    outcome: answered ? 'answered' : outcomeOf(finalStep),
    kind: classifyLookup({ base: l.base, answeredName: answered?.name ?? null, firstStepName: steps[0].name, suffix, wastedQueries: t.wastedQueries, cname }),
    cname,
    addresses,
    elapsedMs: round3((endUs - startUs) / 1000),
    wastedMs: round3((finalStartUs - startUs) / 1000),
    // Everything the final step sent: a fully qualified name meets the same servers (a resend, a
    // failover after REFUSED or an ICMP error, a send to each nameserver at once).
    fqdnQueries: t.queries - t.wastedQueries,
    fqdnMs: finalStep.txs.some((tx) => tx.responseTimeUs !== null) ? round3((endUs - finalStartUs) / 1000) : null,
    firstFrame: t.firstFrame,
    lastFrame: t.lastFrame,
    startUs,
    suffixesTried,
    retries: t.queries - t.questions - t.alongside,
  };
}

/** The queries of `txs` sent alongside an earlier one of them (see sameSendElsewhere). */
function alongsideCount(txs: readonly Transaction[]): number {
  let n = 0;
  for (let j = 1; j < txs.length; j++) if (earlierSendElsewhere(txs, j) >= 0) n++;
  return n;
}

/**
 * The suffix `step` added to `base`: null for the name as written, else the text after the base
 * and its dot, taken from the client's search list when the step's position there holds it (one
 * string for every lookup, instead of a slice each).
 */
function suffixOf(step: Step, base: string, searchList: readonly string[]): string | null {
  const name = step.name;
  if (name === base) return null;
  const listed = step.pos >= 0 && step.pos < searchList.length ? searchList[step.pos] : null;
  if (listed !== null && name.length === base.length + 1 + listed.length && name.endsWith(listed)) return listed;
  return name.slice(base.length + 1);
}

/**
 * What the final step said. A step whose queries all went unanswered timed out, unless each of
 * them drew an ICMP unreachable: then the server was not there, and the client knew at once.
 */
function outcomeOf(step: Step): LookupOutcome {
  const rcodes = step.txs.map((t) => t.rcode);
  if (rcodes.every((r) => r === null)) return step.txs.every((t) => t.icmpFrame !== null) ? 'unreachable' : 'timeout';
  if (rcodes.includes('NXDOMAIN')) return 'nxdomain';
  if (rcodes.includes('SERVFAIL')) return 'servfail';
  if (rcodes.includes('REFUSED')) return 'refused';
  if (rcodes.includes('NOERROR')) return 'nodata';
  return 'error';
}
