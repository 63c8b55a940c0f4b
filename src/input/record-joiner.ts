/**
 * Joins a stream's chunks for a reader of length-prefixed records (pcap records, pcapng blocks)
 * so that it parses whole records in place. A record that fits in a chunk is never copied; one
 * split across chunks is copied once, when its last byte has arrived, not once per chunk (a
 * 4 MiB block read in 1 KiB chunks would otherwise copy gigabytes).
 */
export class RecordJoiner {
  private pending: Uint8Array = new Uint8Array(0);
  private waiting: Uint8Array[] = [];
  private waitingLength = 0;
  /** Bytes the incomplete record at the start of `pending` needs in all (0: not known yet). */
  private need = 0;
  /** Offset in the input of the first byte of the buffer `join` returned last. */
  base = 0;

  /** The bytes to parse now (the kept tail, then `chunk`), or null while the record at the start still lacks bytes. */
  join(chunk: Uint8Array): Uint8Array | null {
    if (this.pending.length + this.waitingLength + chunk.length < this.need) {
      this.waiting.push(chunk);
      this.waitingLength += chunk.length;
      return null;
    }
    this.need = 0;
    if (this.pending.length === 0 && this.waiting.length === 0) return chunk;
    const buf = new Uint8Array(this.pending.length + this.waitingLength + chunk.length);
    buf.set(this.pending, 0);
    let at = this.pending.length;
    for (const w of this.waiting) {
      buf.set(w, at);
      at += w.length;
    }
    buf.set(chunk, at);
    this.waiting = [];
    this.waitingLength = 0;
    this.pending = new Uint8Array(0);
    return buf;
  }

  /**
   * After parsing `buf` up to `consumed`: keeps the rest for the next chunk (copied, so the chunk
   * it lives in can be collected); `need` is the length of the record starting there, if known.
   */
  keep(buf: Uint8Array, consumed: number, need = 0): void {
    this.pending = buf.slice(consumed);
    this.base += consumed;
    this.need = need;
  }

  /** Forgets everything: the reader stopped at corrupt data. */
  clear(): void {
    this.pending = new Uint8Array(0);
    this.waiting = [];
    this.waitingLength = 0;
  }

  /** Bytes received but not parsed: at the end of the input, an incomplete record. */
  get leftover(): number {
    return this.pending.length + this.waitingLength;
  }
}
