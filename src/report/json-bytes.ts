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
export type ByteSink = (bytes: Uint8Array) => void;

/** Bytes per buffer handed on: one write system call each. */
const BUFFER_BYTES = 1 << 16;

/** The most bytes `number` writes for an integer: 2^53 has 16 digits. */
const MAX_INTEGER_BYTES = 16;

/** The four ASCII digits of 0000 to 9999, at four times the number. */
const FOUR_DIGITS = new Uint8Array(40000);
for (let i = 0; i < 10000; i++) {
  FOUR_DIGITS[i * 4] = 0x30 + Math.floor(i / 1000);
  FOUR_DIGITS[i * 4 + 1] = 0x30 + (Math.floor(i / 100) % 10);
  FOUR_DIGITS[i * 4 + 2] = 0x30 + (Math.floor(i / 10) % 10);
  FOUR_DIGITS[i * 4 + 3] = 0x30 + (i % 10);
}

/** ASCII text of our own (keys, punctuation, newlines) as bytes, made once when a module loads. */
export function asciiBytes(text: string): Uint8Array {
  if (!/^[\n\x20-\x7e]*$/.test(text)) throw new Error(`not ASCII: ${JSON.stringify(text)}`);
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

const NULL = asciiBytes('null');
const TRUE = asciiBytes('true');
const FALSE = asciiBytes('false');
const EMPTY_ARRAY = asciiBytes('[]');

/**
 * Names whose recurring pieces of text the record writers keep (captureBytes): a node's pods ask
 * a few hundred names over and over; a capture of ever new names gains nothing from them, so past
 * this all are forgotten at once.
 */
export const MAX_KEPT_NAMES = 4096;
/**
 * Pieces kept for one name (servers, types, rcodes and suffixes it was asked with): past this, a
 * name's other variants are written as they come. Each is looked for among those kept, and a
 * crafted capture may ask one name with thousands of types.
 */
export const MAX_KEPT_VARIANTS = 16;

/** Where captureBytes writes. */
const captured: Uint8Array[] = [];
let captureOut: JsonBytes | null = null;

/**
 * What `write` puts through a JsonBytes, as one plain Uint8Array of its own (every cached piece
 * is one kind of array, so copying them stays one kind of code): the text of a recurring piece of
 * a record, written once and kept.
 */
export function captureBytes(write: (out: JsonBytes) => void): Uint8Array {
  const out = (captureOut ??= new JsonBytes((b) => captured.push(b), { bufferBytes: 1024 }));
  write(out);
  out.flush();
  const bytes = captured.length === 1 ? new Uint8Array(captured[0]) : new Uint8Array(Buffer.concat(captured));
  captured.length = 0;
  return bytes;
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
  private buf: Buffer;
  private at = 0;
  private readonly bufferBytes: number;
  private readonly reuse: boolean;

  constructor(
    private readonly sink: ByteSink,
    opts: JsonBytesOptions = {},
  ) {
    this.bufferBytes = opts.bufferBytes ?? BUFFER_BYTES;
    this.reuse = opts.sinkIsSynchronous ?? false;
    this.buf = Buffer.allocUnsafe(this.bufferBytes);
  }

  /** Hands on what is written so far. */
  flush(): void {
    if (this.at === 0) return;
    const full = this.buf.subarray(0, this.at);
    // Hundreds of megabytes of buffers, each used once, are memory outside the heap that calls
    // for collections of their own.
    if (!this.reuse || this.buf.length !== this.bufferBytes) this.buf = Buffer.allocUnsafe(this.bufferBytes);
    this.at = 0;
    this.sink(full);
  }

  /** Bytes already in JSON form: a key, punctuation, a cached piece of a record. */
  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.at + n > this.buf.length) this.makeRoom(n);
    // A short piece is copied faster by hand than by a call to `set`.
    if (n > 32) {
      this.buf.set(b, this.at);
      this.at += n;
      return;
    }
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) buf[at++] = b[i];
    this.at = at;
  }

  /** Text already in JSON form, not necessarily ASCII (JSON.stringify's, say). */
  text(json: string): void {
    const most = json.length * 3;
    if (this.at + most > this.buf.length) this.makeRoom(most);
    this.at += this.buf.write(json, this.at, 'utf8');
  }

  /** A JSON string. Printable ASCII without a quote or backslash is copied as it is; anything else takes JSON.stringify's text. */
  string(s: string): void {
    const n = s.length;
    if (this.at + n + 2 > this.buf.length) this.makeRoom(n + 2);
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
    if (s === null) this.bytes(NULL);
    else this.string(s);
  }

  /**
   * A number as JSON.stringify writes it. V8's own conversion of anything but a small integer
   * takes its general shortest-round-trip path, and nearly every number of a report is either a
   * microsecond timestamp or frame number (an integer) or milliseconds rounded to three decimals.
   * Those are written here from a table of four-digit groups; anything else takes JavaScript's own
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
    if (n === null) this.bytes(NULL);
    else this.number(n);
  }

  boolean(b: boolean): void {
    this.bytes(b ? TRUE : FALSE);
  }

  stringArray(list: readonly string[]): void {
    if (list.length === 0) return this.bytes(EMPTY_ARRAY);
    this.byte(0x5b);
    for (let i = 0; i < list.length; i++) {
      if (i > 0) this.byte(0x2c);
      this.string(list[i]);
    }
    this.byte(0x5d);
  }

  numberArray(list: readonly number[]): void {
    if (list.length === 0) return this.bytes(EMPTY_ARRAY);
    this.byte(0x5b);
    for (let i = 0; i < list.length; i++) {
      if (i > 0) this.byte(0x2c);
      this.number(list[i]);
    }
    this.byte(0x5d);
  }

  /** One ASCII byte of punctuation. */
  byte(b: number): void {
    if (this.at + 1 > this.buf.length) this.makeRoom(1);
    this.buf[this.at++] = b;
  }

  /** A safe integer, at least 0. Any one is written in plain digits by JavaScript too, never with an exponent. */
  private integer(n: number): void {
    if (this.at + MAX_INTEGER_BYTES > this.buf.length) this.makeRoom(MAX_INTEGER_BYTES);
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
    this.fourDigits(lowHigh);
    this.fourDigits(low - lowHigh * 10000);
  }

  /**
   * m / 1000, for m below 1e11 and not a multiple of 1000, where m / 1000 is the number written:
   * its digits with up to three decimals, the trailing zeros dropped. That is JavaScript's
   * shortest round trip too: below 1e8 two doubles are less than 2e-8 apart, so no shorter
   * decimal, a multiple of 0.01 or 0.1, lies close enough to read back as the same double.
   */
  private thousandths(m: number): void {
    if (this.at + MAX_INTEGER_BYTES > this.buf.length) this.makeRoom(MAX_INTEGER_BYTES);
    const whole = Math.floor(m / 1000);
    const fraction = m - whole * 1000;
    this.upTo8Digits(whole);
    const buf = this.buf;
    let at = this.at;
    buf[at++] = 0x2e;
    const hundreds = Math.floor(fraction / 100);
    const tens = Math.floor(fraction / 10) - hundreds * 10;
    const ones = fraction - hundreds * 100 - tens * 10;
    buf[at++] = 0x30 + hundreds;
    if (tens !== 0 || ones !== 0) buf[at++] = 0x30 + tens;
    if (ones !== 0) buf[at++] = 0x30 + ones;
    this.at = at;
  }

  /** Text known to be ASCII (a number's): copied by hand, cheaper than a call into the UTF-8 encoder for a few bytes. */
  private ascii(text: string): void {
    const n = text.length;
    if (this.at + n > this.buf.length) this.makeRoom(n);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /** An integer from 0 to 99,999,999 in as many digits as it takes. */
  private upTo8Digits(n: number): void {
    if (n < 10000) return this.shortDigits(n);
    const high = Math.floor(n / 10000);
    this.shortDigits(high);
    this.fourDigits(n - high * 10000);
  }

  /** 0 to 9999 without leading zeros. */
  private shortDigits(n: number): void {
    const skip = n < 10 ? 3 : n < 100 ? 2 : n < 1000 ? 1 : 0;
    const buf = this.buf;
    let at = this.at;
    for (let i = n * 4 + skip, end = n * 4 + 4; i < end; i++) buf[at++] = FOUR_DIGITS[i];
    this.at = at;
  }

  /** 0 to 9999 as four digits, zero-padded. */
  private fourDigits(n: number): void {
    const buf = this.buf;
    const at = this.at;
    const i = n * 4;
    buf[at] = FOUR_DIGITS[i];
    buf[at + 1] = FOUR_DIGITS[i + 1];
    buf[at + 2] = FOUR_DIGITS[i + 2];
    buf[at + 3] = FOUR_DIGITS[i + 3];
    this.at = at + 4;
  }

  /** Room for `bytes` more: what is written so far is handed on, and a long value gets a buffer of its own size. */
  private makeRoom(bytes: number): void {
    this.flush();
    if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(bytes);
  }
}
