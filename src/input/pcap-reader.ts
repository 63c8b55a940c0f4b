import type { Diagnostics, Frame } from '../model.js';
import { InputError } from './input-error.js';
import { type RecordParser, parseRecords } from './record-joiner.js';

/** Called once per frame; `frame.data` is only valid during the call (copy to keep it). */
export type FrameSink = (frame: Frame) => void;

/**
 * Takes each frame in place, as the bytes[start, end) of the chunk it was read from (valid only
 * during the call): no Frame object and no view are made per frame. FrameDecoder is one.
 */
export interface FrameBytesSink {
  frameAt(bytes: Uint8Array, start: number, end: number, number: number, timeUs: number, linkType: number, originalLength: number): void;
}

/** A FrameBytesSink for either kind of sink: a FrameSink gets a Frame object per frame. */
export function bytesSink(sink: FrameSink | FrameBytesSink): FrameBytesSink {
  if (typeof sink !== 'function') return sink;
  return {
    frameAt: (bytes, start, end, number, timeUs, linkType, originalLength) =>
      sink({ number, timeUs, linkType, data: bytes.subarray(start, end), originalLength }),
  };
}

export interface CaptureInfo {
  format: 'pcap' | 'pcapng';
  linkTypes: number[];
  frames: number;
  /** Bytes at the end that did not make a whole record (a capture cut off mid-write). */
  truncatedAt: number | null;
}

/**
 * A record longer than this cannot be real: Linux's largest snaplen is 262144, and tcpdump
 * refuses more. A bigger incl_len means the file is corrupt from here on, and since a pcap
 * has no resynchronisation marker, reading stops instead of scanning gigabytes of garbage.
 */
export const MAX_PCAP_RECORD = 262_144 * 4;

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

/**
 * Streaming reader for classic libpcap files (all four magics: µs and ns, both byte orders).
 * Parses whole records synchronously inside each chunk, in place; only a record split across
 * chunks is copied. Reports a truncated final record with its byte offset instead of dropping it
 * silently.
 */
export async function readPcap(
  chunks: AsyncIterable<Uint8Array>,
  onFrame: FrameSink | FrameBytesSink,
  diag: Diagnostics,
): Promise<CaptureInfo> {
  const records = new PcapRecords(bytesSink(onFrame), diag);
  const end = await parseRecords(chunks, records);
  const { header, frames } = records;
  let truncatedAt: number | null = null;
  if (!records.stopped && header === null) {
    throw new InputError(`not a complete pcap file: ${end.leftover} bytes, shorter than the 24-byte header`);
  }
  if (end.leftover > 0) {
    truncatedAt = end.at;
    diag.anomaly({
      code: 'pcap-truncated-record',
      frame: frames + 1,
      detail: `the capture ends ${end.leftover} bytes into a record that starts at byte ${end.at}`,
    });
    diag.warn(`capture is cut off: the last record (frame ${frames + 1}, byte offset ${end.at}) is incomplete; everything before it was analysed`);
  }
  return { format: 'pcap', linkTypes: header ? [header.linkType] : [], frames, truncatedAt };
}

interface GlobalHeader {
  little: boolean;
  nano: boolean;
  linkType: number;
}

/** The records of a pcap stream, parsed in place and handed to the sink. */
class PcapRecords implements RecordParser {
  need = GLOBAL_HEADER;
  stopped = false;
  header: GlobalHeader | null = null;
  frames = 0;

  constructor(
    private readonly sink: FrameBytesSink,
    private readonly diag: Diagnostics,
  ) {}

  parse(buf: Uint8Array, view: DataView, from: number, offset: number): number {
    let pos = from;
    if (this.header === null) {
      this.need = GLOBAL_HEADER;
      if (buf.length - pos < GLOBAL_HEADER) return pos;
      this.header = parseGlobalHeader(view, pos);
      pos += GLOBAL_HEADER;
    }
    const { little, nano, linkType } = this.header;
    const fracScale = nano ? 0.001 : 1;
    const sink = this.sink;
    while (buf.length - pos >= RECORD_HEADER) {
      const inclLen = view.getUint32(pos + 8, little);
      if (inclLen > MAX_PCAP_RECORD) {
        this.diag.anomaly({
          code: 'pcap-bad-record-length',
          frame: this.frames + 1,
          detail: `record at byte ${offset + pos} claims ${inclLen} bytes (more than ${MAX_PCAP_RECORD}); the rest of the file is unreadable`,
        });
        this.diag.warn(`capture is corrupt from byte ${offset + pos}: a record claims ${inclLen} bytes; everything before it was analysed`);
        this.stopped = true;
        return pos;
      }
      if (buf.length - pos < RECORD_HEADER + inclLen) {
        this.need = RECORD_HEADER + inclLen;
        return pos;
      }
      const sec = view.getUint32(pos, little);
      const frac = view.getUint32(pos + 4, little);
      const origLen = view.getUint32(pos + 12, little);
      this.frames++;
      sink.frameAt(buf, pos + RECORD_HEADER, pos + RECORD_HEADER + inclLen, this.frames, sec * 1e6 + frac * fracScale, linkType, origLen);
      pos += RECORD_HEADER + inclLen;
    }
    this.need = RECORD_HEADER;
    return pos;
  }
}

function parseGlobalHeader(view: DataView, at: number): GlobalHeader {
  const magicBe = view.getUint32(at, false);
  let little: boolean;
  let nano: boolean;
  switch (magicBe) {
    case 0xa1b2c3d4: little = false; nano = false; break;
    case 0xd4c3b2a1: little = true; nano = false; break;
    case 0xa1b23c4d: little = false; nano = true; break;
    case 0x4d3cb2a1: little = true; nano = true; break;
    default:
      throw new InputError('not a pcap file (bad magic number)');
  }
  // The link type is the low 16 bits (the upper bits carry the FCS length flags, pcap(5)).
  const linkType = view.getUint32(at + 20, little) & 0xffff;
  return { little, nano, linkType };
}
