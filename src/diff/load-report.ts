import { InputError } from '../input/input-error.js';
import { type AnalyzeOptions, type Source, analyze } from '../pipeline.js';
import type { ComparedReport } from './compare-reports.js';
import { readJsonReport } from './read-json-report.js';

/** V8 cannot hold a string much past 512 MiB; a JSON report that big is refused with a reason. */
const MAX_JSON_BYTES = 256 * 1024 * 1024;

/**
 * One side of a diff as a Report: a JSON report that dnstrace wrote earlier is read back, and
 * anything else (pcap, pcapng, gzip, tcpdump text) is analysed. Told apart by the first byte that
 * is not white space: a JSON report opens with "{", which no tcpdump line does (each starts with a
 * timestamp or the noise tcpdump prints), and no capture magic number does.
 */
export async function loadReport(source: Source, options: Partial<AnalyzeOptions> = {}): Promise<ComparedReport> {
  const label = source.name === '-' ? 'standard input' : source.name;
  const it = source.chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let first: number | undefined;
  let ended = false;
  while (first === undefined) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    first = firstSignificantByte(next.value);
  }
  const rest = (async function* () {
    yield* head;
    if (ended) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  if (first === 0x7b && !startsWithPcapngMagic(head)) return { report: readJsonReport(await readAll(rest, label), label), readFrom: 'json-report' };
  try {
    return { report: await analyze({ name: source.name, chunks: rest }, options), readFrom: 'capture' };
  } catch (e) {
    // analyze's messages do not name the input; with two inputs the user must know which one.
    if (e instanceof InputError) throw new InputError(`${label}: ${e.message}`);
    throw e;
  }
}

/**
 * A pcapng Section Header Block starts with 0a 0d 0d 0a, four bytes JSON counts as white space;
 * its length field could never make the next byte "{", but the check keeps that argument out of
 * the way.
 */
function startsWithPcapngMagic(head: readonly Uint8Array[]): boolean {
  const b = Buffer.concat(head.slice(0, 4)).subarray(0, 4);
  return b.length === 4 && b[0] === 0x0a && b[1] === 0x0d && b[2] === 0x0d && b[3] === 0x0a;
}

/** The first byte that is not a UTF-8 byte-order mark or JSON white space. */
function firstSignificantByte(chunk: Uint8Array): number | undefined {
  for (let i = 0; i < chunk.length; i++) {
    const b = chunk[i];
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    if (b === 0xef && chunk[i + 1] === 0xbb && chunk[i + 2] === 0xbf) {
      i += 2;
      continue;
    }
    return b;
  }
  return undefined;
}

async function readAll(chunks: AsyncIterable<Uint8Array>, label: string): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (size > MAX_JSON_BYTES) throw new InputError(`${label}: a JSON report larger than ${MAX_JSON_BYTES / 1024 / 1024} MiB is not supported`);
    parts.push(c);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(parts));
}
