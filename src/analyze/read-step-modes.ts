import type { AaaaMode, Transaction } from '../model.js';
import { RETRY_MIN_GAP_US } from './analysis-limits.js';
import { type OpenLookup, TYPE_A, TYPE_AAAA } from './open-lookup.js';

/**
 * How the A and AAAA of each step left, for the resolver profile: the second after the first was
 * answered (or given up) on another socket (single-request-reopen), overlapping (glibc's default
 * on one socket, Go's resolver on two), one after the other on one socket (single-request, or the
 * default when the A answer was quick), or A only.
 */
export function readStepModes(l: OpenLookup, out: AaaaMode[]): number {
  // Written to out[0], out[1], ...: the caller keeps one list for every lookup, never shortened
  // (a new list, or an emptied one, costs an array of 17 slots a lookup for a step or three).
  let n = 0;
  let aOnly: boolean | null = null;
  for (let i = 0; i < l.steps.length; i++) {
    const s = l.steps[i];
    // A step without an A query gives no mode: its transactions need not be read.
    if ((s.typeMask & TYPE_A) === 0) continue;
    // The step's first query of each type that is no retry and went over UDP, in one pass.
    let a: Transaction | undefined;
    let aaaa: Transaction | undefined;
    const txs = s.txs;
    for (let j = 0; j < txs.length; j++) {
      const t = txs[j];
      if (t.retryOf !== null || t.transport !== 'udp') continue;
      if (t.type === 'A') a ??= t;
      else if (t.type === 'AAAA') aaaa ??= t;
    }
    if (a && !aaaa && (aOnly ??= onlyA(l))) out[n++] = 'a-only';
    if (!a || !aaaa) continue;
    const aFirst = (a.queryTimeUs as number) <= (aaaa.queryTimeUs as number);
    const first = aFirst ? a : aaaa;
    const second = aFirst ? aaaa : a;
    const secondUs = second.queryTimeUs as number;
    if (first.client !== second.client) {
      // An unanswered first query is given up on a timeout (a second at least) later.
      const overlapping = first.responseTimeUs === null ? secondUs - (first.queryTimeUs as number) < RETRY_MIN_GAP_US : secondUs < first.responseTimeUs;
      out[n++] = overlapping ? 'parallel' : 'serial-reopen';
    } else if (first.responseTimeUs === null || secondUs < first.responseTimeUs) out[n++] = 'parallel';
    else out[n++] = 'serial';
  }
  return n;
}

/** Every query of `l` is an A query (read from the steps' type bits, not their transactions). */
function onlyA(l: OpenLookup): boolean {
  for (const s of l.steps) if ((s.typeMask & TYPE_AAAA) !== 0 || s.otherTypes !== null) return false;
  return true;
}
