import type { AaaaMode, Transaction } from '../model.js';
import type { OpenLookup, Step } from './open-lookup.js';

/**
 * How the A and AAAA of each step left, for the resolver profile: on two sockets
 * (single-request-reopen), overlapping on one (the default), one after the other (single-request,
 * or the default when the A answer was quick), or A only.
 */
export function readStepModes(l: OpenLookup, out: AaaaMode[]): number {
  // Written to out[0], out[1], ...: the caller keeps one list for every lookup, never shortened
  // (a new list, or an emptied one, costs an array of 17 slots a lookup for a step or three).
  let n = 0;
  let aOnly: boolean | null = null;
  for (let i = 0; i < l.steps.length; i++) {
    const s = l.steps[i];
    const a = firstUdpOfType(s, 'A');
    const aaaa = firstUdpOfType(s, 'AAAA');
    if (a && !aaaa && (aOnly ??= onlyA(l))) out[n++] = 'a-only';
    if (!a || !aaaa) continue;
    const aFirst = (a.queryTimeUs as number) <= (aaaa.queryTimeUs as number);
    const first = aFirst ? a : aaaa;
    const second = aFirst ? aaaa : a;
    if (first.client !== second.client) out[n++] = 'serial-reopen';
    else if (first.responseTimeUs === null || (second.queryTimeUs as number) < first.responseTimeUs) out[n++] = 'parallel';
    else out[n++] = 'serial';
  }
  return n;
}

/** The step's first query of `type` that is no retry and went over UDP. */
function firstUdpOfType(s: Step, type: string): Transaction | undefined {
  for (let i = 0; i < s.txs.length; i++) {
    const t = s.txs[i];
    if (t.type === type && t.retryOf === null && t.transport === 'udp') return t;
  }
  return undefined;
}

function onlyA(l: OpenLookup): boolean {
  for (const s of l.steps) for (const t of s.txs) if (t.type !== 'A') return false;
  return true;
}
