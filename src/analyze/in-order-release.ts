/**
 * Transactions that settled while an older one was still open, waiting to be written in report
 * order. A query lost for glibc's 5 s timeout holds back everything after it for about 6 s: the
 * generated benchmark capture (12,800 transactions a second) holds about 80,000 at a time, some
 * 40 MB (a settled transaction is about 500 bytes). A query resent without end would hold back
 * the rest of the capture: past this many, the oldest waiting one is written anyway and the
 * report says its order is approximate.
 */
export const MAX_HELD_TRANSACTIONS = 100_000;

/**
 * The same for lookups, about 1.8 kB each (their attempts): the benchmark capture holds 12,000 to
 * 18,000 at a time behind its lost queries.
 */
export const MAX_HELD_LOOKUPS = 40_000;

/**
 * Puts items that arrive out of order back in order, by (key, tie, arrival), with a binary heap:
 * the analysis hands over each transaction as it settles and each lookup as it closes, and says
 * how far it is sure nothing still open (or not seen yet) can sort before (`releaseBelow`). The
 * heap holds only what waits behind something still open, never the whole capture.
 */
export class InOrderRelease<T> {
  // The heap in parallel arrays (numbers unboxed), not one small object per item: tens of
  // thousands of items wait behind a lost query on a busy capture.
  private readonly keys: number[] = [];
  private readonly ties: number[] = [];
  /** Arrival order: items of equal key and tie leave in the order they came, as a stable sort would. */
  private readonly seqs: number[] = [];
  private readonly items: T[] = [];
  private seq = 0;
  private lastKey = -Infinity;
  private lastTie = -Infinity;
  /** Items released before one that sorts before them: the written order is approximate. */
  outOfOrder = 0;
  /** Items released early because more than `cap` were waiting. */
  forced = 0;
  /** True when an item came in since the last `releaseBelow`: only then can the bound have moved. */
  changed = false;

  constructor(
    private readonly release: (item: T) => void,
    private readonly cap: number,
  ) {}

  get size(): number {
    return this.items.length;
  }

  hold(item: T, key: number, tie: number): void {
    this.keys.push(key);
    this.ties.push(tie);
    this.seqs.push(this.seq++);
    this.items.push(item);
    this.up(this.items.length - 1);
    this.changed = true;
    if (this.items.length > this.cap) {
      this.forced++;
      this.pop();
    }
  }

  /** Releases, in order, every item whose key is below `bound`. */
  releaseBelow(bound: number): void {
    this.changed = false;
    while (this.items.length > 0 && this.keys[0] < bound) this.pop();
  }

  /** Nothing more will come: releases everything, in order. */
  releaseAll(): void {
    this.changed = false;
    while (this.items.length > 0) this.pop();
  }

  private pop(): void {
    const { keys, ties, seqs, items } = this;
    const key = keys[0];
    const tie = ties[0];
    const item = items[0];
    const last = items.length - 1;
    this.move(last, 0);
    keys.pop();
    ties.pop();
    seqs.pop();
    items.pop();
    if (items.length > 1) this.down(0);
    if (key < this.lastKey || (key === this.lastKey && tie < this.lastTie)) this.outOfOrder++;
    else {
      this.lastKey = key;
      this.lastTie = tie;
    }
    this.release(item);
  }

  /** Whether the item at `i` goes before the one at `j`. */
  private before(i: number, j: number): boolean {
    const { keys, ties } = this;
    return keys[i] !== keys[j] ? keys[i] < keys[j] : ties[i] !== ties[j] ? ties[i] < ties[j] : this.seqs[i] < this.seqs[j];
  }

  private move(from: number, to: number): void {
    this.keys[to] = this.keys[from];
    this.ties[to] = this.ties[from];
    this.seqs[to] = this.seqs[from];
    this.items[to] = this.items[from];
  }

  private swap(i: number, j: number): void {
    swapIn(this.keys, i, j);
    swapIn(this.ties, i, j);
    swapIn(this.seqs, i, j);
    swapIn(this.items, i, j);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) return;
      if (child + 1 < n && this.before(child + 1, child)) child++;
      if (!this.before(child, i)) return;
      this.swap(i, child);
      i = child;
    }
  }
}

function swapIn<V>(a: V[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
