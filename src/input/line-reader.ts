/** Longest line kept whole, in characters; a longer one is cut (and reported) so one line cannot exhaust memory. */
export const MAX_LINE_CHARS = 64 * 1024;

export interface Line {
  number: number;
  text: string;
  /** The line was longer than MAX_LINE_CHARS and `text` holds only its start. */
  cut: boolean;
}

/**
 * Splits a byte stream into lines (LF or CRLF), decoding it as UTF-8 with replacement
 * characters for invalid bytes (a multi-byte character split across chunks is kept whole).
 * Yields the lines of each chunk as one batch: one await per chunk, not per line, keeps the
 * reader fast enough for millions of lines. Memory is bounded by the chunk size plus
 * MAX_LINE_CHARS, whatever the input: the part of an overlong line past the limit is dropped
 * as it streams by.
 */
export async function* readLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Line[]> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let cut = false;
  let number = 0;
  /** Adds text[from, to) to the line being built, up to the limit. */
  const keep = (text: string, from: number, to: number) => {
    const room = MAX_LINE_CHARS - carry.length;
    if (to - from > room) {
      cut = true;
      to = from + room;
    }
    if (to > from) carry += text.slice(from, to);
  };
  const finish = (text: string, from: number, to: number): Line => {
    let line: string;
    if (carry === '' && !cut && to - from <= MAX_LINE_CHARS) line = text.slice(from, to);
    else {
      keep(text, from, to);
      line = carry;
    }
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const out = { number: ++number, text: line, cut };
    carry = '';
    cut = false;
    return out;
  };
  const split = function* (text: string, last: boolean): Generator<Line[]> {
    const batch: Line[] = [];
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      batch.push(finish(text, from, nl));
      from = nl + 1;
    }
    keep(text, from, text.length);
    if (last && (carry !== '' || cut)) batch.push(finish('', 0, 0));
    if (batch.length > 0) yield batch;
  };
  for await (const chunk of chunks) yield* split(decoder.decode(chunk, { stream: true }), false);
  yield* split(decoder.decode(), true);
}
