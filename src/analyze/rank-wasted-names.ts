import type { Lookup, WastedName } from '../model.js';
import { MAX_REPORT_NAMES } from './report-limits.js';
import { round3 } from './round3.js';

/** Names as the application wrote them, ranked by the queries their search-path walks wasted; fed one lookup at a time. */
export class WastedNameRanking {
  private readonly byName = new Map<string, WastedName>();
  /** Walked lookups of names past MAX_REPORT_NAMES. */
  untracked = 0;

  lookup(l: Lookup): void {
    if (l.wastedQueries === 0) return;
    let w = this.byName.get(l.name);
    if (!w) {
      if (this.byName.size >= MAX_REPORT_NAMES) {
        this.untracked++;
        return;
      }
      this.byName.set(l.name, (w = { name: l.name, lookups: 0, queries: 0, wastedQueries: 0, wastedMs: 0 }));
    }
    w.lookups++;
    w.queries += l.queries;
    w.wastedQueries += l.wastedQueries;
    w.wastedMs += l.wastedMs;
  }

  finish(): WastedName[] {
    return [...this.byName.values()]
      .map((w) => ({ ...w, wastedMs: round3(w.wastedMs) }))
      .sort((a, b) => b.wastedQueries - a.wastedQueries || b.wastedMs - a.wastedMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  retained(): number {
    return this.byName.size;
  }
}

/** The ranking of a whole list of lookups: a thin wrapper over WastedNameRanking. */
export function rankWastedNames(lookups: readonly Lookup[]): WastedName[] {
  const r = new WastedNameRanking();
  for (const l of lookups) r.lookup(l);
  return r.finish();
}
