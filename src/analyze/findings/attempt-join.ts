import type { Lookup, Transaction } from '../../model.js';
import { MAX_JOIN_WINDOW } from '../report-limits.js';

interface Held<T> {
  frame: number;
  timeUs: number;
  /** null: a later transaction with the same frame that the detector does not want (it hides the earlier one). */
  brief: T | null;
}

interface PendingLookup<T> {
  lookup: Lookup;
  found: Map<number, T>;
  /** The largest frame it waits for: complete once the transaction stream is past it. */
  lastFrame: number;
  /** A frame it needs fell out of the window (see MAX_JOIN_WINDOW). */
  incomplete: boolean;
}

/**
 * Meets the attempts of a lookup with their transactions (by query frame) without a map of every
 * transaction. The two streams come in report order each but drift apart, so both sides wait:
 * - a transaction that came first is held (as the detector's small brief of it) while a later
 *   lookup may still contain it, that is while its query time is not before the start of the
 *   last lookup seen: a lookup's attempts are never sent before it starts, and lookups come by
 *   start. At most MAX_JOIN_WINDOW are held; past it the oldest goes and is counted.
 * - a lookup that came first waits until the transaction stream is past its last frame.
 * Lookups are handed back in the order they came, each with a function giving the brief of an
 * attempt's transaction by query frame (the last transaction with that frame wins, as in a map
 * by frame; undefined when none).
 */
export class AttemptJoin<T> {
  private readonly window: Held<T>[] = [];
  private windowHead = 0;
  private readonly pending: PendingLookup<T>[] = [];
  private pendingHead = 0;
  private readonly claims = new Map<number, PendingLookup<T>[]>();
  private lookupStartUs = -Infinity;
  private lastKey = -Infinity;
  /** Frames that fell out of the window (all frames up to this one may be gone). */
  private droppedUpTo = -Infinity;
  /** Lookups handed back with a frame missing because it fell out of the window. */
  incomplete = 0;

  constructor(
    private readonly ready: (l: Lookup, briefOf: (frame: number) => T | undefined) => void,
    private readonly limit = MAX_JOIN_WINDOW,
  ) {}

  /** Every transaction in report order, with the detector's brief of it (null: not wanted). */
  transaction(tx: Transaction, brief: T | null): void {
    const frame = tx.queryFrame;
    if (frame !== null) {
      if (this.claims.size > 0) {
        const waiting = this.claims.get(frame);
        if (waiting) for (const p of waiting) brief !== null ? p.found.set(frame, brief) : p.found.delete(frame);
      }
      const w = this.window;
      const last = w.length > this.windowHead ? w[w.length - 1] : undefined;
      const wanted = brief !== null || last?.frame === frame;
      if (wanted && (tx.queryTimeUs as number) >= this.lookupStartUs) {
        w.push({ frame, timeUs: tx.queryTimeUs as number, brief });
        if (w.length - this.windowHead > this.limit) {
          this.droppedUpTo = w[this.windowHead++].frame;
          this.compact();
        }
      }
    }
    this.lastKey = tx.queryFrame ?? tx.responseFrame ?? 0;
    this.releasePending();
  }

  /** Every lookup in report order, with the query frames whose briefs it needs (null: none). */
  lookup(l: Lookup, frames: readonly number[] | null): void {
    if (l.startUs > this.lookupStartUs) {
      this.lookupStartUs = l.startUs;
      this.evictBefore(l.startUs);
    }
    if (frames === null || frames.length === 0) return;
    const p: PendingLookup<T> = { lookup: l, found: new Map(), lastFrame: Math.max(...frames), incomplete: false };
    for (const f of frames) {
      const held = this.find(f);
      if (held !== undefined) {
        if (held.brief !== null) p.found.set(f, held.brief);
      } else if (f <= this.droppedUpTo && f < this.lastKey) {
        p.incomplete = true;
      }
      if (f >= this.lastKey) {
        const list = this.claims.get(f);
        if (list) list.push(p);
        else this.claims.set(f, [p]);
      }
    }
    this.pending.push(p);
    this.releasePending();
  }

  /** Both streams ended. */
  finish(): void {
    this.lastKey = Infinity;
    this.releasePending();
  }

  retained(): number {
    return this.window.length - this.windowHead + this.pending.length - this.pendingHead + this.claims.size;
  }

  private evictBefore(startUs: number): void {
    const w = this.window;
    while (this.windowHead < w.length && w[this.windowHead].timeUs < startUs) this.windowHead++;
    this.compact();
  }

  /** Lets go of the entries before the head (in bulk: shifting one by one would copy the window each time). */
  private compact(): void {
    const w = this.window;
    if (this.windowHead === w.length) {
      w.length = 0;
      this.windowHead = 0;
    } else if (this.windowHead >= 1024 && this.windowHead * 2 >= w.length) {
      w.splice(0, this.windowHead);
      this.windowHead = 0;
    }
  }

  /** The last held entry with this frame (the window is in frame order). */
  private find(frame: number): Held<T> | undefined {
    const w = this.window;
    let lo = this.windowHead;
    let hi = w.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (w[mid].frame <= frame) lo = mid + 1;
      else hi = mid;
    }
    return lo > this.windowHead && w[lo - 1].frame === frame ? w[lo - 1] : undefined;
  }

  private releasePending(): void {
    while (this.pendingHead < this.pending.length) {
      const p = this.pending[this.pendingHead];
      if (p.lastFrame >= this.lastKey) break;
      this.pendingHead++;
      this.unclaim(p);
      if (p.incomplete) this.incomplete++;
      this.ready(p.lookup, (frame) => p.found.get(frame));
    }
    if (this.pendingHead === this.pending.length) {
      this.pending.length = 0;
      this.pendingHead = 0;
    } else if (this.pendingHead >= 1024 && this.pendingHead * 2 >= this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
  }

  private unclaim(p: PendingLookup<T>): void {
    for (const a of p.lookup.attempts) {
      if (a.queryFrame === null) continue;
      const list = this.claims.get(a.queryFrame);
      if (!list) continue;
      const i = list.indexOf(p);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.claims.delete(a.queryFrame);
    }
  }
}
