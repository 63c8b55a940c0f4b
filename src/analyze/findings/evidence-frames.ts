import { EVIDENCE_FRAMES } from '../report-limits.js';

/**
 * The frame numbers a finding cites: sorted, unique, the smallest `limit` of all it was given
 * (reports say how many more). Kept as frames arrive, so a finding about a million queries holds
 * 20 numbers; frames mostly arrive in ascending order, and once full a larger one costs one compare.
 */
export class EvidenceFrames {
  private readonly frames: number[] = [];

  constructor(private readonly limit = EVIDENCE_FRAMES) {}

  add(frame: number | null): void {
    if (frame === null) return;
    const f = this.frames;
    const n = f.length;
    if (n === this.limit && frame >= f[n - 1]) return;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (f[mid] < frame) lo = mid + 1;
      else hi = mid;
    }
    if (lo < n && f[lo] === frame) return;
    if (lo === n) f.push(frame);
    else f.splice(lo, 0, frame);
    if (f.length > this.limit) f.pop();
  }

  addAll(frames: readonly (number | null)[]): void {
    for (const frame of frames) this.add(frame);
  }

  list(): number[] {
    return [...this.frames];
  }

  get size(): number {
    return this.frames.length;
  }
}
