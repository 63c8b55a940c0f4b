/**
 * What a reader of length-prefixed records (pcap records, pcapng blocks) parses the stream with.
 * `parse` reads the whole records of bytes[from, bytes.length) in place, where `offset` is the
 * input offset of bytes[0] and `view` a DataView of `bytes`, and returns where the first
 * incomplete record starts (bytes.length when none is). It sets `need` to the bytes it needs
 * from there to go on: that record's length once its header is in, the header's length while
 * not; and `stopped` when the data is corrupt from there on.
 */
export interface RecordParser {
  parse(bytes: Uint8Array, view: DataView, from: number, offset: number): number;
  need: number;
  stopped: boolean;
}

/** Where the stream ended for the parser. */
export interface RecordStreamEnd {
  /** Bytes received but not parsed: at the end of the input, an incomplete record. */
  leftover: number;
  /** Input offset of the first of them (where parsing stopped). */
  at: number;
}

/**
 * Feeds a stream's chunks to a record parser, which parses the records inside a chunk in place:
 * none of them is copied. Only a record split between chunks is: its first part is kept, and
 * once its last byte has arrived it is joined with exactly the bytes it lacks (not with the whole
 * next chunk, and not once per chunk while a 4 MiB block arrives in 1 KiB pieces); parsing then
 * goes on in place in the chunk. After `stopped`, the rest of the stream is read and ignored.
 */
export async function parseRecords(chunks: AsyncIterable<Uint8Array>, parser: RecordParser): Promise<RecordStreamEnd> {
  /** The start of the record split between chunks (a copy), and its input offset. */
  let pending: Uint8Array | null = null;
  let pendingAt = 0;
  /** Further parts of that record, while they do not complete it. */
  let waiting: Uint8Array[] = [];
  let waitingLength = 0;
  let offset = 0;
  for await (const chunk of chunks) {
    if (parser.stopped) continue;
    let from = 0;
    while (pending !== null && from < chunk.length) {
      const have = pending.length + waitingLength;
      const available = chunk.length - from;
      if (have + available < parser.need) {
        waiting.push(chunk.subarray(from));
        waitingLength += available;
        from = chunk.length;
        break;
      }
      const take = Math.min(available, parser.need - have);
      const piece = join(pending, waiting, waitingLength, chunk.subarray(from, from + take));
      from += take;
      waiting = [];
      waitingLength = 0;
      const stop = parser.parse(piece, viewOf(piece), 0, pendingAt);
      if (parser.stopped) break;
      if (stop === piece.length) {
        pending = null;
      } else {
        pending = piece.slice(stop);
        pendingAt += stop;
      }
    }
    if (pending === null && from < chunk.length && !parser.stopped) {
      const stop = parser.parse(chunk, viewOf(chunk), from, offset);
      if (stop < chunk.length && !parser.stopped) {
        // A copy, so that the chunk it lives in can be collected (Buffer#slice would not copy).
        pending = new Uint8Array(chunk.length - stop);
        pending.set(chunk.subarray(stop));
        pendingAt = offset + stop;
      }
    }
    offset += chunk.length;
  }
  if (parser.stopped || pending === null) return { leftover: 0, at: offset };
  return { leftover: pending.length + waitingLength, at: pendingAt };
}

function join(first: Uint8Array, middle: Uint8Array[], middleLength: number, last: Uint8Array): Uint8Array {
  const out = new Uint8Array(first.length + middleLength + last.length);
  out.set(first, 0);
  let at = first.length;
  for (const m of middle) {
    out.set(m, at);
    at += m.length;
  }
  out.set(last, at);
  return out;
}

function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
