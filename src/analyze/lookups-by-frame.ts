import type { OpenLookup } from './open-lookup.js';

/** Slots of the ring: a power of two, more than the frames between a query and its settling on a busy node (1 s of 100,000 messages). */
const RING = 1 << 17;
const MASK = RING - 1;

/**
 * The open lookup of each transaction the pairer has not settled yet, by query frame. Frames
 * come in order and a transaction settles a second or so after its query, so a ring indexed by
 * the frame's low bits holds them with no hashing and in a row; the rare frame whose slot is
 * still taken (a query open for longer than the ring spans) goes to a map.
 */
export class LookupsByFrame {
  private readonly frames = new Float64Array(RING).fill(Number.NaN);
  private readonly lookups: (OpenLookup | null)[] = new Array<OpenLookup | null>(RING).fill(null);
  private readonly spill = new Map<number, OpenLookup>();

  set(frame: number, l: OpenLookup): void {
    const i = frame & MASK;
    const held = this.frames[i];
    if (Number.isInteger(frame) && (held !== held || held === frame)) {
      this.frames[i] = frame;
      this.lookups[i] = l;
    } else this.spill.set(frame, l);
  }

  get(frame: number): OpenLookup | undefined {
    const i = frame & MASK;
    if (this.frames[i] === frame) return this.lookups[i] as OpenLookup;
    return this.spill.size === 0 ? undefined : this.spill.get(frame);
  }

  delete(frame: number): void {
    const i = frame & MASK;
    if (this.frames[i] === frame) {
      this.frames[i] = Number.NaN;
      this.lookups[i] = null;
    } else if (this.spill.size > 0) this.spill.delete(frame);
  }
}
