import type { TextStamp } from './parse-line.js';

/** Microseconds in a day: time-of-day stamps that go back by more than half a day wrapped midnight. */
const DAY_US = 86_400_000_000;

/**
 * -ttt (since the previous packet) and -ttttt (since the first) print the same text. Since-first
 * stamps never go back; deltas soon do. Until one goes back or this many stamps have been seen,
 * messages wait here (bounded) so that both readings stay possible.
 */
export const RELATIVE_DECISION_STAMPS = 256;

interface Waiting<T> {
  item: T;
  /** Goes to emitOther. */
  other: boolean;
  sinceFirstUs: number;
  deltaSumUs: number;
}

/**
 * Turns tcpdump timestamps into microseconds since the epoch, in the order the packets came.
 * Time zero: time-of-day stamps (the default) count from 1970-01-01 00:00 plus one day per
 * midnight crossed; -ttt and -ttttt count from the first packet at 0; -t lines are all at 0.
 * Every packet line must be ticked (in -ttt each line's delta counts, DNS or not).
 */
export class TextClock<T extends { timeUs: number }, U extends { timeUs: number } = never> {
  private dayOffset = 0;
  private lastTimeOfDay = -1;
  private relative: 'undecided' | 'delta' | 'since-first' = 'undecided';
  private relativeStamps = 0;
  private lastRelative = -1;
  private deltaSum = 0;
  private waiting: Waiting<T | U>[] = [];
  private nowUs = 0;
  private nowSinceFirst = 0;

  /** Items of a second, rare kind (ICMP errors) keep their place among the others through emitOther. */
  constructor(
    private readonly emit: (item: T) => void,
    private readonly emitOther: (item: U) => void = () => {},
  ) {}

  /** How -ttt/-ttttt text was read, once known. */
  get relativeReading(): 'delta' | 'since-first' | null {
    return this.relative === 'undecided' ? null : this.relative;
  }

  /** A packet line's stamp: its kind and microseconds, as TextStamp has them. */
  tick(kind: TextStamp['kind'], us: number): void {
    switch (kind) {
      case 'date':
      case 'epoch':
        this.nowUs = us;
        return;
      case 'time-of-day':
        if (this.lastTimeOfDay >= 0 && us + DAY_US / 2 < this.lastTimeOfDay) this.dayOffset += DAY_US;
        this.lastTimeOfDay = us;
        this.nowUs = us + this.dayOffset;
        return;
      case 'relative':
        this.tickRelative(us);
    }
  }

  private tickRelative(us: number): void {
    this.deltaSum += us;
    if (this.relative === 'undecided') {
      if (this.lastRelative >= 0 && us < this.lastRelative) this.decide('delta');
      else if (++this.relativeStamps >= RELATIVE_DECISION_STAMPS) this.decide('since-first');
    }
    this.lastRelative = us;
    this.nowSinceFirst = us;
    this.nowUs = this.relative === 'since-first' ? us : this.deltaSum;
  }

  /** Stamps the item with the time of the last tick and passes it on (or holds it, bounded). */
  put(item: T, stampKind: TextStamp['kind'] | null): void {
    if (stampKind === 'relative' && this.relative === 'undecided') {
      this.waiting.push({ item, other: false, sinceFirstUs: this.nowSinceFirst, deltaSumUs: this.deltaSum });
      return;
    }
    item.timeUs = this.nowUs;
    this.emit(item);
  }

  /** put for an item of the second kind. */
  putOther(item: U, stampKind: TextStamp['kind'] | null): void {
    if (stampKind === 'relative' && this.relative === 'undecided') {
      this.waiting.push({ item, other: true, sinceFirstUs: this.nowSinceFirst, deltaSumUs: this.deltaSum });
      return;
    }
    item.timeUs = this.nowUs;
    this.emitOther(item);
  }

  /** Ends the input: anything still waiting is read as -ttttt (it never went back). */
  finish(): void {
    if (this.waiting.length > 0) this.decide('since-first');
  }

  private decide(reading: 'delta' | 'since-first'): void {
    this.relative = reading;
    for (const w of this.waiting) {
      w.item.timeUs = reading === 'delta' ? w.deltaSumUs : w.sinceFirstUs;
      if (w.other) this.emitOther(w.item as U);
      else this.emit(w.item as T);
    }
    this.waiting = [];
  }
}
