import type { DnsRecord } from '../../model.js';
import { type TextDnsResult, parseTextDns } from './parse-dns.js';

/** DNS texts kept at once (a power of two); a miss overwrites its slot, so memory stays flat. */
const SLOTS = 4096;
/** Longer texts are parsed every time: a kept text is at most this many bytes. */
export const MAX_KEPT_TEXT = 512;

/**
 * parseTextDns for the DNS text of a line given as bytes, remembering what the bytes after the
 * DNS id parsed to. tcpdump prints one line per message, and a resolver's traffic repeats the
 * same few hundred questions and answers under new ids ("40467+ A? api.default.svc.cluster.local.
 * (47)"), so most lines cost a comparison of their bytes instead of a decode and a parse. Sound
 * because parseTextDns reads the leading digits as the id and nothing else from them: the same
 * text after them always parses the same, id aside (the id of the text read last is `id`).
 * What is kept is shared by every message that repeats it, so it is frozen.
 */
export class TextDnsCache {
  /** The DNS id of the text read last: a kept result carries the id it was first seen with. */
  id = 0;
  private readonly entries: (Entry | undefined)[] = new Array<Entry | undefined>(SLOTS).fill(undefined);
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The bytes last read and a view of them: lines come from a few large chunks, so it is made once per chunk. */
  private bytes: Uint8Array | null = null;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** parseTextDns of the text b[start, end), which starts with the id's digits. */
  parse(b: Uint8Array, start: number, end: number): TextDnsResult | null {
    let at = start;
    let id = 0;
    for (; at < end; at++) {
      const c = b[at];
      if (c < 48 || c > 57) break;
      id = id * 10 + c - 48;
    }
    this.id = id;
    const length = end - at;
    if (at === start || length > MAX_KEPT_TEXT) return parseTextDns(this.decoder.decode(b.subarray(start, end)));
    if (b !== this.bytes) {
      this.bytes = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const v = this.view;
    // Hashed and compared four bytes at a time: a text is some 60 bytes, on every line.
    const whole = at + (length & ~3);
    let h = Math.imul(length, 0x9e3779b1);
    for (let p = at; p < whole; p += 4) {
      // Each word's high bytes must reach the low bits the slot is taken from: multiply, then fold.
      h = Math.imul(h ^ v.getInt32(p, true), 0x85ebca6b);
      h ^= h >>> 13;
    }
    const tail = tailWord(b, whole, end);
    h = Math.imul(h ^ tail, 0xc2b2ae35);
    h ^= h >>> 16;
    // Two slots per text, so that two texts that hash alike do not push each other out.
    const slot = h & (SLOTS - 2);
    const entries = this.entries;
    for (let s = slot; s < slot + 2; s++) {
      const e = entries[s];
      if (e === undefined || e.length !== length) continue;
      const words = e.words;
      let w = 0;
      let p = at;
      while (p < whole && v.getInt32(p, true) === words[w]) {
        p += 4;
        w++;
      }
      if (p === whole && words[w] === tail) return e.result;
    }
    const r = frozen(parseTextDns(this.decoder.decode(b.subarray(start, end))));
    const words = new Int32Array((length >> 2) + 1);
    for (let p = at, w = 0; p < whole; p += 4, w++) words[w] = v.getInt32(p, true);
    words[length >> 2] = tail;
    // The newer entry first; the one it displaces moves to the second slot.
    entries[slot + 1] = entries[slot];
    entries[slot] = { length, words, result: r };
    return r;
  }
}

interface Entry {
  /** Bytes of the text after the id. */
  length: number;
  /** Those bytes as little-endian words, the last 0 to 3 bytes in one more (zero-padded). */
  words: Int32Array;
  result: TextDnsResult | null;
}

/** The bytes b[from, end) (0 to 3 of them) as the low bytes of a little-endian word. */
function tailWord(b: Uint8Array, from: number, end: number): number {
  let tail = 0;
  for (let i = end - 1; i >= from; i--) tail = (tail << 8) | b[i];
  return tail;
}

function frozen(r: TextDnsResult | null): TextDnsResult | null {
  if (r === null) return null;
  if (r.kind === 'dns') {
    const d = r.dns;
    Object.freeze(d.flags);
    Object.freeze(d.counts);
    if (d.question !== null) Object.freeze(d.question);
    freezeRecords(d.answers);
    freezeRecords(d.authorities);
    freezeRecords(d.additionals);
    Object.freeze(d);
  }
  return Object.freeze(r);
}

function freezeRecords(list: DnsRecord[]): void {
  for (const r of list) Object.freeze(r);
  Object.freeze(list);
}
