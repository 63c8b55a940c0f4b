import type { Lookup, WastedName } from '../../../src/model.js';
import { round3 } from '../../../src/analyze/round3.js';

/** Names as the application wrote them, ranked by the queries their search-path walks wasted. */
export function rankWastedNames(lookups: readonly Lookup[]): WastedName[] {
  const byName = new Map<string, WastedName>();
  for (const l of lookups) {
    if (l.wastedQueries === 0) continue;
    let w = byName.get(l.name);
    if (!w) byName.set(l.name, (w = { name: l.name, lookups: 0, queries: 0, wastedQueries: 0, wastedMs: 0 }));
    w.lookups++;
    w.queries += l.queries;
    w.wastedQueries += l.wastedQueries;
    w.wastedMs += l.wastedMs;
  }
  return [...byName.values()]
    .map((w) => ({ ...w, wastedMs: round3(w.wastedMs) }))
    .sort((a, b) => b.wastedQueries - a.wastedQueries || b.wastedMs - a.wastedMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
