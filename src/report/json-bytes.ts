/**
 * Where the streamed JSON writers put their text: UTF-8 bytes written straight into a large
 * buffer that is handed on whole when full or at `flush`. Written as strings, each record of a
 * million-record report allocated its text, the text's pieces and a UTF-8 copy of it: garbage
 * whose young-generation collections also copy every transaction the analysis still holds. Here
 * a record allocates nothing, and the output takes the bytes as they are.
 *
 * Every value is written exactly as JSON.stringify writes it; `test/report/json-bytes.test.ts`
 * holds each method to it.
 */
import { FOUR_DIGITS, FRACTION, FRACTION_LENGTH, SHORT_DIGITS, SHORT_LENGTH } from './digit-words.js';

export type ByteSink = (bytes: Uint8Array) => void;

/** Bytes per buffer handed on: one write system call each. */
const BUFFER_BYTES = 1 << 16;

/**
 * Room past a buffer's end for a word written whole at its last bytes: short pieces and digits
 * are stored four bytes at a time (a DataView store each, where a loop of byte stores costs
 * several times as much), and a word's bytes past the text are overwritten by what comes next.
 */
const WORD_SLACK = 4;

/** The most bytes `number` writes for an integer: 2^53 has 16 digits. */
const MAX_INTEGER_BYTES = 16;

/**
 * Text already in JSON form that a writer copies again and again: a key with its punctuation, a
 * kept piece of a record. Held as bytes and as words (see WORD_SLACK).
 */
export class JsonPiece {
  readonly length: number;
  readonly words: Int32Array;

  constructor(readonly bytes: Uint8Array) {
    this.length = bytes.length;
    this.words = new Int32Array(Math.ceil(bytes.length / 4));
    new Uint8Array(this.words.buffer).set(bytes);
  }
}

/** Pieces this long and shorter are copied a word at a time; longer ones by `set`, whose call costs as much as about eight words. */
const MAX_WORD_COPY = 32;

/** ASCII text of our own (keys, punctuation, newlines) as a piece, made once when a module loads. */
export function asciiPiece(text: string): JsonPiece {
  if (!/^[\n\x20-\x7e]*$/.test(text)) throw new Error(`not ASCII: ${JSON.stringify(text)}`);
  return new JsonPiece(new Uint8Array(Buffer.from(text, 'latin1')));
}

const NULL = asciiPiece('null');
const TRUE = asciiPiece('true');
const FALSE = asciiPiece('false');
const EMPTY_ARRAY = asciiPiece('[]');

/** Where capturePiece writes. */
const captured: Uint8Array[] = [];
let captureOut: JsonBytes | null = null;

/** What `write` puts through a JsonBytes, as a piece: the text of a recurring part of a record, written once and kept. */
export function capturePiece(write: (out: JsonBytes) => void): JsonPiece {
  const out = (captureOut ??= new JsonBytes((b) => captured.push(b), { bufferBytes: 1024 }));
  write(out);
  out.flush();
  const bytes = captured.length === 1 ? new Uint8Array(captured[0]) : new Uint8Array(Buffer.concat(captured));
  captured.length = 0;
  return new JsonPiece(bytes);
}

export interface JsonBytesOptions {
  /** The size of each buffer handed on (smaller for a scratch writer). */
  bufferBytes?: number;
  /**
   * The sink is done with the bytes when it returns (it wrote them, as the CLI's outputs and the
   * JSON report's spool do), so one buffer serves every write. Otherwise each is a new buffer,
   * which the sink may keep.
   */
  sinkIsSynchronous?: boolean;
}

export class JsonBytes {
  private buf!: Buffer;
  /** The same bytes, for word stores. */
  private view!: DataView;
  /** Where the buffer is handed on: WORD_SLACK before its real end. */
  private end = 0;
  private at = 0;
  private readonly bufferBytes: number;
  private readonly reuse: boolean;

  constructor(
    private readonly sink: ByteSink,
    opts: JsonBytesOptions = {},
  ) {
    this.bufferBytes = opts.bufferBytes ?? BUFFER_BYTES;
    this.reuse = opts.sinkIsSynchronous ?? false;
    this.allocate(this.bufferBytes);
  }

  /** Hands on what is written so far. */
  flush(): void {
    if (this.at === 0) return;
    const full = this.buf.subarray(0, this.at);
    // Hundreds of megabytes of buffers, each used once, are memory outside the heap that calls
    // for collections of their own.
    if (!this.reuse || this.end !== this.bufferBytes) this.allocate(this.bufferBytes);
    this.at = 0;
    this.sink(full);
  }

  /** Text already in JSON form: a key, punctuation, a kept piece of a record. */
  piece(p: JsonPiece): void {
    const n = p.length;
    if (this.at + n > this.end) this.makeRoom(n);
    if (n > MAX_WORD_COPY) {
      this.buf.set(p.bytes, this.at);
      this.at += n;
      return;
    }
    const words = p.words;
    const view = this.view;
    let at = this.at;
    for (let i = 0; i < words.length; i++, at += 4) view.setInt32(at, words[i], true);
    this.at += n;
  }

  /** Text already in JSON form, not necessarily ASCII (JSON.stringify's, say). */
  text(json: string): void {
    const most = json.length * 3;
    if (this.at + most > this.end) this.makeRoom(most);
    this.at += this.buf.write(json, this.at, 'utf8');
  }

  /** A JSON string. Printable ASCII without a quote or backslash is copied as it is; anything else takes JSON.stringify's text. */
  string(s: string): void {
    const n = s.length;
    if (this.at + n + 2 > this.end) this.makeRoom(n + 2);
    const buf = this.buf;
    const start = this.at;
    let at = start;
    buf[at++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        // Control characters, quotes, backslashes, lone surrogates and UTF-8: JSON.stringify knows best.
        this.at = start;
        return this.text(JSON.stringify(s));
      }
      buf[at++] = c;
    }
    buf[at++] = 0x22;
    this.at = at;
  }

  stringOrNull(s: string | null): void {
    if (s === null) this.piece(NULL);
    else this.string(s);
  }

  /**
   * A number as JSON.stringify writes it. V8's own conversion of anything but a small integer
   * takes its general shortest-round-trip path, and nearly every number of a report is either a
   * microsecond timestamp or frame number (an integer) or milliseconds rounded to three decimals.
   * Those are written here from tables of four-digit groups; anything else takes JavaScript's own
   * text, and `null` when it is not finite.
   */
  number(n: number): void {
    if (n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n) return this.integer(n);
    if (n > 0 && n < 1e8) {
      const m = Math.round(n * 1000);
      if (m / 1000 === n) return this.thousandths(m);
    }
    this.ascii(Number.isFinite(n) ? `${n}` : 'null');
  }

  numberOrNull(n: number | null): void {
    if (n === null) this.piece(NULL);
    else this.number(n);
  }

  boolean(b: boolean): void {
    this.piece(b ? TRUE : FALSE);
  }

  stringArray(list: readonly string[]): void {
    if (list.length === 0) return this.piece(EMPTY_ARRAY);
    this.byte(0x5b);
    for (let i = 0; i < list.length; i++) {
      if (i > 0) this.byte(0x2c);
      this.string(list[i]);
    }
    this.byte(0x5d);
  }

  numberArray(list: readonly number[]): void {
    if (list.length === 0) return this.piece(EMPTY_ARRAY);
    this.byte(0x5b);
    for (let i = 0; i < list.length; i++) {
      if (i > 0) this.byte(0x2c);
      this.number(list[i]);
    }
    this.byte(0x5d);
  }

  /** One ASCII byte of punctuation. */
  byte(b: number): void {
    if (this.at + 1 > this.end) this.makeRoom(1);
    this.buf[this.at++] = b;
  }

  /** A safe integer, at least 0. Any one is written in plain digits by JavaScript too, never with an exponent. */
  private integer(n: number): void {
    if (this.at + MAX_INTEGER_BYTES > this.end) this.makeRoom(MAX_INTEGER_BYTES);
    if (n < 1e8) return this.upTo8Digits(n);
    let high = Math.floor(n / 1e8);
    let low = n - high * 1e8;
    // n / 1e8 is rounded: just below a multiple of 1e8 it may round up to it.
    if (low < 0) {
      high--;
      low += 1e8;
    }
    this.upTo8Digits(high);
    const lowHigh = Math.floor(low / 10000);
    const view = this.view;
    view.setInt32(this.at, FOUR_DIGITS[lowHigh], true);
    view.setInt32(this.at + 4, FOUR_DIGITS[low - lowHigh * 10000], true);
    this.at += 8;
  }

  /**
   * m / 1000, for m below 1e11 and not a multiple of 1000, where m / 1000 is the number written:
   * its digits with up to three decimals, the trailing zeros dropped. That is JavaScript's
   * shortest round trip too: below 1e8 two doubles are less than 2e-8 apart, so no shorter
   * decimal, a multiple of 0.01 or 0.1, lies close enough to read back as the same double.
   */
  private thousandths(m: number): void {
    if (this.at + MAX_INTEGER_BYTES > this.end) this.makeRoom(MAX_INTEGER_BYTES);
    const whole = Math.floor(m / 1000);
    const fraction = m - whole * 1000;
    this.upTo8Digits(whole);
    this.view.setInt32(this.at, FRACTION[fraction], true);
    this.at += FRACTION_LENGTH[fraction];
  }

  /** Text known to be ASCII (a number's): copied by hand, cheaper than a call into the UTF-8 encoder for a few bytes. */
  private ascii(text: string): void {
    const n = text.length;
    if (this.at + n > this.end) this.makeRoom(n);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /** An integer from 0 to 99,999,999 in as many digits as it takes. */
  private upTo8Digits(n: number): void {
    const view = this.view;
    if (n < 10000) {
      view.setInt32(this.at, SHORT_DIGITS[n], true);
      this.at += SHORT_LENGTH[n];
      return;
    }
    const high = Math.floor(n / 10000);
    view.setInt32(this.at, SHORT_DIGITS[high], true);
    const at = this.at + SHORT_LENGTH[high];
    view.setInt32(at, FOUR_DIGITS[n - high * 10000], true);
    this.at = at + 4;
  }

  /** Room for `bytes` more: what is written so far is handed on, and a long value gets a buffer of its own size. */
  private makeRoom(bytes: number): void {
    this.flush();
    if (bytes > this.end) this.allocate(bytes);
  }

  private allocate(bytes: number): void {
    this.buf = Buffer.allocUnsafe(bytes + WORD_SLACK);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.end = bytes;
  }
}
