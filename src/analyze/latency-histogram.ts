import { MAX_LATENCY_VALUES } from './report-limits.js';

/**
 * Latencies as counts per distinct value, for exact nearest-rank percentiles (the value of a real
 * transaction, see pickNearestRank) in memory bounded by the distinct values rather than the
 * transactions: latencies are rounded to the microsecond, and a server's answers take a few
 * thousand distinct values however many there are.
 *
 * Past its budget (LatencyBudget) a histogram is coarsened: values fall into buckets of 2, then
 * 4, 8, ... µs, each remembering its largest value. A percentile is then the largest latency of
 * the bucket that holds its rank: still a real transaction's latency, at most one bucket width
 * (`precisionUs`) above the exact answer.
 */
export class LatencyHistogram {
  /** Exact: latency in whole µs → count. Coarse: bucket index → count. */
  private counts = new Map<number, number>();
  /**
   * Exact only, when given (see LatencyBudget): the counts of latencies under DENSE_US, by µs.
   * Most answers take under a few milliseconds, and a look-up in a map of thousands of values
   * missed the cache on every transaction; an array indexed by the latency does not hash.
   */
  private dense: Int32Array | null;
  /** Non-zero counts in `dense`. */
  private denseDistinct = 0;
  /**
   * Exact only: latencies that are not a whole number of µs (ms → count). The analysis rounds
   * every latency to the µs, so this stays empty; integer keys keep the common case fast.
   */
  private odd: Map<number, number> | null = null;
  /** Coarse only: bucket index → the largest latency (ms) that fell in it. */
  private tops: Map<number, number> | null = null;
  /** Bucket width in µs; 0 while exact. */
  private widthUs = 0;
  /** Values added. */
  total = 0;

  constructor(
    private readonly budget: LatencyBudget | null = null,
    dense = true,
  ) {
    this.dense = dense ? new Int32Array(DENSE_US) : null;
  }

  add(ms: number): void {
    this.total++;
    const us = Math.round(ms * 1000);
    if (this.tops === null) {
      if (us / 1000 !== ms) return this.addOdd(ms);
      const dense = this.dense;
      if (dense !== null && us >= 0 && us < DENSE_US) {
        if (dense[us]++ !== 0) return;
        this.denseDistinct++;
        return void this.budget?.grew();
      }
      const n = this.counts.get(us);
      if (n !== undefined) return void this.counts.set(us, n + 1);
      this.counts.set(us, 1);
    } else {
      const key = Math.floor(us / this.widthUs);
      const n = this.counts.get(key);
      if (n !== undefined) {
        this.counts.set(key, n + 1);
        if (ms > (this.tops.get(key) as number)) this.tops.set(key, ms);
        return;
      }
      this.counts.set(key, 1);
      this.tops.set(key, ms);
    }
    this.budget?.grew();
  }

  /** Distinct values (or buckets) held. */
  get distinct(): number {
    return this.counts.size + this.denseDistinct + (this.odd?.size ?? 0);
  }

  /** 0 while exact, else the bucket width in µs a percentile may be above the exact one. */
  get precisionUs(): number {
    return this.widthUs;
  }

  /** Halves the number of buckets (about): doubles their width. Returns how many fewer it holds. */
  coarsen(): number {
    const before = this.distinct;
    const counts = new Map<number, number>();
    const tops = new Map<number, number>();
    const merge = (key: number, n: number, top: number): void => {
      counts.set(key, (counts.get(key) ?? 0) + n);
      const t = tops.get(key);
      if (t === undefined || top > t) tops.set(key, top);
    };
    if (this.tops === null) {
      this.widthUs = 2;
      // (The order of merging does not matter: counts add up and tops keep the largest.)
      const dense = this.dense;
      if (dense !== null) for (let us = 0; us < DENSE_US; us++) if (dense[us] !== 0) merge(Math.floor(us / 2), dense[us], us / 1000);
      this.dense = null;
      this.denseDistinct = 0;
      for (const [us, n] of this.counts) merge(Math.floor(us / 2), n, us / 1000);
      for (const [ms, n] of this.odd ?? []) merge(Math.floor(Math.round(ms * 1000) / 2), n, ms);
      this.odd = null;
    } else {
      this.widthUs *= 2;
      for (const [key, n] of this.counts) merge(Math.floor(key / 2), n, this.tops.get(key) as number);
    }
    this.counts = counts;
    this.tops = tops;
    return before - counts.size;
  }

  private addOdd(ms: number): void {
    this.odd ??= new Map();
    const n = this.odd.get(ms);
    if (n !== undefined) return void this.odd.set(ms, n + 1);
    this.odd.set(ms, 1);
    this.budget?.grew();
  }

  /** Nearest-rank percentiles (each the ceil(p/100 × n)-th value), null when empty. */
  percentiles(ps: readonly number[]): (number | null)[] {
    if (this.total === 0) return ps.map(() => null);
    // Ascending [latency ms, count]: a coarse bucket stands for its largest latency.
    const tops = this.tops;
    const values: [number, number][] = [...this.counts].map(([key, n]) => [tops === null ? key / 1000 : (tops.get(key) as number), n]);
    const dense = this.dense;
    if (dense !== null) for (let us = 0; us < DENSE_US; us++) if (dense[us] !== 0) values.push([us / 1000, dense[us]]);
    if (this.odd) values.push(...this.odd);
    values.sort((a, b) => a[0] - b[0]);
    return ps.map((p) => {
      const rank = Math.max(1, Math.ceil((p / 100) * this.total));
      let seen = 0;
      for (const [ms, n] of values) {
        seen += n;
        if (seen >= rank) return ms;
      }
      return null;
    });
  }
}

/** Latencies under this many µs are counted in an array (16 KiB) rather than a map. */
const DENSE_US = 4096;
/** Histograms of one budget with such an array. */
const DENSE_HISTOGRAMS = 64;

/**
 * The distinct values all histograms of one table may hold together (MAX_LATENCY_VALUES). When
 * they would hold more, the one holding most is coarsened: a server with a few answers stays
 * exact while a busy one with scattered latencies gives up microseconds.
 */
export class LatencyBudget {
  private readonly histograms: LatencyHistogram[] = [];
  private distinct = 0;

  constructor(private readonly max = MAX_LATENCY_VALUES) {}

  histogram(): LatencyHistogram {
    // The first servers get a dense array (a node's pods ask a handful): bounded memory however
    // many servers a capture shows.
    const h = new LatencyHistogram(this, this.histograms.length < DENSE_HISTOGRAMS);
    this.histograms.push(h);
    return h;
  }

  /** A histogram of this budget took a new distinct value. */
  grew(): void {
    if (++this.distinct <= this.max) return;
    while (this.distinct > this.max) {
      let biggest = this.histograms[0];
      for (const h of this.histograms) if (h.distinct > biggest.distinct) biggest = h;
      // One bucket per histogram and still too many: more servers than values (MAX_REPORT_SERVERS prevents it).
      if (biggest.distinct <= 1) return;
      this.distinct -= biggest.coarsen();
    }
  }

  /** Distinct values held by all histograms together. */
  get size(): number {
    return this.distinct;
  }
}
