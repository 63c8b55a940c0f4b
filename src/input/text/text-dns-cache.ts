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
  private readonly keys: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(SLOTS).fill(undefined);
  private readonly results: (TextDnsResult | null)[] = new Array<TextDnsResult | null>(SLOTS).fill(null);
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

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
    let h = 0x811c9dc5 ^ length;
    for (let i = at; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
    // Two slots per text, so that two texts that hash alike do not push each other out.
    const slot = (h ^ (h >>> 15)) & (SLOTS - 2);
    const keys = this.keys;
    for (let s = slot; s < slot + 2; s++) {
      const key = keys[s];
      if (key !== undefined && key.length === length && sameBytes(b, at, key)) return this.results[s];
    }
    const r = frozen(parseTextDns(this.decoder.decode(b.subarray(start, end))));
    const copy = new Uint8Array(length);
    copy.set(b.subarray(at, end));
    // The newer entry first; the one it displaces moves to the second slot.
    keys[slot + 1] = keys[slot];
    this.results[slot + 1] = this.results[slot];
    keys[slot] = copy;
    this.results[slot] = r;
    return r;
  }
}

function sameBytes(b: Uint8Array, at: number, key: Uint8Array): boolean {
  for (let i = 0; i < key.length; i++) if (b[at + i] !== key[i]) return false;
  return true;
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
