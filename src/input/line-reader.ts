/** Longest line kept whole; a longer one is cut (and reported) so one line cannot exhaust memory. */
export const MAX_LINE_BYTES = 64 * 1024;

export interface Line {
  number: number;
  text: string;
  /** The line was longer than MAX_LINE_BYTES and `text` holds only its start. */
  cut: boolean;
}

/**
 * Splits a byte stream into lines (LF or CRLF), decoding each as UTF-8 with replacement
 * characters for invalid bytes. Memory is bounded by MAX_LINE_BYTES whatever the input.
 */
export async function* readLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8');
  let parts: Uint8Array[] = [];
  let partsLength = 0;
  let cut = false;
  let number = 0;
  const finish = (): Line => {
    let bytes: Uint8Array;
    if (parts.length === 1) bytes = parts[0];
    else {
      bytes = new Uint8Array(partsLength);
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
    }
    let text = decoder.decode(bytes);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const line = { number: ++number, text, cut };
    parts = [];
    partsLength = 0;
    cut = false;
    return line;
  };
  const keep = (piece: Uint8Array) => {
    const room = MAX_LINE_BYTES - partsLength;
    if (piece.length > room) {
      cut = true;
      piece = piece.subarray(0, room);
    }
    if (piece.length > 0) {
      parts.push(piece.slice());
      partsLength += piece.length;
    }
  };
  for await (const chunk of chunks) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, from);
      if (nl < 0) {
        keep(chunk.subarray(from));
        break;
      }
      keep(chunk.subarray(from, nl));
      yield finish();
      from = nl + 1;
    }
  }
  if (partsLength > 0 || cut) yield finish();
}
