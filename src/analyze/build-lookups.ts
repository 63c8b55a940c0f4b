import type { Lookup, LookupAttempt, LookupKind, LookupOutcome, ResolverProfile, Transaction } from '../model.js';
import { round3 } from './pair-transactions.js';
import { hostOf } from './endpoints.js';

export interface LookupOptions {
  timeoutMs: number;
}

/** One search step: the name tried (base + one suffix, or the base as written). */
interface Step {
  name: string;
  /** Index in the search list, or -1 for the name as written. */
  suffixIndex: number;
  txs: Transaction[];
}

interface OpenLookup {
  client: string;
  base: string;
  steps: Step[];
  /** A step got a positive answer: only the other query types of that step may still join. */
  answeredStep: Step | null;
  lastActivityUs: number;
}

const BARE = -1;

/**
 * Rebuilds what the application asked from the resolver's walk. A lookup is a client's run of
 * attempts for one base name: `base.s1`, `base.s2`, ..., `base` (ndots below the name's dots puts
 * the bare name first). Attempts of concurrent lookups interleave, so an attempt joins the open
 * lookup of its own base name, not the previous attempt.
 */
export function buildLookups(transactions: readonly Transaction[], profiles: readonly ResolverProfile[], opts: LookupOptions): Lookup[] {
  const searchLists = new Map(profiles.map((p) => [p.client, p.searchList]));
  const queries = transactions
    .filter((t) => t.queryFrame !== null && t.name !== null && t.queryTimeUs !== null)
    .sort((a, b) => (a.queryTimeUs as number) - (b.queryTimeUs as number) || (a.queryFrame as number) - (b.queryFrame as number));
  const open = new Map<string, OpenLookup[]>();
  const finished: OpenLookup[] = [];
  const joinWindowUs = (opts.timeoutMs + 1000) * 1000;

  for (const tx of queries) {
    const client = hostOf(tx.client);
    const name = tx.name as string;
    const t = tx.queryTimeUs as number;
    const search = searchLists.get(client) ?? [];
    const candidates = decompositions(name, search);
    let joined = false;
    for (const c of candidates) {
      const key = `${client} ${c.base}`;
      const list = open.get(key);
      const lookup = list?.find((l) => t - l.lastActivityUs <= joinWindowUs && accepts(l, name, tx));
      if (!lookup) continue;
      addAttempt(lookup, name, c.suffixIndex, tx);
      joined = true;
      break;
    }
    if (joined) continue;
    // A new lookup: glibc and dig start a walk at the first suffix, so only a name carrying the
    // first suffix is read as expanded; anything else is the name as the application wrote it.
    const first = candidates.find((c) => c.suffixIndex === 0) ?? { base: name, suffixIndex: BARE };
    const lookup: OpenLookup = { client, base: first.base, steps: [], answeredStep: null, lastActivityUs: t };
    addAttempt(lookup, name, first.suffixIndex, tx);
    const key = `${client} ${first.base}`;
    const list = open.get(key);
    if (list) list.push(lookup);
    else open.set(key, [lookup]);
    finished.push(lookup);
  }
  return finished.map((l) => summarise(l, searchLists.get(l.client) ?? [], opts)).sort((a, b) => a.startUs - b.startUs);
}

/** Every way to read `name` as base + search suffix, plus the name as written. */
function decompositions(name: string, search: readonly string[]): { base: string; suffixIndex: number }[] {
  const out: { base: string; suffixIndex: number }[] = [];
  search.forEach((s, i) => {
    if (name.length > s.length + 1 && name.endsWith(`.${s}`)) out.push({ base: name.slice(0, -s.length - 1), suffixIndex: i });
  });
  out.push({ base: name, suffixIndex: BARE });
  return out;
}

function accepts(l: OpenLookup, name: string, tx: Transaction): boolean {
  const step = l.steps.find((s) => s.name === name);
  if (l.answeredStep) return step === l.answeredStep && !step.txs.some((t) => t.type === tx.type);
  if (!step) return true;
  const sameType = step.txs.filter((t) => t.type === tx.type);
  // A new id for a question still unanswered is a client retry (dig); an answered one asked
  // again is a new lookup by the application.
  return sameType.length === 0 || sameType.every((t) => t.responseFrame === null || t.status === 'truncated-retried-tcp');
}

function addAttempt(l: OpenLookup, name: string, suffixIndex: number, tx: Transaction): void {
  let step = l.steps.find((s) => s.name === name);
  if (!step) {
    step = { name, suffixIndex, txs: [] };
    l.steps.push(step);
  }
  step.txs.push(tx);
  const last = Math.max(tx.queryTimeUs ?? 0, tx.responseTimeUs ?? 0);
  l.lastActivityUs = Math.max(l.lastActivityUs, last);
  if (isPositive(tx)) l.answeredStep = step;
}

function isPositive(tx: Transaction): boolean {
  return tx.rcode === 'NOERROR' && (tx.answers.length > 0 || tx.answerCount > 0) && tx.status !== 'truncated-retried-tcp';
}

function queriesOf(tx: Transaction): number {
  return (tx.queryFrame !== null ? 1 : 0) + tx.retransmissionFrames.length;
}

function summarise(l: OpenLookup, search: readonly string[], opts: LookupOptions): Lookup {
  const txs = l.steps.flatMap((s) => s.txs);
  const answered = l.answeredStep;
  const finalStep = answered ?? l.steps.find((s) => s.suffixIndex === BARE) ?? l.steps[l.steps.length - 1];
  const suffixOf = (s: Step) => (s.suffixIndex === BARE ? null : search[s.suffixIndex]);
  const attempts: LookupAttempt[] = l.steps
    .flatMap((s) => s.txs.map((tx) => ({ s, tx })))
    .sort((a, b) => (a.tx.queryTimeUs as number) - (b.tx.queryTimeUs as number))
    .map(({ s, tx }) => ({
      name: s.name,
      type: tx.type as string,
      rcode: tx.rcode,
      suffix: suffixOf(s),
      latencyMs: tx.latencyMs,
      queryFrame: tx.queryFrame,
      responseFrame: tx.responseFrame,
      wasted: s !== finalStep,
    }));
  const queries = txs.reduce((n, tx) => n + queriesOf(tx), 0);
  const wastedQueries = l.steps.filter((s) => s !== finalStep).reduce((n, s) => n + s.txs.reduce((m, tx) => m + queriesOf(tx), 0), 0);
  const startUs = Math.min(...txs.map((t) => t.queryTimeUs as number));
  const endUs = Math.max(...txs.map((t) => t.responseTimeUs ?? lastSendUs(t)));
  const finalStartUs = Math.min(...finalStep.txs.map((t) => t.queryTimeUs as number));
  const finalEndUs = Math.max(...finalStep.txs.map((t) => t.responseTimeUs ?? lastSendUs(t)));
  const answerRecords = answered ? answered.txs.flatMap((t) => t.answers) : [];
  const cname = answerRecords.find((r) => r.type === 'CNAME')?.data ?? null;
  const addresses = [...new Set(answerRecords.filter((r) => r.type === 'A' || r.type === 'AAAA').map((r) => r.data))];
  const outcome = answered ? 'answered' : outcomeOf(finalStep);
  const types = [...new Set(txs.map((t) => t.type as string))];
  const fqdnMs = finalStep.txs.every((t) => t.responseTimeUs !== null) ? round3((finalEndUs - finalStartUs) / 1000) : null;
  return {
    client: l.client,
    name: l.base,
    types,
    attempts,
    queries,
    wastedQueries,
    answeredName: answered ? answered.name : null,
    suffix: answered ? suffixOf(answered) : null,
    outcome,
    kind: kindOf(l, answered, wastedQueries, cname),
    cname,
    addresses,
    elapsedMs: round3((endUs - startUs) / 1000),
    wastedMs: round3((finalStartUs - startUs) / 1000),
    fqdnQueries: types.length,
    fqdnMs,
    firstFrame: Math.min(...txs.map((t) => t.queryFrame as number)),
    lastFrame: Math.max(...txs.map((t) => Math.max(t.responseFrame ?? 0, t.queryFrame ?? 0, ...t.retransmissionFrames))),
    startUs,
  };
}

function lastSendUs(t: Transaction): number {
  return t.queryTimeUs as number;
}

function outcomeOf(step: Step): LookupOutcome {
  const rcodes = step.txs.map((t) => t.rcode);
  if (rcodes.every((r) => r === null)) return 'timeout';
  if (rcodes.includes('NXDOMAIN')) return 'nxdomain';
  if (rcodes.includes('SERVFAIL')) return 'servfail';
  if (rcodes.includes('REFUSED')) return 'refused';
  if (rcodes.includes('NOERROR')) return 'nodata';
  return 'error';
}

/**
 * An ExternalName Service answers `<svc>.<ns>.svc.<zone>` with a CNAME to an arbitrary external
 * name; CoreDNS autopath answers the first suffix with a CNAME to the name minus that suffix.
 */
function kindOf(l: OpenLookup, answered: Step | null, wasted: number, cname: string | null): LookupKind {
  if (wasted > 0) return 'search-expansion';
  if (!answered || !cname) return 'direct';
  if (answered.suffixIndex === 0 && cname === l.base) return 'autopath';
  const service = /^[^.]+\.[^.]+\.svc\.(.+)$/.exec(answered.name);
  if (service && !cname.endsWith(`.${service[1]}`) && cname !== service[1]) return 'externalname';
  return 'cname';
}
