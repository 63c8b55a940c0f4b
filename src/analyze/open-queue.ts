/** Something a queue holds until it closes; `queuePos` is the queue's to keep. */
export interface Queued {
  closed: boolean;
  queuePos: number;
}

/**
 * Open entries (transactions, lookups) in the order they opened, each with a number saying when
 * it may be due (a deadline, a time of last activity): what an insertion-ordered Set gave the
 * analysis (sweep in order, evict the oldest, name the oldest), without hashing an object on every
 * add and delete, and without reading every open entry on every sweep. The numbers sit in one
 * typed array, so a sweep reads them in a row and touches only the entries that are due. A closed
 * entry's slot is emptied and reclaimed once closed ones outnumber open ones three to one.
 */
export class OpenQueue<T extends Queued> {
  /** Open entries, in order. */
  size = 0;
  private items: (T | null)[] = [];
  private keys = new Float64Array(1024);
  /** Slots used; entries before `head` are all closed. */
  private used = 0;
  private head = 0;
  private garbage = 0;
  private sweeping = false;
  /** Slots a sweep picked. */
  private picked = new Int32Array(1024);

  add(x: T, key: number): void {
    if (this.used === this.keys.length) this.makeRoom();
    x.closed = false;
    x.queuePos = this.used;
    this.items[this.used] = x;
    this.keys[this.used++] = key;
    this.size++;
  }

  setKey(x: T, key: number): void {
    if (!x.closed) this.keys[x.queuePos] = key;
  }

  /** Marks `x` closed. Call once per entry added. */
  close(x: T): void {
    x.closed = true;
    this.items[x.queuePos] = null;
    this.keys[x.queuePos] = Number.NaN;
    this.size--;
    this.garbage++;
    if (!this.sweeping && this.wantsCompaction()) this.compact();
  }

  /** The oldest open entry. */
  oldest(): T | undefined {
    let i = this.head;
    while (i < this.used && this.items[i] === null) i++;
    // Also from inside a sweep (a sink asking as entries close): slots do not move until it ends.
    this.garbage -= i - this.head;
    this.head = i;
    return i < this.used ? (this.items[i] as T) : undefined;
  }

  /** Calls `visit`, oldest first, on every open entry whose key is at most `now`. */
  sweepDue(now: number, visit: (x: T) => void): void {
    this.sweep(DUE, now, 0, visit);
  }

  /** Calls `visit`, oldest first, on every open entry idle longer than `gap`: `now - key > gap`. */
  sweepIdle(now: number, gap: number, visit: (x: T) => void): void {
    this.sweep(IDLE, now, gap, visit);
  }

  /**
   * Sweeps happen a few times a second of capture time: the keys are scanned in a loop of their
   * own (numbers only, optimised at once) for the slots that qualify, which are then visited, each
   * checked again, as entries close or change meanwhile. Entries added meanwhile are scanned too,
   * as a Set's iteration would visit them.
   */
  private sweep(test: number, now: number, gap: number, visit: (x: T) => void): void {
    this.sweeping = true;
    try {
      let from = this.head;
      while (from < this.used) {
        const to = this.used;
        if (this.picked.length < to - from) this.picked = new Int32Array(this.keys.length);
        const n = pick(this.keys, from, to, test, now, gap, this.picked);
        for (let k = 0; k < n; k++) {
          const i = this.picked[k];
          const x = this.items[i];
          if (x !== null && qualifies(this.keys[i], test, now, gap)) visit(x);
        }
        from = to;
      }
    } finally {
      this.sweeping = false;
    }
    if (this.wantsCompaction()) this.compact();
  }

  /** Calls `visit` on every open entry, oldest first. */
  sweepAll(visit: (x: T) => void): void {
    this.sweeping = true;
    try {
      for (let i = this.head; i < this.used; i++) {
        const x = this.items[i];
        if (x !== null) visit(x);
      }
    } finally {
      this.sweeping = false;
    }
    if (this.wantsCompaction()) this.compact();
  }

  /**
   * Compaction writes the new position into every open entry, a cache miss each (they were
   * touched last when they opened or were answered): done when closed slots outnumber open ones
   * GARBAGE_PER_OPEN times, it costs a fraction of a miss per entry closed. The closed slots it
   * waits for cost a sweep only the read of their keys, in a row.
   */
  private wantsCompaction(): boolean {
    return this.garbage > 1024 && this.garbage > GARBAGE_PER_OPEN * this.size;
  }

  private makeRoom(): void {
    if (!this.sweeping && this.wantsCompaction()) {
      this.compact();
      if (this.used < this.keys.length) return;
    }
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
  }

  /** Moves the open entries to the front, in order. */
  private compact(): void {
    const items = this.items;
    const keys = this.keys;
    let w = 0;
    for (let r = this.head; r < this.used; r++) {
      const x = items[r];
      if (x === null) continue;
      x.queuePos = w;
      items[w] = x;
      keys[w++] = keys[r];
    }
    items.length = w;
    this.used = w;
    this.head = 0;
    this.garbage = 0;
  }
}

const DUE = 0;
const IDLE = 1;
/** Closed slots kept per open entry before a compaction. */
const GARBAGE_PER_OPEN = 3;

function qualifies(key: number, test: number, now: number, gap: number): boolean {
  return test === DUE ? key <= now : now - key > gap;
}

/** Writes to `out` the slots in [from, to) whose keys qualify; returns how many. A closed slot's key is NaN: it never does. */
function pick(keys: Float64Array, from: number, to: number, test: number, now: number, gap: number, out: Int32Array): number {
  let n = 0;
  if (test === DUE) {
    for (let i = from; i < to; i++) if (keys[i] <= now) out[n++] = i;
  } else {
    for (let i = from; i < to; i++) if (now - keys[i] > gap) out[n++] = i;
  }
  return n;
}
