import type { Lookup } from '../model.js';

/**
 * The `size` slowest lookups (by elapsedMs; among equals the one that came first), as lookups
 * stream by: a top-k that keeps only those lookups.
 */
export class SlowestLookups {
  /** Slowest first. */
  private readonly top: { ms: number; index: number; lookup: Lookup }[] = [];

  constructor(private readonly size: number) {}

  lookup(l: Lookup, index: number): void {
    const t = this.top;
    const ms = l.elapsedMs;
    if (t.length === this.size && !(ms > t[t.length - 1].ms || (ms === t[t.length - 1].ms && index < t[t.length - 1].index))) return;
    let at = t.length;
    while (at > 0 && (ms > t[at - 1].ms || (ms === t[at - 1].ms && index < t[at - 1].index))) at--;
    t.splice(at, 0, { ms, index, lookup: l });
    if (t.length > this.size) t.pop();
  }

  /** Slowest first. */
  finish(): { index: number; lookup: Lookup }[] {
    return this.top.map(({ index, lookup }) => ({ index, lookup }));
  }

  retained(): number {
    return this.top.length;
  }
}
