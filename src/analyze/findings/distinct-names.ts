import { MAX_REPORT_NAMES } from '../report-limits.js';

/**
 * Distinct names in the order first seen, for a sentence: the first few, then "and N more". At
 * most `limit` are kept; past it a new name cannot be told from one seen before, so the count
 * becomes a lower bound and the sentence says "at least".
 */
export class DistinctNames {
  private readonly names = new Set<string>();
  private overflowed = false;

  constructor(private readonly limit = MAX_REPORT_NAMES) {}

  add(name: string): void {
    if (this.names.has(name)) return;
    if (this.names.size < this.limit) this.names.add(name);
    else this.overflowed = true;
  }

  /** Distinct names seen (a lower bound once past the limit). */
  get size(): number {
    return this.names.size;
  }

  get complete(): boolean {
    return !this.overflowed;
  }

  /** In the order first seen. */
  values(): string[] {
    return [...this.names];
  }

  /** "a, b, c, d, e and 3 more" (the first `max`). */
  list(max = 5): string {
    return listNames(this.values(), max, this.overflowed);
  }
}

/** Names for a sentence: the first few, then "and N more" ("at least" when `partial`). */
function listNames(names: readonly string[], max = 5, partial = false): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${partial ? 'at least ' : ''}${names.length - max} more` : shown;
}
