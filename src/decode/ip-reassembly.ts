import { skipIpv6Extensions } from './ip-layer.js';
import type { IpFragment, IpPacket } from './packet.js';

/**
 * How long the first fragment of a datagram waits for the rest, in capture time: RFC 8200 §4.5's
 * 60 s for IPv6, and twice Linux's net.ipv4.ipfrag_time (30 s), so every datagram a real host
 * reassembled is reassembled here too.
 */
export const FRAGMENT_TIMEOUT_US = 60_000_000;
/**
 * Datagrams reassembled at once. A resolver's fragmented responses are a handful at a time; a
 * fragment flood must not hold the whole capture in memory. The oldest datagram is given up first.
 */
export const MAX_PENDING_DATAGRAMS = 1024;
/** The IPv4 total length and the IPv6 payload length are 16-bit fields: nothing reassembles past it. */
export const MAX_DATAGRAM_BYTES = 65_535;

interface Piece {
  offset: number;
  data: Uint8Array;
}

interface Pending {
  version: 4 | 6;
  src: string;
  dst: string;
  protocol: number;
  pieces: Piece[];
  /** Known once the last fragment (MF clear) has arrived. */
  totalLength: number | null;
  /** Frames of every fragment received, in arrival order. */
  frames: number[];
  firstTimeUs: number;
}

export type ReassemblyResult =
  /** The fragment completed its datagram: `frames` lists the fragment frames, the last one included. */
  | { kind: 'complete'; packet: IpPacket; frames: number[] }
  | { kind: 'pending' }
  /** `frames` lists fragment frames the failure resolved (empty when the fragment was refused alone). */
  | { kind: 'malformed'; detail: string; frames: number[] };

/** A datagram given up on: too old, pushed out by newer ones, or left at the end of the capture. */
export interface AbandonedDatagram {
  frames: number[];
  reason: string;
}

/**
 * IPv4 and IPv6 fragment reassembly keyed by (version, source, destination, protocol, id), the
 * key RFC 791 §3.2 and RFC 8200 §4.5 define. Later copies of overlapping bytes win, as Linux does
 * for IPv4 (RFC 5722 would drop an overlapping IPv6 datagram; this one is still reported).
 */
export class IpReassembler {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly onAbandon: (d: AbandonedDatagram) => void) {}

  add(f: IpFragment, frame: number, timeUs: number): ReassemblyResult {
    this.expire(timeUs);
    const end = f.offset + f.payload.length;
    if (end > MAX_DATAGRAM_BYTES) return { kind: 'malformed', detail: `IP fragment ends at byte ${end}, past the ${MAX_DATAGRAM_BYTES}-byte limit`, frames: [] };
    if (f.more && f.payload.length % 8 !== 0) return { kind: 'malformed', detail: `IP fragment of ${f.payload.length} bytes is not the last yet not a multiple of 8`, frames: [] };
    const key = `${f.version}|${f.src}|${f.dst}|${f.version === 4 ? f.protocol : 0}|${f.id}`;
    let p = this.pending.get(key);
    if (p === undefined) {
      if (this.pending.size >= MAX_PENDING_DATAGRAMS) {
        const [oldKey, old] = this.pending.entries().next().value as [string, Pending];
        this.pending.delete(oldKey);
        this.onAbandon({ frames: old.frames, reason: `given up: more than ${MAX_PENDING_DATAGRAMS} datagrams were being reassembled at once` });
      }
      p = { version: f.version, src: f.src, dst: f.dst, protocol: f.protocol, pieces: [], totalLength: null, frames: [], firstTimeUs: timeUs };
      this.pending.set(key, p);
    }
    p.frames.push(frame);
    p.pieces.push({ offset: f.offset, data: f.payload.slice() });
    // IPv6: only the first fragment's Next Header names the upper layer (RFC 8200 §4.5).
    if (f.offset === 0) p.protocol = f.protocol;
    if (!f.more) p.totalLength = end;
    if (p.totalLength === null || !covers(p.pieces, p.totalLength)) return { kind: 'pending' };
    this.pending.delete(key);
    const payload = new Uint8Array(p.totalLength);
    for (const piece of p.pieces) payload.set(piece.data.subarray(0, Math.max(0, p.totalLength - piece.offset)), piece.offset);
    let protocol = p.protocol;
    let body = payload;
    if (p.version === 6) {
      const upper = skipIpv6Extensions(payload, protocol);
      if (upper === null) return { kind: 'malformed', detail: 'IPv6 extension headers run past the reassembled datagram', frames: p.frames };
      protocol = upper.protocol;
      body = payload.subarray(upper.offset);
    }
    return { kind: 'complete', packet: { version: p.version, src: p.src, dst: p.dst, protocol, payload: body, truncated: false }, frames: p.frames };
  }

  /** Gives up on datagrams whose first fragment is older than FRAGMENT_TIMEOUT_US. */
  expire(nowUs: number): void {
    for (const [key, p] of this.pending) {
      if (nowUs - p.firstTimeUs <= FRAGMENT_TIMEOUT_US) break;
      this.pending.delete(key);
      this.onAbandon({ frames: p.frames, reason: `expired: incomplete ${FRAGMENT_TIMEOUT_US / 1e6} s after its first fragment` });
    }
  }

  /** At the end of the capture, every datagram still incomplete is given up. */
  finish(): void {
    for (const p of this.pending.values()) this.onAbandon({ frames: p.frames, reason: 'incomplete at the end of the capture' });
    this.pending.clear();
  }
}

/** True when the pieces leave no hole in [0, total). */
function covers(pieces: Piece[], total: number): boolean {
  const sorted = [...pieces].sort((a, b) => a.offset - b.offset);
  let reached = 0;
  for (const p of sorted) {
    if (p.offset > reached) return false;
    reached = Math.max(reached, p.offset + p.data.length);
    if (reached >= total) return true;
  }
  return reached >= total;
}
