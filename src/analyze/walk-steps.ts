import type { Transaction } from '../model.js';
import { RETRY_MIN_GAP_US } from './analysis-limits.js';
import { endsSearchList } from './rcode-rules.js';
import { sameSendElsewhere } from './same-send-elsewhere.js';
import { BARE, type OpenLookup, type Step, answeredStepOf, hasType } from './open-lookup.js';

// Which step of an open lookup a query would take, read from the lookup's steps alone.

/**
 * Whether `tx` (name at walk position `pos`) can belong to lookup `l`: another query type of a step
 * (single-request sends the AAAA after the A answer), or the next step of a walk that is still
 * going. A question already asked in this lookup is a new lookup, unless the pairer linked it as a
 * retry (handled before this) or it went to another nameserver alongside the first send (musl).
 * Gives the step of `l` named `name` (undefined: a new step), or null
 * when `l` cannot take `tx`, so that the caller need not look for the step again.
 */
export function acceptingStep(l: OpenLookup, name: string, pos: number, tx: Transaction, searchLength: number, nowUs: number): Step | undefined | null {
  // Most lookups a query is compared with are done and answered: one name comparison rules them out
  // (a lookup has one step per name).
  const answered = answeredStepOf(l);
  if (answered) return answered.name === name && (!hasType(answered, tx.type) || sentAlongside(answered.txs, tx)) ? answered : null;
  const step = stepNamed(l, name);
  if (step) return hasType(step, tx.type) && !sentAlongside(step.txs, tx) ? null : step;
  if (pos === BARE) return !l.bareSeen && (l.steps.length === 0 || reachedAsWritten(l, searchLength, nowUs)) ? undefined : null;
  if (l.bareSeen && !l.bareFirst) return null;
  return pos > l.walkPos ? undefined : null;
}

/**
 * A walk that began with the suffixes reaches the name as written only after the last suffix, or
 * at once after a step that timed out, or one answered REFUSED (or any rcode but NXDOMAIN, NOERROR
 * and SERVFAIL): glibc abandons the rest of the list then (fixtures/refused.pcap). A bare query
 * before that, for the same name, is another lookup (another thread, with a trailing dot).
 */
function reachedAsWritten(l: OpenLookup, searchLength: number, nowUs: number): boolean {
  if (l.walkPos >= searchLength - 1) return true;
  const txs = l.steps[l.steps.length - 1].txs;
  let timedOut = true;
  for (let i = 0; i < txs.length; i++) {
    if (endsSearchList(txs[i].rcode)) return true;
    if (txs[i].responseFrame !== null || nowUs - (txs[i].lastSendUs as number) < RETRY_MIN_GAP_US) timedOut = false;
  }
  return timedOut;
}

/**
 * Whether `tx` is a query of `txs` sent to another server at once: the same socket, id and
 * question within COPY_WINDOW_US, which the pairer reads as a copy unless the capture saw one
 * interface only (musl asks every nameserver at once).
 */
function sentAlongside(txs: readonly Transaction[], tx: Transaction): boolean {
  for (let i = 0; i < txs.length; i++) if (sameSendElsewhere(txs[i], tx)) return true;
  return false;
}


/** Whether a transaction of `txs` left from `client` (a loop: a closure would be allocated per call). */
export function hasClient(txs: readonly Transaction[], client: string): boolean {
  for (let i = 0; i < txs.length; i++) if (txs[i].client === client) return true;
  return false;
}

/** The lookup's transaction sent in `frame` with query type `type` (see AttemptTransaction). */
export function transactionIn(steps: readonly Step[], frame: number, type: string): Transaction | undefined {
  for (const s of steps) for (const t of s.txs) if (t.queryFrame === frame && t.type === type) return t;
  return undefined;
}

/** The step of `l` for `name`, if it has one (a lookup has one step per name). */
export function stepNamed(l: OpenLookup, name: string): Step | undefined {
  const steps = l.steps;
  for (let i = 0; i < steps.length; i++) if (steps[i].name === name) return steps[i];
  return undefined;
}
