import type { Lookup, WalkGroup } from '../../../src/model.js';
import { hostOf } from '../../../src/host-of-endpoint.js';
import { round3 } from '../../../src/analyze/round3.js';

/**
 * Lookups that took the same walk: same name, same attempts (name, type, answer) in the same
 * order, same outcome. A pod that resolves one name every second makes thousands of identical
 * walks; a report shows them as one row with a count, never as thousands of rows.
 */
export function groupIdenticalWalks(lookups: readonly Lookup[]): WalkGroup[] {
  const groups = new Map<string, { g: WalkGroup; clients: Set<string>; exampleMs: number }>();
  lookups.forEach((l, index) => {
    const steps = l.attempts.map((a) => `${a.name} ${a.type} ${a.rcode ?? 'no-answer'}`);
    const key = `${l.name}\n${l.outcome}\n${steps.join('\n')}`;
    let entry = groups.get(key);
    if (!entry) {
      const g: WalkGroup = { name: l.name, steps, outcome: l.outcome, lookups: 0, clients: 0, queries: 0, wastedQueries: 0, totalMs: 0, maxMs: 0, example: index };
      groups.set(key, (entry = { g, clients: new Set(), exampleMs: -1 }));
    }
    const g = entry.g;
    g.lookups++;
    entry.clients.add(hostOf(l.client));
    g.queries += l.queries;
    g.wastedQueries += l.wastedQueries;
    g.totalMs += l.elapsedMs;
    if (l.elapsedMs > entry.exampleMs) {
      entry.exampleMs = l.elapsedMs;
      g.example = index;
    }
    g.maxMs = Math.max(g.maxMs, l.elapsedMs);
  });
  return [...groups.values()]
    .map(({ g, clients }) => ({ ...g, clients: clients.size, totalMs: round3(g.totalMs) }))
    .sort((a, b) => b.wastedQueries - a.wastedQueries || b.lookups - a.lookups || b.totalMs - a.totalMs || a.example - b.example);
}
