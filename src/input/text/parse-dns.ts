import type { DnsFlags, DnsQuestion, DnsRecord, SectionCounts } from '../../model.js';
import { execAt, parseQuestion, parseRecord } from './parse-records.js';
import { OPCODE_WORD, RCODE_WORD, opcodeFromText, rcodeFromText } from './tcpdump-codes.js';
import { rcodeName } from '../../decode/dns-codes.js';

/** What the DNS part of one tcpdump line says (print-domain.c domain_print), at any verbosity. */
export interface TextDns {
  id: number;
  isResponse: boolean;
  opcode: string;
  flags: DnsFlags;
  rcode: string;
  question: DnsQuestion | null;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
  /** Every section tcpdump could print was printed (-vv), and the question too. */
  sectionsComplete: boolean;
  counts: SectionCounts;
  size: number;
  ednsUdpSize: number | null;
}

export type TextDnsResult =
  | { kind: 'dns'; dns: TextDns }
  /** tcpdump stopped printing: " [|domain]" (snaplen, or a read past the message). */
  | { kind: 'truncated'; detail: string }
  /** tcpdump said the message is broken: "[length 0 < 12] (invalid)", "<BAD PTR>", ... */
  | { kind: 'malformed'; detail: string };

const RESPONSE_HEAD = new RegExp(`^(\\d+)(${OPCODE_WORD})?(${RCODE_WORD})?(\\*)?(-)?(\\|)?(\\$)?(?: \\[(\\d+)q\\])?(?= q:| \\d+/\\d+/\\d+(?: |$)|,)`);
const QUERY_HEAD = new RegExp(`^(\\d+)(${OPCODE_WORD})?(\\+)?(%)?(?: \\[b2&3=0x([0-9a-f]+)\\])?((?: \\[\\d+(?:a|q|n|au)\\])*)`);
const COUNTS = / (\d+)\/(\d+)\/(\d+)/y;
const LENGTH_TAIL = / \((\d+)\)$/;
const MARKERS = /<BAD PTR>|<BAD LABEL TYPE>|<ELT \d+>|<DOMAIN NAME TOO LONG>/;

/** Parses the text after "src > dst: " (and any checksum or TCP header); null when unreadable. */
export function parseTextDns(text: string): TextDnsResult | null {
  const bad = MARKERS.exec(text);
  if (bad) return { kind: 'malformed', detail: `tcpdump marked a name ${bad[0]}` };
  if (text.endsWith(' [|domain]')) return { kind: 'truncated', detail: 'tcpdump stopped printing the message ([|domain])' };
  const short = /^domain \[length (\d+) < 12\] \(invalid\)$/.exec(text);
  if (short) return { kind: 'malformed', detail: `message of ${short[1]} bytes is shorter than the 12-byte header` };
  const tail = LENGTH_TAIL.exec(text);
  if (!tail) return null;
  const body = text.slice(0, tail.index);
  const size = Number(tail[1]);
  const r = RESPONSE_HEAD.exec(body);
  const dns = r ? parseResponse(body, r, size) : parseQuery(body, size);
  return dns && { kind: 'dns', dns };
}

function parseQuery(s: string, size: number): TextDns | null {
  const q = QUERY_HEAD.exec(s);
  if (!q) return null;
  const opcode = opcodeFromText(q[2]);
  // Unprinted counts are the ones domain_print leaves out: QD 1 (IQUERY: QD 0, AN 1), others 0.
  const iquery = opcode === 'IQUERY';
  const counts = { qd: iquery ? 0 : 1, an: iquery ? 1 : 0, ns: 0, ar: 0 };
  for (const m of q[6].matchAll(/\[(\d+)(a|q|n|au)\]/g)) {
    const n = Number(m[1]);
    if (m[2] === 'a') counts.an = n;
    else if (m[2] === 'q') counts.qd = n;
    else if (m[2] === 'n') counts.ns = n;
    else counts.ar = n;
  }
  // "[b2&3=0x…]" is the whole second header word, printed when AA, TC, RA, Z or RCODE is set
  // in a query; otherwise those are known to be 0 and AD (outside the 0x6cf mask) is not shown.
  const b2 = q[5] === undefined ? null : parseInt(q[5], 16);
  const flags: DnsFlags = {
    aa: b2 !== null && (b2 & 0x0400) !== 0,
    tc: b2 !== null && (b2 & 0x0200) !== 0,
    rd: q[3] === '+',
    ra: b2 !== null && (b2 & 0x0080) !== 0,
    ad: b2 !== null && (b2 & 0x0020) !== 0,
    cd: q[4] === '%',
  };
  let at = q[0].length;
  let question: DnsQuestion | null = null;
  for (let i = 0; i < counts.qd; i++) {
    const last = i === counts.qd - 1 && counts.an === 0;
    const p = parseQuestion(s, at, last ? 'last-in-query' : 'query');
    if (!p) return null;
    question ??= p.value;
    at = p.end;
  }
  const sections = parseSections(s, at, counts, false);
  if (!sections) return null;
  return {
    id: Number(q[1]),
    isResponse: false,
    opcode,
    flags,
    rcode: rcodeName(b2 === null ? 0 : b2 & 0x0f),
    question,
    ...sections,
    sectionsComplete: sections.complete,
    counts,
    size,
  };
}

function parseResponse(s: string, r: RegExpExecArray, size: number): TextDns | null {
  const counts = { qd: r[8] === undefined ? 1 : Number(r[8]), an: 0, ns: 0, ar: 0 };
  let at = r[0].length;
  let question: DnsQuestion | null = null;
  // Below -vv the questions are skipped, but each one after the first still prints ",".
  while (s.startsWith(',', at) && !s.startsWith(', q:', at)) at++;
  for (let i = 0; s.startsWith(i === 0 ? ' q:' : ', q:', at); i++) {
    const p = parseQuestion(s, at + (i === 0 ? 3 : 4), 'response');
    if (!p) return null;
    question ??= p.value;
    at = p.end;
  }
  const c = execAt(COUNTS, s, at);
  if (!c) return null;
  counts.an = Number(c[1]);
  counts.ns = Number(c[2]);
  counts.ar = Number(c[3]);
  const sections = parseSections(s, at + c[0].length, counts, true);
  if (!sections) return null;
  const questionShown = question !== null || counts.qd === 0;
  return {
    id: Number(r[1]),
    isResponse: true,
    opcode: opcodeFromText(r[2]),
    // RD and CD are not printed in responses (see TEXT_HIDDEN_FLAGS).
    flags: { aa: r[4] === '*', tc: r[6] === '|', rd: false, ra: r[5] !== '-', ad: r[7] === '$', cd: false },
    rcode: rcodeFromText(r[3]),
    question,
    ...sections,
    sectionsComplete: sections.complete && questionShown,
    counts,
    size,
  };
}

interface Sections {
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
  ednsUdpSize: number | null;
  complete: boolean;
}

/** Answers (unlabelled), then " ns:" and " ar:" (-vv only), each a ", "-separated record list. */
function parseSections(s: string, at: number, counts: SectionCounts, answersAlways: boolean): Sections | null {
  const out: Sections = { answers: [], authorities: [], additionals: [], ednsUdpSize: null, complete: false };
  const lists: [DnsRecord[], string, number][] = [
    [out.answers, '', counts.an],
    [out.authorities, ' ns:', counts.ns],
    [out.additionals, ' ar:', counts.ar],
  ];
  for (const [list, label, count] of lists) {
    if (count === 0 || !s.startsWith(label, at)) continue;
    if (label === '' && !answersAlways && (s.startsWith(' ns:', at) || s.startsWith(' ar:', at) || at === s.length)) continue;
    at += label.length;
    for (;;) {
      const rr = parseRecord(s, at);
      if (!rr) return null;
      list.push(rr.value);
      if (rr.ednsUdpSize !== null && out.ednsUdpSize === null && list === out.additionals) out.ednsUdpSize = rr.ednsUdpSize;
      at = rr.end;
      if (!s.startsWith(', ', at)) break;
      at += 1;
    }
  }
  if (at !== s.length) return null;
  out.complete = out.answers.length === counts.an && out.authorities.length === counts.ns && out.additionals.length === counts.ar;
  return out;
}

/**
 * Header flags a tcpdump line cannot show, which a comparison with the capture must skip:
 * RD and CD of a response; AD of a query (outside the 0x6cf mask, so shown only inside a
 * "[b2&3=…]" that other bits caused).
 */
export function flagsHiddenInText(m: { isResponse: boolean }): (keyof DnsFlags)[] {
  return m.isResponse ? ['rd', 'cd'] : ['ad'];
}
