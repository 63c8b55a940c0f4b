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
 * entry's slot is emptied and reclaimed once closed ones outnumber open ones.
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
    if (!this.sweeping && this.garbage > 1024 && this.garbage > this.size) this.compact();
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
    this.sweeping = true;
    try {
      // `used` is read again every time: entries added meanwhile are visited, as a Set's iteration would.
      for (let i = this.head; i < this.used; i++) if (this.keys[i] <= now) visit(this.items[i] as T);
    } finally {
      this.sweeping = false;
    }
    if (this.garbage > 1024 && this.garbage > this.size) this.compact();
  }

  /** Calls `visit`, oldest first, on every open entry idle longer than `gap`: `now - key > gap`. */
  sweepIdle(now: number, gap: number, visit: (x: T) => void): void {
    this.sweeping = true;
    try {
      for (let i = this.head; i < this.used; i++) if (now - this.keys[i] > gap) visit(this.items[i] as T);
    } finally {
      this.sweeping = false;
    }
    if (this.garbage > 1024 && this.garbage > this.size) this.compact();
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
    if (this.garbage > 1024 && this.garbage > this.size) this.compact();
  }

  private makeRoom(): void {
    if (!this.sweeping && this.garbage * 2 >= this.used) {
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
