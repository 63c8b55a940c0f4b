import type { Diagnostics, Frame } from '../model.js';
import { InputError } from './input-error.js';
import { RecordJoiner } from './record-joiner.js';

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
 * Parses whole records synchronously inside each chunk; only a record split across chunks is
 * copied. Reports a truncated final record with its byte offset instead of dropping it silently.
 */
export async function readPcap(
  chunks: AsyncIterable<Uint8Array>,
  onFrame: FrameSink | FrameBytesSink,
  diag: Diagnostics,
): Promise<CaptureInfo> {
  const sink = bytesSink(onFrame);
  const joiner = new RecordJoiner();
  let header: { little: boolean; nano: boolean; linkType: number } | null = null;
  let frames = 0;
  let stopped = false;

  for await (const chunk of chunks) {
    if (stopped) continue;
    const buf = joiner.join(chunk);
    if (buf === null) continue;
    const base = joiner.base;
    /** Length of the record cut off at the end of `buf`, once its header is in. */
    let need = 0;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let pos = 0;
    if (header === null) {
      if (buf.length < GLOBAL_HEADER) {
        joiner.keep(buf, 0);
        continue;
      }
      header = parseGlobalHeader(view);
      pos = GLOBAL_HEADER;
    }
    const { little, nano, linkType } = header;
    const fracScale = nano ? 0.001 : 1;
    while (buf.length - pos >= RECORD_HEADER) {
      const inclLen = view.getUint32(pos + 8, little);
      if (inclLen > MAX_PCAP_RECORD) {
        diag.anomaly({
          code: 'pcap-bad-record-length',
          frame: frames + 1,
          detail: `record at byte ${base + pos} claims ${inclLen} bytes (more than ${MAX_PCAP_RECORD}); the rest of the file is unreadable`,
        });
        diag.warn(`capture is corrupt from byte ${base + pos}: a record claims ${inclLen} bytes; everything before it was analysed`);
        stopped = true;
        break;
      }
      if (buf.length - pos < RECORD_HEADER + inclLen) {
        need = RECORD_HEADER + inclLen;
        break;
      }
      const sec = view.getUint32(pos, little);
      const frac = view.getUint32(pos + 4, little);
      const origLen = view.getUint32(pos + 12, little);
      frames++;
      sink.frameAt(buf, pos + RECORD_HEADER, pos + RECORD_HEADER + inclLen, frames, sec * 1e6 + frac * fracScale, linkType, origLen);
      pos += RECORD_HEADER + inclLen;
    }
    if (stopped) {
      joiner.clear();
      continue;
    }
    joiner.keep(buf, pos, need);
  }

  const leftover = joiner.leftover;
  const base = joiner.base;
  let truncatedAt: number | null = null;
  if (!stopped && header === null) {
    throw new InputError(`not a complete pcap file: ${leftover} bytes, shorter than the 24-byte header`);
  }
  if (!stopped && leftover > 0) {
    truncatedAt = base;
    diag.anomaly({
      code: 'pcap-truncated-record',
      frame: frames + 1,
      detail: `the capture ends ${leftover} bytes into a record that starts at byte ${base}`,
    });
    diag.warn(`capture is cut off: the last record (frame ${frames + 1}, byte offset ${base}) is incomplete; everything before it was analysed`);
  }
  return { format: 'pcap', linkTypes: header ? [header.linkType] : [], frames, truncatedAt };
}

function parseGlobalHeader(view: DataView): { little: boolean; nano: boolean; linkType: number } {
  const magicBe = view.getUint32(0, false);
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
  const linkType = view.getUint32(20, little) & 0xffff;
  return { little, nano, linkType };
}
