import type { Lookup, WalkGroup } from '../model.js';
import { hostOf } from './endpoints.js';
import { MAX_WALK_CLIENT_PAIRS, MAX_WALK_GROUPS } from './report-limits.js';
import { round3 } from './round3.js';

interface Group {
  g: WalkGroup;
  clients: Set<string>;
  exampleMs: number;
  /** The lookup at `g.example`: the report shows it, so it is the one lookup a group keeps. */
  example: Lookup;
}

/**
 * Lookups that took the same walk: same name, same attempts (name, type, answer) in the same
 * order, same outcome. A pod that resolves one name every second makes thousands of identical
 * walks; a report shows them as one row with a count, never as thousands of rows. Fed one
 * lookup at a time; each group keeps its counters, its clients and its current example.
 */
export class WalkGrouping {
  private readonly groups = new Map<string, Group>();
  private clientPairs = 0;
  /** Lookups whose walk came past MAX_WALK_GROUPS distinct walks. */
  untracked = 0;
  /** Clients not counted because MAX_WALK_CLIENT_PAIRS was reached (client counts are then lower bounds). */
  uncountedClients = false;

  lookup(l: Lookup, index: number): void {
    const steps = l.attempts.map((a) => `${a.name} ${a.type} ${a.rcode ?? 'no-answer'}`);
    const key = `${l.name}\n${l.outcome}\n${steps.join('\n')}`;
    let entry = this.groups.get(key);
    if (!entry) {
      if (this.groups.size >= MAX_WALK_GROUPS) {
        this.untracked++;
        return;
      }
      const g: WalkGroup = { name: l.name, steps, outcome: l.outcome, lookups: 0, clients: 0, queries: 0, wastedQueries: 0, totalMs: 0, maxMs: 0, example: index };
      this.groups.set(key, (entry = { g, clients: new Set(), exampleMs: -1, example: l }));
    }
    const g = entry.g;
    g.lookups++;
    const client = hostOf(l.client);
    if (!entry.clients.has(client)) {
      if (this.clientPairs < MAX_WALK_CLIENT_PAIRS) {
        entry.clients.add(client);
        this.clientPairs++;
      } else this.uncountedClients = true;
    }
    g.queries += l.queries;
    g.wastedQueries += l.wastedQueries;
    g.totalMs += l.elapsedMs;
    if (l.elapsedMs > entry.exampleMs) {
      entry.exampleMs = l.elapsedMs;
      g.example = index;
      entry.example = l;
    }
    g.maxMs = Math.max(g.maxMs, l.elapsedMs);
  }

  /** The groups, most wasteful first, and the example lookup of each by its index. */
  finish(): { groups: WalkGroup[]; examples: Map<number, Lookup> } {
    const groups = [...this.groups.values()]
      .map(({ g, clients }) => ({ ...g, clients: clients.size, totalMs: round3(g.totalMs) }))
      .sort((a, b) => b.wastedQueries - a.wastedQueries || b.lookups - a.lookups || b.totalMs - a.totalMs || a.example - b.example);
    return { groups, examples: new Map([...this.groups.values()].map((e) => [e.g.example, e.example])) };
  }

  retained(): number {
    return this.groups.size * 2 + this.clientPairs;
  }
}

/** The groups of a whole list of lookups: a thin wrapper over WalkGrouping. */
export function groupIdenticalWalks(lookups: readonly Lookup[]): WalkGroup[] {
  const w = new WalkGrouping();
  lookups.forEach((l, index) => w.lookup(l, index));
  return w.finish().groups;
}
