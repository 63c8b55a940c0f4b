/**
 * Pulls exact byte counts out of a stream of chunks without concatenating on the hot path:
 * a request that fits in the current chunk is a subarray of it; only a request that spans
 * chunks copies.
 */
export class ChunkReader {
  private chunk: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private done = false;
  /** Bytes handed out so far: the offset in the input of the next byte. */
  offset = 0;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  /** Bytes left in the current chunk. */
  private get available(): number {
    return this.chunk.length - this.pos;
  }

  /**
   * Returns exactly n bytes, or fewer only at the end of the input (then everything left).
   * The returned view stays valid until the next call.
   */
  async read(n: number): Promise<Uint8Array> {
    if (this.available >= n) {
      const out = this.chunk.subarray(this.pos, this.pos + n);
      this.pos += n;
      this.offset += n;
      return out;
    }
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < n) {
      if (this.available === 0) {
        if (!(await this.fill())) break;
      }
      const take = Math.min(n - have, this.available);
      parts.push(this.chunk.subarray(this.pos, this.pos + take));
      this.pos += take;
      have += take;
    }
    this.offset += have;
    if (parts.length === 1) return parts[0];
    const out = new Uint8Array(have);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** Skips n bytes; returns how many were really skipped. */
  async skip(n: number): Promise<number> {
    let skipped = 0;
    while (skipped < n) {
      if (this.available === 0 && !(await this.fill())) break;
      const take = Math.min(n - skipped, this.available);
      this.pos += take;
      skipped += take;
    }
    this.offset += skipped;
    return skipped;
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    for (;;) {
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        return false;
      }
      if (next.value.length > 0) {
        this.chunk = next.value;
        this.pos = 0;
        return true;
      }
    }
  }
}
