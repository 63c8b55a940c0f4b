import type { Lookup, LookupAttempt, WalkGroup } from '../model.js';
import { MAX_WALK_CLIENT_PAIRS, MAX_WALK_GROUPS } from './report-limits.js';
import { round3 } from './round3.js';

interface Group {
  g: WalkGroup;
  /** The attempts of the group's first lookup: what a lookup is compared with. */
  attempts: readonly LookupAttempt[];
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
  /**
   * Groups by name, compared attempt by attempt: a name takes a handful of walks, and comparing
   * the (shared) strings costs less than building a key of the whole walk for every lookup.
   */
  private readonly byName = new Map<string, Group[]>();
  private groups = 0;
  private clientPairs = 0;
  /** Lookups whose walk came past MAX_WALK_GROUPS distinct walks. */
  untracked = 0;
  /** Clients not counted because MAX_WALK_CLIENT_PAIRS was reached (client counts are then lower bounds). */
  uncountedClients = false;

  lookup(l: Lookup, index: number): void {
    let list = this.byName.get(l.name);
    let entry = list?.find((e) => e.g.outcome === l.outcome && sameAttempts(e.attempts, l.attempts));
    if (!entry) {
      if (this.groups >= MAX_WALK_GROUPS) {
        this.untracked++;
        return;
      }
      const steps = l.attempts.map((a) => `${a.name} ${a.type} ${a.rcode ?? 'no-answer'}`);
      const g: WalkGroup = { name: l.name, steps, outcome: l.outcome, lookups: 0, clients: 0, queries: 0, wastedQueries: 0, totalMs: 0, maxMs: 0, example: index };
      entry = { g, attempts: l.attempts, clients: new Set(), exampleMs: -1, example: l };
      if (list) list.push(entry);
      else this.byName.set(l.name, (list = [entry]));
      this.groups++;
    }
    const g = entry.g;
    g.lookups++;
    // A lookup's client is already a host: hostOf would cut an IPv6 address at its last colon.
    const client = l.client;
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
    const all = [...this.byName.values()].flat();
    const groups = all
      .map(({ g, clients }) => ({ ...g, clients: clients.size, totalMs: round3(g.totalMs) }))
      .sort((a, b) => b.wastedQueries - a.wastedQueries || b.lookups - a.lookups || b.totalMs - a.totalMs || a.example - b.example);
    return { groups, examples: new Map(all.map((e) => [e.g.example, e.example])) };
  }

  retained(): number {
    return this.groups * 2 + this.clientPairs;
  }
}

/** Same steps: name, type and answer of each attempt, in order (the rest may differ: frames, times). */
function sameAttempts(a: readonly LookupAttempt[], b: readonly LookupAttempt[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].name !== b[i].name || a[i].type !== b[i].type || a[i].rcode !== b[i].rcode) return false;
  }
  return true;
}

/** The groups of a whole list of lookups: a thin wrapper over WalkGrouping. */
export function groupIdenticalWalks(lookups: readonly Lookup[]): WalkGroup[] {
  const w = new WalkGrouping();
  lookups.forEach((l, index) => w.lookup(l, index));
  return w.finish().groups;
}
