/**
 * Time spans of client sockets added up, a socket's overlapping spans counted once: the A and AAAA
 * of a pair waiting out one timeout side by side, or the nested spans of a retry chain, cost the
 * client that time once. A socket's spans arrive close together and mostly in order, so only its
 * last end is kept, for at most `kept` sockets (all forgotten past that: a span overlapping one
 * of a forgotten socket then counts whole).
 */
export class SocketSpans {
  /** Microseconds covered so far. */
  totalUs = 0;
  private readonly endBySocket = new Map<string, number>();

  constructor(private readonly kept: number) {}

  add(socket: string, fromUs: number, toUs: number): void {
    const before = this.endBySocket.get(socket) ?? Number.NEGATIVE_INFINITY;
    this.totalUs += Math.max(0, toUs - Math.max(fromUs, before));
    if (this.endBySocket.size >= this.kept) this.endBySocket.clear();
    this.endBySocket.set(socket, Math.max(before, toUs));
  }

  /** Sockets whose last end is kept. */
  get size(): number {
    return this.endBySocket.size;
  }
}
