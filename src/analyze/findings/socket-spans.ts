/**
 * Time spans of client sockets added up, the time a socket's spans overlap counted once: the A
 * and AAAA of a pair waiting out one timeout side by side, or the nested spans of a retry chain,
 * cost the client that time once. A socket's spans arrive close together but not in order of
 * their starts (a chain's later answers settle after the pair's other type), so each socket keeps
 * the disjoint intervals its spans covered, the last SPANS_PER_SOCKET of them, for at most `kept`
 * sockets (all forgotten past that: a span overlapping a forgotten one then counts whole).
 */
export class SocketSpans {
  /** Microseconds covered so far. */
  totalUs = 0;
  /** Per socket, disjoint [start, end] pairs, flat, in no particular order. */
  private readonly bySocket = new Map<string, number[]>();

  constructor(private readonly kept: number) {}

  add(socket: string, fromUs: number, toUs: number): void {
    if (!(toUs > fromUs)) return;
    let spans = this.bySocket.get(socket);
    if (spans === undefined) {
      if (this.bySocket.size >= this.kept) this.bySocket.clear();
      spans = [];
      this.bySocket.set(socket, spans);
    }
    // What the span adds is its length less its overlap with what the socket's spans covered;
    // the intervals it overlaps (or touches) merge into one.
    let covered = 0;
    let start = fromUs;
    let end = toUs;
    const kept: number[] = [];
    for (let i = 0; i < spans.length; i += 2) {
      const a = spans[i];
      const b = spans[i + 1];
      if (b < fromUs || a > toUs) {
        kept.push(a, b);
        continue;
      }
      covered += Math.max(0, Math.min(b, toUs) - Math.max(a, fromUs));
      start = Math.min(start, a);
      end = Math.max(end, b);
    }
    this.totalUs += toUs - fromUs - covered;
    kept.push(start, end);
    if (kept.length > 2 * SPANS_PER_SOCKET) kept.splice(0, 2);
    this.bySocket.set(socket, kept);
  }

  /** Sockets whose spans are kept. */
  get size(): number {
    return this.bySocket.size;
  }
}

/** Disjoint intervals kept per socket: a lookup's steps on one socket, with room to spare. */
const SPANS_PER_SOCKET = 8;
