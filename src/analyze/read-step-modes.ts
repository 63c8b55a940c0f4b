import type { AaaaMode } from '../model.js';
import type { OpenLookup } from './summarise-lookup.js';

/**
 * How the A and AAAA of each step left, for the resolver profile: on two sockets
 * (single-request-reopen), overlapping on one (the default), one after the other (single-request,
 * or the default when the A answer was quick), or A only.
 */
export function readStepModes(l: OpenLookup): AaaaMode[] {
  const out: AaaaMode[] = [];
  for (const s of l.steps) {
    const a = s.txs.find((t) => t.type === 'A' && t.retryOf === null && t.transport === 'udp');
    const aaaa = s.txs.find((t) => t.type === 'AAAA' && t.retryOf === null && t.transport === 'udp');
    if (a && !aaaa && l.steps.every((x) => x.txs.every((t) => t.type === 'A'))) out.push('a-only');
    if (!a || !aaaa) continue;
    const [first, second] = (a.queryTimeUs as number) <= (aaaa.queryTimeUs as number) ? [a, aaaa] : [aaaa, a];
    if (first.client !== second.client) out.push('serial-reopen');
    else if (first.responseTimeUs === null || (second.queryTimeUs as number) < first.responseTimeUs) out.push('parallel');
    else out.push('serial');
  }
  return out;
}
