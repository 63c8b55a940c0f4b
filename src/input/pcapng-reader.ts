import type { Diagnostics } from '../model.js';
import { InputError } from './input-error.js';
import { type RecordParser, parseRecords } from './record-joiner.js';
import { type CaptureInfo, type FrameBytesSink, type FrameSink, bytesSink } from './pcap-reader.js';

/**
 * Largest block accepted. Wireshark's wiretap refuses pcapng blocks over 16 MiB
 * (MAX_BLOCK_SIZE in wiretap/pcapng.c) for the same reason: a bigger length is corruption, and
 * trusting it would buffer the rest of the file waiting for a block that never ends.
 */
export const MAX_PCAPNG_BLOCK = 16 * 1024 * 1024;

/** Block types (draft-ietf-opsawg-pcapng §4, §11.1). */
const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const PB = 0x00000002; // obsolete Packet Block (Appendix A), still written by old tools
const SPB = 0x00000003;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Type, total length, trailing total length. */
const BLOCK_OVERHEAD = 12;
const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

interface Interface {
  linkType: number;
  snapLen: number;
  /** Microseconds per timestamp unit: 1 for the default 10^-6, 0.001 for nanoseconds. */
  usPerUnit: number;
  /** if_tsoffset, in microseconds: added to every timestamp of the interface. */
  offsetUs: number;
}

/**
 * Streaming reader for pcapng (draft-ietf-opsawg-pcapng): Section Header blocks in either byte
 * order and any number of sections, Interface Description blocks (link type, snaplen,
 * if_tsresol, if_tsoffset), Enhanced, Simple and obsolete Packet blocks; every other block is
 * skipped by its length. Whole blocks inside a chunk are parsed synchronously; only a block split
 * across chunks is copied. A bad block length ends the reading with an Anomaly and a warning
 * (pcapng has no resynchronisation marker), and a block cut off at the end of the file is
 * reported with its byte offset; everything before either is kept.
 */
export async function readPcapng(
  chunks: AsyncIterable<Uint8Array>,
  onFrame: FrameSink | FrameBytesSink,
  diag: Diagnostics,
): Promise<CaptureInfo> {
  const sink = bytesSink(onFrame);
  let little: boolean | null = null;
  let interfaces: Interface[] = [];
  const linkTypes = new Set<number>();
  let frames = 0;

  const stop = (code: string, at: number, detail: string) => {
    diag.anomaly({ code, frame: frames + 1, detail: `block at byte ${at}: ${detail}` });
    diag.warn(`capture is corrupt from byte ${at} (${detail}); everything before it was analysed`);
    blocks.stopped = true;
  };

  /** The blocks of buf[from, buf.length), parsed in place; `base` is the input offset of buf[0]. */
  const parse = (buf: Uint8Array, view: DataView, from: number, base: number): number => {
    blocks.need = BLOCK_OVERHEAD;
    let pos = from;
    while (buf.length - pos >= BLOCK_OVERHEAD) {
      const typeBe = view.getUint32(pos, false);
      let le: boolean;
      if (typeBe === SHB) {
        // The SHB's own length is in the byte order its byte-order magic announces.
        const magicLe = view.getUint32(pos + 8, true);
        if (magicLe === BYTE_ORDER_MAGIC) le = true;
        else if (view.getUint32(pos + 8, false) === BYTE_ORDER_MAGIC) le = false;
        else {
          stop('pcapng-bad-section-header', base + pos, 'section header without a valid byte-order magic');
          break;
        }
      } else if (little === null) {
        stop('pcapng-bad-section-header', base + pos, 'the file does not start with a section header');
        break;
      } else le = little;
      const type = view.getUint32(pos, le);
      const length = view.getUint32(pos + 4, le);
      if (length < BLOCK_OVERHEAD || length % 4 !== 0 || length > MAX_PCAPNG_BLOCK) {
        stop('pcapng-bad-block-length', base + pos, `type 0x${type.toString(16)} claims a length of ${length} bytes`);
        break;
      }
      if (buf.length - pos < length) {
        blocks.need = length;
        break;
      }
      if (view.getUint32(pos + length - 4, le) !== length) {
        stop('pcapng-bad-block-length', base + pos, `type 0x${type.toString(16)} has a leading length of ${length} and a different trailing length`);
        break;
      }
      const body = pos + 8;
      const bodyEnd = pos + length - 4;
      switch (type) {
        case SHB:
          // A new section: its interfaces are numbered from 0 again.
          little = le;
          interfaces = [];
          break;
        case IDB: {
          if (bodyEnd - body < 8) {
            diag.anomaly({ code: 'pcapng-bad-block', frame: null, detail: `interface block at byte ${base + pos} is ${length} bytes long` });
            interfaces.push({ linkType: -1, snapLen: 0, usPerUnit: 1, offsetUs: 0 });
            break;
          }
          const iface = readInterface(view, body, bodyEnd, le);
          interfaces.push(iface);
          linkTypes.add(iface.linkType);
          break;
        }
        case EPB:
        case PB: {
          if (bodyEnd - body < 20) {
            frames++;
            diag.anomaly({ code: 'pcapng-bad-block', frame: frames, detail: `packet block at byte ${base + pos} is ${length} bytes long` });
            sink.frameAt(buf, body, body, frames, 0, -1, 0);
            break;
          }
          const ifId = type === EPB ? view.getUint32(body, le) : view.getUint16(body, le);
          const high = view.getUint32(body + 4, le);
          const low = view.getUint32(body + 8, le);
          const capLen = view.getUint32(body + 12, le);
          const origLen = view.getUint32(body + 16, le);
          const dataStart = body + 20;
          frames++;
          const dataEnd = Math.min(dataStart + capLen, bodyEnd);
          if (dataStart + capLen > bodyEnd) {
            diag.anomaly({ code: 'pcapng-bad-block', frame: frames, detail: `packet block at byte ${base + pos} claims ${capLen} captured bytes; it holds ${bodyEnd - dataStart}` });
          }
          emit(ifId, high, low, buf, dataStart, dataEnd, origLen, base + pos);
          break;
        }
        case SPB: {
          frames++;
          const origLen = view.getUint32(body, le);
          const iface = interfaces[0];
          // §4.4: the captured length is the smaller of the original length and the snaplen;
          // an SPB carries no timestamp, so its frames get time 0 as in Wireshark.
          let capLen = Math.min(origLen, bodyEnd - body - 4);
          if (iface && iface.snapLen > 0) capLen = Math.min(capLen, iface.snapLen);
          emit(0, 0, 0, buf, body + 4, body + 4 + capLen, origLen, base + pos);
          break;
        }
        default:
          // Interface statistics, name resolution, decryption secrets, custom blocks: not packets.
          break;
      }
      pos += length;
    }
    return pos;
  };
  const blocks: RecordParser = { need: BLOCK_OVERHEAD, stopped: false, parse };

  function emit(ifId: number, high: number, low: number, buf: Uint8Array, start: number, end: number, origLen: number, at: number): void {
    const iface = interfaces[ifId];
    if (iface === undefined) {
      diag.anomaly({ code: 'pcapng-unknown-interface', frame: frames, detail: `packet block at byte ${at} names interface ${ifId}, which its section never described` });
      sink.frameAt(buf, start, end, frames, 0, -1, origLen);
      return;
    }
    // Two multiplications keep microsecond timestamps exact (< 2^53) and lose under 1 µs at ns.
    const timeUs = high * 4294967296 * iface.usPerUnit + low * iface.usPerUnit + iface.offsetUs;
    sink.frameAt(buf, start, end, frames, timeUs, iface.linkType, origLen);
  }

  const end = await parseRecords(chunks, blocks);
  if (!blocks.stopped && little === null) {
    throw new InputError(`not a complete pcapng file: ${end.leftover} bytes, no whole section header block`);
  }
  let truncatedAt: number | null = null;
  if (end.leftover > 0) {
    truncatedAt = end.at;
    diag.anomaly({
      code: 'pcapng-truncated-block',
      frame: frames + 1,
      detail: `the capture ends ${end.leftover} bytes into a block that starts at byte ${end.at}`,
    });
    diag.warn(`capture is cut off: the last block (byte offset ${end.at}) is incomplete; everything before it was analysed`);
  }
  return { format: 'pcapng', linkTypes: [...linkTypes], frames, truncatedAt };
}

/** IDB body: link type (2), reserved (2), snaplen (4), then options (§4.2). */
function readInterface(view: DataView, body: number, end: number, le: boolean): Interface {
  const iface: Interface = { linkType: view.getUint16(body, le), snapLen: view.getUint32(body + 4, le), usPerUnit: 1, offsetUs: 0 };
  let at = body + 8;
  while (at + 4 <= end) {
    const code = view.getUint16(at, le);
    const len = view.getUint16(at + 2, le);
    if (code === OPT_ENDOFOPT || at + 4 + len > end) break;
    if (code === OPT_IF_TSRESOL && len >= 1) {
      // High bit clear: 10^-v seconds per unit; set: 2^-v (§4.2, if_tsresol).
      const v = view.getUint8(at + 4);
      const unitsPerSecond = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
      iface.usPerUnit = 1e6 / unitsPerSecond;
    } else if (code === OPT_IF_TSOFFSET && len >= 8) {
      const hi = view.getInt32(at + 4 + (le ? 4 : 0), le);
      const lo = view.getUint32(at + 4 + (le ? 0 : 4), le);
      iface.offsetUs = (hi * 4294967296 + lo) * 1e6;
    }
    at += 4 + ((len + 3) & ~3);
  }
  return iface;
}
