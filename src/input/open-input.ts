import { Readable } from 'node:stream';
import type { Diagnostics } from '../model.js';
import { InputError } from './input-error.js';
import { type SniffedFormat, settledFormat, sniffFormat } from './sniff.js';

export interface SniffedInput {
  format: Exclude<SniffedFormat, 'gzip' | 'unknown'>;
  compressed: boolean;
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * Output chunk of the gunzip stream: zlib's default is 16 KiB; 1 MiB chunks cost fewer stream
 * round trips and split fewer capture records across chunks.
 */
const GUNZIP_CHUNK = 1 << 20;

/**
 * Looks at the first bytes of a stream, says what it is, and gives the stream back whole.
 * gzip is unwrapped (Node's streaming zlib) and sniffed again.
 */
export async function sniffInput(
  chunks: AsyncIterable<Uint8Array>,
  compressed = false,
  diag: Diagnostics | null = null,
): Promise<SniffedInput> {
  const it = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let ended = false;
  // Read until the bytes settle what the input is (SNIFF_BYTES at most), or it ends.
  let first = Buffer.alloc(0);
  for (;;) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    first = Buffer.concat(head);
    if (settledFormat(first) !== null) break;
  }
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
    // zlib is loaded for gzip input only.
    const { createGunzip } = await import('node:zlib');
    const gunzip = Readable.from(whole).pipe(createGunzip({ chunkSize: GUNZIP_CHUNK }));
    return sniffInput(gunzipChunks(gunzip, diag), true, diag);
  }
  if (format === 'unknown') {
    if (first.length === 0) throw new InputError(compressed ? 'the gzip stream is empty' : 'the input is empty');
    throw new InputError('the input is neither a pcap/pcapng capture nor tcpdump text');
  }
  return { format, compressed, chunks: whole };
}

/**
 * A gzip that is cut off (a rotated file copied while still being written, a download that
 * stopped) or corrupt part-way still holds good packets before the damage: they are kept, and
 * the damage becomes a warning with the uncompressed byte offset where reading stopped.
 */
async function* gunzipChunks(stream: NodeJS.ReadableStream, diag: Diagnostics | null): AsyncGenerator<Uint8Array> {
  let offset = 0;
  try {
    for await (const c of stream) {
      offset += (c as Uint8Array).length;
      yield c as Uint8Array;
    }
  } catch (e) {
    const why = (e as Error).message;
    if (diag === null) throw new InputError(`the gzip stream is corrupt: ${why}`);
    diag.anomaly({ code: 'gzip-corrupt', frame: null, detail: `decompression stopped after ${offset} bytes: ${why}` });
    diag.warn(`the gzip stream is corrupt or cut off (${why}) after ${offset} uncompressed bytes; everything before it was analysed`);
  }
}
