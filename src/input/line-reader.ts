/** Longest line kept whole, in characters; a longer one is cut (and reported) so one line cannot exhaust memory. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Bytes of a line kept while it streams in: enough to decode MAX_LINE_CHARS + 1 characters
 * whatever they are (UTF-8 takes at most 3 bytes per UTF-16 code unit), so a line longer than
 * the limit is always seen to be.
 */
const MAX_LINE_BYTES = 3 * (MAX_LINE_CHARS + 1) + 3;

const LF = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

export interface Line {
  number: number;
  text: string;
  /** The line was longer than MAX_LINE_CHARS and `text` holds only its start. */
  cut: boolean;
}

/**
 * Receives a line as bytes[start, end), without its LF (a CR before it is still there), valid
 * only during the call. `cut`: the line was longer than the bytes kept, which are its start.
 */
export type LineBytesSink = (bytes: Uint8Array, start: number, end: number, number: number, cut: boolean) => void;

/**
 * Splits a byte stream into lines at LF, handing each over in place: a line inside a chunk is
 * never copied or decoded here, so a reader can look at its bytes first and decode only the
 * lines it needs as text (LineTexts). Only a line split between chunks is copied, and of a line
 * longer than the limit only its start is kept (memory stays bounded by the chunk size plus
 * MAX_LINE_BYTES, whatever the input). A UTF-8 byte-order mark at the very start is dropped, as
 * TextDecoder drops it. Lines are numbered from 1; a last line without LF counts.
 */
export class LineSplitter {
  private number = 0;
  /** The start of the line split between chunks. */
  private carry = new Uint8Array(0);
  private carryLength = 0;
  private carryCut = false;
  /** The first bytes of the stream, until they show whether they are a byte-order mark. */
  private head: number[] | null = [];

  push(chunk: Uint8Array, sink: LineBytesSink): void {
    if (this.head !== null) {
      let i = 0;
      while (i < chunk.length && this.head.length < 3 && chunk[i] === BOM[this.head.length]) this.head.push(chunk[i++]);
      if (this.head.length < 3 && i === chunk.length) return;
      const head = this.head;
      this.head = null;
      // Not a byte-order mark after all: those bytes are the text's first.
      if (head.length < 3) this.feed(Uint8Array.from(head), sink);
      chunk = chunk.subarray(i);
    }
    this.feed(chunk, sink);
  }

  /** Ends the stream: the last line, if it has no LF. */
  end(sink: LineBytesSink): void {
    if (this.head !== null && this.head.length > 0) {
      const head = this.head;
      this.head = null;
      this.feed(Uint8Array.from(head), sink);
    }
    if (this.carryLength > 0 || this.carryCut) this.emitCarry(sink);
  }

  private feed(chunk: Uint8Array, sink: LineBytesSink): void {
    let from = 0;
    for (let lf = chunk.indexOf(LF); lf >= 0; lf = chunk.indexOf(LF, from)) {
      if (this.carryLength > 0 || this.carryCut) {
        this.keep(chunk, from, lf);
        this.emitCarry(sink);
      } else {
        sink(chunk, from, lf, ++this.number, false);
      }
      from = lf + 1;
    }
    this.keep(chunk, from, chunk.length);
  }

  /** Adds chunk[from, to) to the line being carried over, up to the limit. */
  private keep(chunk: Uint8Array, from: number, to: number): void {
    const room = MAX_LINE_BYTES - this.carryLength;
    if (to - from > room) {
      this.carryCut = true;
      to = from + room;
    }
    if (to <= from) return;
    const length = this.carryLength + to - from;
    if (length > this.carry.length) {
      const grown = new Uint8Array(Math.min(MAX_LINE_BYTES, Math.max(length, 2 * this.carry.length, 256)));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(chunk.subarray(from, to), this.carryLength);
    this.carryLength = length;
  }

  private emitCarry(sink: LineBytesSink): void {
    const length = this.carryLength;
    const cut = this.carryCut;
    this.carryLength = 0;
    this.carryCut = false;
    sink(this.carry, 0, length, ++this.number, cut);
  }
}

/**
 * A line's bytes as text: UTF-8 with replacement characters for invalid bytes (what one
 * TextDecoder over the whole stream gives, since UTF-8 resynchronises at every LF), cut to
 * MAX_LINE_CHARS, without the CR of a CRLF.
 */
export class LineTexts {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  line(bytes: Uint8Array, start: number, end: number, number: number, cut: boolean): Line {
    let text = this.decoder.decode(bytes.subarray(start, end));
    if (text.length > MAX_LINE_CHARS) {
      text = text.slice(0, MAX_LINE_CHARS);
      cut = true;
    }
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return { number, text, cut };
  }
}

/**
 * The lines of a byte stream as text, one batch per chunk (one await per chunk, not per line).
 * The tcpdump text reader looks at most lines' bytes without decoding them; this is for readers
 * that want every line as text.
 */
export async function* readLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Line[]> {
  const splitter = new LineSplitter();
  const texts = new LineTexts();
  let batch: Line[] = [];
  const take: LineBytesSink = (bytes, start, end, number, cut) => void batch.push(texts.line(bytes, start, end, number, cut));
  for await (const chunk of chunks) {
    splitter.push(chunk, take);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  splitter.end(take);
  if (batch.length > 0) yield batch;
}
