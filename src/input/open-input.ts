import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { InputError } from './input-error.js';
import { type SniffedFormat, sniffFormat } from './sniff.js';

export interface SniffedInput {
  format: Exclude<SniffedFormat, 'gzip' | 'unknown'>;
  compressed: boolean;
  chunks: AsyncIterable<Uint8Array>;
}

/** Enough bytes to tell text from binary with confidence. */
const SNIFF_BYTES = 4096;

/**
 * Looks at the first bytes of a stream, says what it is, and gives the stream back whole.
 * gzip is unwrapped (Node's streaming zlib) and sniffed again.
 */
export async function sniffInput(chunks: AsyncIterable<Uint8Array>, compressed = false): Promise<SniffedInput> {
  const it = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let have = 0;
  let ended = false;
  while (have < SNIFF_BYTES) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    have += next.value.length;
  }
  const first = Buffer.concat(head);
  const whole = (async function* () {
    if (first.length > 0) yield first;
    if (ended) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  const format = sniffFormat(first);
  if (format === 'gzip') {
    if (compressed) throw new InputError('gzip inside gzip is not supported');
    const gunzip = Readable.from(whole).pipe(createGunzip());
    return sniffInput(gunzipChunks(gunzip), true);
  }
  if (format === 'unknown') {
    if (first.length === 0) throw new InputError(compressed ? 'the gzip stream is empty' : 'the input is empty');
    throw new InputError('the input is neither a pcap/pcapng capture nor tcpdump text');
  }
  return { format, compressed, chunks: whole };
}

async function* gunzipChunks(stream: NodeJS.ReadableStream): AsyncGenerator<Uint8Array> {
  try {
    for await (const c of stream) yield c as Uint8Array;
  } catch (e) {
    throw new InputError(`the gzip stream is corrupt: ${(e as Error).message}`);
  }
}
