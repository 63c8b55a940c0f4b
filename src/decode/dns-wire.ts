import type { DnsContent, DnsFlags, DnsMessage, DnsQuestion, DnsRecord, SectionCounts, Transport } from '../model.js';
import { dnsMessage } from '../dns-message.js';
import { className, opcodeName, rcodeName, typeName } from './dns-codes.js';
import { DnsFormatError, readName } from './dns-name.js';
import { rdataText } from './dns-rdata.js';

/** The DNS part of a DnsMessage, as decoded from wire bytes. */
export type DecodedDns = DnsContent;

const HEADER = 12;
/** Smallest question: root name (1) + type (2) + class (2). */
const MIN_QUESTION = 5;
/** Smallest record: root name (1) + type, class, TTL, RDLENGTH (10). */
const MIN_RECORD = 11;
const OPT = 41;

/**
 * Decodes and validates one DNS message (RFC 1035 §4.1). Every read is bounds-checked; counts
 * that cannot fit the message are rejected before any section is read (a 12-byte message
 * claiming 65535 records fails in microseconds); every record's data must be exactly as long
 * as RDLENGTH says and as its type requires. Throws DnsFormatError, caught by the caller.
 */
export function decodeDnsWire(m: Uint8Array): DecodedDns {
  if (m.length < HEADER) throw new DnsFormatError(`message of ${m.length} bytes is shorter than the 12-byte header`);
  const id = (m[0] << 8) | m[1];
  const f = (m[2] << 8) | m[3];
  const counts: SectionCounts = {
    qd: (m[4] << 8) | m[5],
    an: (m[6] << 8) | m[7],
    ns: (m[8] << 8) | m[9],
    ar: (m[10] << 8) | m[11],
  };
  const minimum = HEADER + counts.qd * MIN_QUESTION + (counts.an + counts.ns + counts.ar) * MIN_RECORD;
  if (minimum > m.length) {
    throw new DnsFormatError(
      `section counts ${counts.qd}/${counts.an}/${counts.ns}/${counts.ar} need at least ${minimum} bytes; the message has ${m.length}`,
    );
  }
  let at = HEADER;
  let question: DnsQuestion | null = null;
  for (let i = 0; i < counts.qd; i++) {
    const n = readName(m, at);
    if (n.end + 4 > m.length) throw new DnsFormatError('question is cut off');
    const q: DnsQuestion = {
      name: n.name,
      type: typeName((m[n.end] << 8) | m[n.end + 1]),
      class: className(((m[n.end + 2] << 8) | m[n.end + 3]) & 0x7fff),
    };
    if (question === null) question = q;
    at = n.end + 4;
  }
  const answers: DnsRecord[] = [];
  const authorities: DnsRecord[] = [];
  const additionals: DnsRecord[] = [];
  let rcode = f & 0x0f;
  let ednsUdpSize: number | null = null;
  const sections: [DnsRecord[], number][] = [
    [answers, counts.an],
    [authorities, counts.ns],
    [additionals, counts.ar],
  ];
  for (const [list, count] of sections) {
    for (let i = 0; i < count; i++) {
      const n = readName(m, at);
      const h = n.end;
      if (h + 10 > m.length) throw new DnsFormatError(`record header at byte ${at} is cut off`);
      const type = (m[h] << 8) | m[h + 1];
      const klass = (m[h + 2] << 8) | m[h + 3];
      const ttl = ((m[h + 4] << 24) | (m[h + 5] << 16) | (m[h + 6] << 8) | m[h + 7]) >>> 0;
      const rdlength = (m[h + 8] << 8) | m[h + 9];
      const start = h + 10;
      const end = start + rdlength;
      if (end > m.length) throw new DnsFormatError(`record data at byte ${start} claims ${rdlength} bytes; ${m.length - start} remain`);
      if (type === OPT && list === additionals && ednsUdpSize === null) {
        // RFC 6891 §6.1.3: the OPT TTL carries the upper 8 bits of the extended RCODE.
        ednsUdpSize = klass;
        rcode |= (ttl >>> 24) << 4;
      }
      list.push({
        name: n.name,
        type: typeName(type),
        class: type === OPT ? `UDP${klass}` : className(klass & 0x7fff),
        ttl,
        data: rdataText(type, m, start, end),
      });
      at = end;
    }
  }
  return {
    id,
    isResponse: (f & 0x8000) !== 0,
    opcode: opcodeName((f >> 11) & 0x0f),
    flags: decodeFlags(f),
    rcode: rcodeName(rcode),
    question,
    answers,
    authorities,
    additionals,
    counts,
    ednsUdpSize,
  };
}

/**
 * The DnsMessage of the DNS message `payload`, seen in `frame`, decoded by the reference
 * (decodeDnsWire): what the fast decoder gives too, field for field and in this order.
 */
export function referenceDnsMessage(payload: Uint8Array, frame: number, timeUs: number, src: string, dst: string, srcHost: string, dstHost: string, transport: Transport): DnsMessage {
  const d = decodeDnsWire(payload);
  return dnsMessage(frame, timeUs, src, dst, srcHost, dstHost, transport, d.id, d, true, payload.length);
}

function decodeFlags(f: number): DnsFlags {
  return {
    aa: (f & 0x0400) !== 0,
    tc: (f & 0x0200) !== 0,
    rd: (f & 0x0100) !== 0,
    ra: (f & 0x0080) !== 0,
    ad: (f & 0x0020) !== 0,
    cd: (f & 0x0010) !== 0,
  };
}

/**
 * What can still be read from a message cut short by the capture's snaplen (tcpdump -s 96, the
 * old default, keeps the header and question of most responses): the header and the first
 * question. Returns null when even those are cut. The extended rcode bits (in OPT, at the end)
 * are lost, so the rcode is the header's 4 bits.
 */
export function decodeDnsPrefix(m: Uint8Array): DecodedDns | null {
  if (m.length < HEADER) return null;
  const f = (m[2] << 8) | m[3];
  const counts: SectionCounts = { qd: (m[4] << 8) | m[5], an: (m[6] << 8) | m[7], ns: (m[8] << 8) | m[9], ar: (m[10] << 8) | m[11] };
  if (counts.qd === 0) return null;
  let question: DnsQuestion;
  try {
    const n = readName(m, HEADER);
    if (n.end + 4 > m.length) return null;
    question = {
      name: n.name,
      type: typeName((m[n.end] << 8) | m[n.end + 1]),
      class: className(((m[n.end + 2] << 8) | m[n.end + 3]) & 0x7fff),
    };
  } catch (e) {
    if (e instanceof DnsFormatError) return null;
    throw e;
  }
  return {
    id: (m[0] << 8) | m[1],
    isResponse: (f & 0x8000) !== 0,
    opcode: opcodeName((f >> 11) & 0x0f),
    flags: decodeFlags(f),
    rcode: rcodeName(f & 0x0f),
    question,
    answers: [],
    authorities: [],
    additionals: [],
    counts,
    ednsUdpSize: null,
  };
}
