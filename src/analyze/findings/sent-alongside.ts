import type { Lookup, Transaction } from '../../model.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { earlierSendElsewhere } from '../same-send-elsewhere.js';

/**
 * How many of a lookup's queries were sent to another server at once alongside an earlier one
 * (musl asks every nameserver together): its queries beyond its distinct questions and its
 * retries, as summariseLookup counts them. One comparison of names and types per pair of
 * attempts, so detectors can skip every other lookup before reading a transaction.
 */
export function sentAlongsideCount(l: Lookup): number {
  // Two detectors ask of each lookup, one after the other.
  if (l === lastLookup) return lastCount;
  lastLookup = l;
  lastCount = countSentAlongside(l);
  return lastCount;
}

let lastLookup: Lookup | null = null;
let lastCount = 0;

function countSentAlongside(l: Lookup): number {
  const attempts = l.attempts;
  let questions = 0;
  for (let j = 0; j < attempts.length; j++) {
    let seen = false;
    for (let i = 0; i < j && !seen; i++) seen = attempts[i].name === attempts[j].name && attempts[i].type === attempts[j].type;
    if (!seen) questions++;
  }
  return l.queries - l.retries - questions;
}

/**
 * Calls `visit(first, copy)` for each query of the lookup sent to another server at once
 * alongside an earlier one of its queries (see sameSendElsewhere), in the order of its attempts:
 * with the first such query (each copy once), or with `everyPair` with each of them.
 */
export function forEachSentAlongside(l: Lookup, attemptTx: AttemptTransaction, visit: (first: Transaction, copy: Transaction) => void, everyPair = false): void {
  const txs: Transaction[] = [];
  for (const a of l.attempts) {
    const tx = a.queryFrame === null ? undefined : attemptTx(a.queryFrame, a.type);
    if (tx !== undefined) txs.push(tx);
  }
  for (let j = 1; j < txs.length; j++) {
    for (let i = earlierSendElsewhere(txs, j); i >= 0; i = everyPair ? earlierSendElsewhere(txs, j, i + 1) : -1) visit(txs[i], txs[j]);
  }
}
