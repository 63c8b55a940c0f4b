import { dnsMessage } from '../dns-message.js';
import type { DnsContent, DnsFlags, DnsMessage, DnsQuestion, DnsRecord, SectionCounts, Transport } from '../model.js';
import { AddressTexts } from './address-texts.js';
import { className, opcodeName, rcodeName, typeName } from './dns-codes.js';
import { DnsFormatError } from './dns-name.js';
import { rdataText } from './dns-rdata.js';
import { referenceDnsMessage } from './dns-wire.js';
import { type DecodedBody, MAX_CACHED_MESSAGE, MessageBodyCache } from './message-body-cache.js';
import { type NameEntry, NameInterner } from './name-interner.js';

const HEADER = 12;
const MIN_QUESTION = 5;
const MIN_RECORD = 11;
const A = 1;
const NS = 2;
const CNAME = 5;
const SOA = 6;
const PTR = 12;
const AAAA = 28;
const DNAME = 39;
const OPT = 41;
/** Bound on the small caches keyed by names and numbers; cleared when full. */
const MAX_ENTRIES = 65_536;

/**
 * The decoder the capture path uses: yields exactly what decodeDnsWire (the reference) yields,
 * with the same checks, but without building the same strings and objects again and again.
 * Names, addresses and SOA data come from bounded caches; the header's flags, the section counts
 * and the question are shared, frozen objects (one per distinct value), so a consumer that tried
 * to change one would get a TypeError instead of changing other messages. Record types other
 * than A, AAAA, NS, CNAME, PTR, DNAME, SOA and OPT go to the reference codecs.
 *
 * A message this decoder rejects is decoded again by the reference, which throws the exact
 * error to report (or, should this decoder ever be stricter, gives the result): so anomalies
 * are the reference's, word for word. The differential tests hold the two to each other on
 * every fixture and corpus capture and on mutated messages.
 */
export class FastDnsDecoder {
  private readonly names = new NameInterner();
  private readonly addresses = new AddressTexts();
  private readonly counts = new Map<number, SectionCounts>();
  private readonly optClasses = new Map<number, string>();
  private readonly bodies = new MessageBodyCache();
  /** A DataView of the bytes decoded last: the capture's chunk, so made once per chunk. */
  private viewed: Uint8Array = new Uint8Array(0);
  private view = new DataView(this.viewed.buffer);
  /** Whether the message being decoded read anything but its own body (then it is not cached). */
  private readOutsideBody = false;
  /** The message object handed out last, filled in again for the next one (see the constructor). */
  private reused: DnsMessage | null = null;


  /**
   * Decodes the DNS message m[base, limit) into a DnsMessage; throws DnsFormatError (the
   * reference decoder's) when it is malformed.
   *
   * `reuse`: the message is the object handed out last time `reuse` was set, filled in again,
   * for a consumer that reads each message before the next and keeps none of it but its shared
   * parts (question, records, flags, counts: frozen when shared). A million-message capture then
   * allocates no message objects: at about 180 bytes each they were a fifth of what the analysis
   * allocated, and what is allocated sets how often the young generation is collected, and so how
   * many of the transactions open a second or two get copied and promoted.
   */
  decode(m: Uint8Array, base: number, limit: number, frame: number, timeUs: number, src: string, dst: string, srcHost: string, dstHost: string, transport: Transport, reuse = false): DnsMessage {
    const length = limit - base;
    let cached: DecodedBody | null = null;
    if (length >= HEADER && length <= MAX_CACHED_MESSAGE) {
      if (m !== this.viewed) {
        this.viewed = m;
        this.view = new DataView(m.buffer, m.byteOffset, m.byteLength);
      }
      cached = this.bodies.find(this.view, base, limit);
      if (cached !== null) return reuse ? this.refill(m, base, limit, cached, frame, timeUs, src, dst, srcHost, dstHost, transport) : message(m, base, limit, cached, frame, timeUs, src, dst, srcHost, dstHost, transport);
    }
    let body: DecodedBody;
    try {
      body = this.decodeBody(m, base, limit);
    } catch (e) {
      if (!(e instanceof DnsFormatError)) throw e;
      return referenceDnsMessage(m.subarray(base, limit), frame, timeUs, src, dst, srcHost, dstHost, transport);
    }
    if (length >= HEADER && length <= MAX_CACHED_MESSAGE && !this.readOutsideBody && this.names.lowestTarget >= HEADER) {
      // Shared from now on by every message with this body, so frozen like the question.
      body.answers = frozen(body.answers);
      body.authorities = frozen(body.authorities);
      body.additionals = frozen(body.additionals);
      this.bodies.store(this.view, base, limit, body);
    }
    return reuse ? this.refill(m, base, limit, body, frame, timeUs, src, dst, srcHost, dstHost, transport) : message(m, base, limit, body, frame, timeUs, src, dst, srcHost, dstHost, transport);
  }

  /** The reused message, filled in with what message() would give. */
  private refill(m: Uint8Array, base: number, limit: number, body: DecodedBody, frame: number, timeUs: number, src: string, dst: string, srcHost: string, dstHost: string, transport: Transport): DnsMessage {
    const into = this.reused;
    if (into === null) return (this.reused = message(m, base, limit, body, frame, timeUs, src, dst, srcHost, dstHost, transport));
    fillMessage(into, m, base, limit, body, frame, timeUs, src, dst, srcHost, dstHost, transport);
    return into;
  }

  /** Everything after the id and flags of the message m[base, limit), with fresh arrays. */
  private decodeBody(m: Uint8Array, base: number, limit: number): DecodedBody {
    if (limit - base < HEADER) throw new DnsFormatError('short');
    const qd = (m[base + 4] << 8) | m[base + 5];
    const an = (m[base + 6] << 8) | m[base + 7];
    const ns = (m[base + 8] << 8) | m[base + 9];
    const ar = (m[base + 10] << 8) | m[base + 11];
    if (HEADER + qd * MIN_QUESTION + (an + ns + ar) * MIN_RECORD > limit - base) throw new DnsFormatError('counts');
    const names = this.names;
    names.begin();
    this.readOutsideBody = false;
    let at = base + HEADER;
    let question: DnsQuestion | null = null;
    for (let i = 0; i < qd; i++) {
      const name = names.readEntry(m, base, limit, at);
      const e = names.end;
      if (e + 4 > limit) throw new DnsFormatError('question is cut off');
      if (question === null) question = this.question(name, (m[e] << 8) | m[e + 1], ((m[e + 2] << 8) | m[e + 3]) & 0x7fff);
      at = e + 4;
    }
    let rcodeHigh = 0;
    let ednsUdpSize: number | null = null;
    const answers: DnsRecord[] = [];
    const authorities: DnsRecord[] = [];
    const additionals: DnsRecord[] = [];
    for (let section = 0; section < 3; section++) {
      const count = section === 0 ? an : section === 1 ? ns : ar;
      const list = section === 0 ? answers : section === 1 ? authorities : additionals;
      for (let i = 0; i < count; i++) {
        const name = names.read(m, base, limit, at);
        const h = names.end;
        if (h + 10 > limit) throw new DnsFormatError('record header is cut off');
        const type = (m[h] << 8) | m[h + 1];
        const klass = (m[h + 2] << 8) | m[h + 3];
        const ttl = ((m[h + 4] << 24) | (m[h + 5] << 16) | (m[h + 6] << 8) | m[h + 7]) >>> 0;
        const start = h + 10;
        const end = start + ((m[h + 8] << 8) | m[h + 9]);
        if (end > limit) throw new DnsFormatError('record data is cut off');
        if (type === OPT && section === 2 && ednsUdpSize === null) {
          // RFC 6891 §6.1.3: the OPT TTL carries the upper 8 bits of the extended RCODE.
          ednsUdpSize = klass;
          rcodeHigh = (ttl >>> 24) << 4;
        }
        list.push({
          name,
          type: typeText(type),
          class: type === OPT ? this.optClass(klass) : className(klass & 0x7fff),
          ttl,
          data: this.rdata(type, m, base, limit, start, end),
        });
        at = end;
      }
    }
    return { counts: this.sectionCounts(qd, an, ns, ar), question, answers, authorities, additionals, rcodeHigh, ednsUdpSize };
  }

  /** rdataText's result, from caches for the types a resolver's traffic is made of. */
  private rdata(type: number, m: Uint8Array, base: number, limit: number, start: number, end: number): string {
    switch (type) {
      case A:
        if (end - start !== 4) throw new DnsFormatError('A length');
        return this.addresses.ipv4(m, start);
      case AAAA:
        if (end - start !== 16) throw new DnsFormatError('AAAA length');
        return this.addresses.ipv6(m, start);
      case NS:
      case CNAME:
      case PTR:
      case DNAME: {
        const name = this.names.read(m, base, limit, start);
        if (this.names.end !== end) throw new DnsFormatError('name does not fill its record');
        return name;
      }
      case SOA:
        return this.soa(m, base, limit, start, end);
      case OPT:
        return '';
      default:
        // The reference codecs do not say where their names' pointers led.
        this.readOutsideBody = true;
        // Compressed names in the data point into the message, which the codecs see from 0.
        return rdataText(type, m.subarray(base, limit), start - base, end - base);
    }
  }

  /** SOA data: every NXDOMAIN carries its zone's, so the text is kept per primary server name. */
  private soa(m: Uint8Array, base: number, limit: number, start: number, end: number): string {
    const primary = this.names.readEntry(m, base, limit, start);
    if (this.names.end > end) throw new DnsFormatError('SOA mname runs past its record');
    const mname = primary.text;
    const rname = this.names.read(m, base, limit, this.names.end);
    const v = this.names.end;
    if (v + 20 !== end) throw new DnsFormatError('SOA record length disagrees with its fields');
    const serial = u32(m, v);
    const refresh = u32(m, v + 4);
    const retry = u32(m, v + 8);
    const expire = u32(m, v + 12);
    const minimum = u32(m, v + 16);
    const known = primary.soa as SoaText | null;
    if (
      known !== null && known.rname === rname && known.serial === serial && known.refresh === refresh &&
      known.retry === retry && known.expire === expire && known.minimum === minimum
    ) {
      return known.text;
    }
    const text = `${mname || '.'} ${rname || '.'} ${serial} ${refresh} ${retry} ${expire} ${minimum}`;
    primary.soa = { rname, serial, refresh, retry, expire, minimum, text };
    return text;
  }

  private question(name: NameEntry, type: number, klass: number): DnsQuestion {
    let byName = name.questions;
    if (byName === null) {
      byName = [];
      name.questions = byName;
    }
    const typeString = typeText(type);
    const classText = className(klass);
    for (const q of byName) if (q.type === typeString && q.class === classText) return q;
    const q = Object.freeze({ name: name.text, type: typeString, class: classText });
    // A name is asked for with a handful of types; a list longer than that is not worth scanning.
    if (byName.length < 8) byName.push(q);
    return q;
  }

  private sectionCounts(qd: number, an: number, ns: number, ar: number): SectionCounts {
    if ((qd | an | ns | ar) > 0xff) return { qd, an, ns, ar };
    const key = (qd << 24 | an << 16 | ns << 8 | ar) >>> 0;
    let c = this.counts.get(key);
    if (c === undefined) {
      if (this.counts.size >= MAX_ENTRIES) this.counts.clear();
      c = Object.freeze({ qd, an, ns, ar });
      this.counts.set(key, c);
    }
    return c;
  }

  private optClass(klass: number): string {
    let text = this.optClasses.get(klass);
    if (text === undefined) {
      text = `UDP${klass}`;
      this.optClasses.set(klass, text);
    }
    return text;
  }
}

interface SoaText {
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
  text: string;
}

/** typeName of the common types from an array: TYPES is sparse (32768, 32769), so a slow lookup. */
const COMMON_TYPES: readonly string[] = Array.from({ length: 260 }, (_, n) => typeName(n));
function typeText(n: number): string {
  return n < 260 ? COMMON_TYPES[n] : typeName(n);
}

/**
 * The DnsMessage of the message m[base, limit) whose body decoded to `body`: made by dnsMessage,
 * the one spelling of the model's field order, so that every decoder's messages share one object
 * shape; the values are fillMessage's, as for a reused message.
 */
function message(m: Uint8Array, base: number, limit: number, body: DecodedBody, frame: number, timeUs: number, src: string, dst: string, srcHost: string, dstHost: string, transport: Transport): DnsMessage {
  const into = dnsMessage(frame, timeUs, src, dst, srcHost, dstHost, transport, 0, UNFILLED, true, 0);
  fillMessage(into, m, base, limit, body, frame, timeUs, src, dst, srcHost, dstHost, transport);
  return into;
}

/** The values of the message m[base, limit) whose body decoded to `body`, written into `into`, an object message() made. */
function fillMessage(into: DnsMessage, m: Uint8Array, base: number, limit: number, body: DecodedBody, frame: number, timeUs: number, src: string, dst: string, srcHost: string, dstHost: string, transport: Transport): void {
  const f = (m[base + 2] << 8) | m[base + 3];
  into.frame = frame;
  into.timeUs = timeUs;
  into.src = src;
  into.dst = dst;
  into.srcHost = srcHost;
  into.dstHost = dstHost;
  into.transport = transport;
  into.id = (m[base] << 8) | m[base + 1];
  into.isResponse = (f & 0x8000) !== 0;
  into.opcode = opcodeName((f >> 11) & 0x0f);
  into.flags = FLAGS[(f >> 4) & 0x7f];
  into.rcode = rcodeName((f & 0x0f) | body.rcodeHigh);
  into.question = body.question;
  into.answers = body.answers as DnsRecord[];
  into.authorities = body.authorities as DnsRecord[];
  into.additionals = body.additionals as DnsRecord[];
  into.sectionsComplete = true;
  into.counts = body.counts;
  into.size = limit - base;
  into.ednsUdpSize = body.ednsUdpSize;
}

const NO_RECORDS: readonly DnsRecord[] = Object.freeze([]);

/** `records` and each record frozen; one empty array for every empty section. */
function frozen(records: readonly DnsRecord[]): readonly DnsRecord[] {
  if (records.length === 0) return NO_RECORDS;
  for (const r of records) Object.freeze(r);
  return Object.freeze(records);
}

function u32(m: Uint8Array, at: number): number {
  return ((m[at] << 24) | (m[at + 1] << 16) | (m[at + 2] << 8) | m[at + 3]) >>> 0;
}

/**
 * The flags of every value of header bits 4-10 (AA, TC, RD, RA, Z, AD, CD; Z is not a flag, so
 * its two halves are alike), each one frozen object shared by every message that has it.
 */
const FLAGS: readonly DnsFlags[] = (() => {
  const all: DnsFlags[] = [];
  for (let i = 0; i < 128; i++) {
    const f = i << 4;
    all.push(Object.freeze({
      aa: (f & 0x0400) !== 0,
      tc: (f & 0x0200) !== 0,
      rd: (f & 0x0100) !== 0,
      ra: (f & 0x0080) !== 0,
      ad: (f & 0x0020) !== 0,
      cd: (f & 0x0010) !== 0,
    }));
  }
  return all;
})();

/** What message() gives dnsMessage before fillMessage writes the values: of the fields' own types. */
const UNFILLED: DnsContent = Object.freeze({
  id: 0,
  isResponse: false,
  opcode: 'QUERY',
  flags: FLAGS[0],
  rcode: 'NOERROR',
  question: null,
  answers: [],
  authorities: [],
  additionals: [],
  counts: { qd: 0, an: 0, ns: 0, ar: 0 },
  ednsUdpSize: null,
});
