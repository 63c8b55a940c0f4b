import type { DnsContent, DnsFlags, DnsQuestion, DnsRecord, SectionCounts } from '../../model.js';
import { execAt, parseQuestion, parseRecord } from './parse-records.js';
import { isRcodeWord, opcodeFromText, rcodeFromText } from './tcpdump-codes.js';
import { rcodeName } from '../../decode/dns-codes.js';

/** What the DNS part of one tcpdump line says (print-domain.c domain_print), at any verbosity. */
export type TextDns = DnsContent & {
  /** Every section tcpdump could print was printed (-vv), and the question too. */
  sectionsComplete: boolean;
  size: number;
};

export type TextDnsResult =
  | { kind: 'dns'; dns: TextDns }
  /** tcpdump stopped printing: " [|domain]" (snaplen, or a read past the message). */
  | { kind: 'truncated'; detail: string }
  /** tcpdump said the message is broken: "[length 0 < 12] (invalid)", "<BAD PTR>", ... */
  | { kind: 'malformed'; detail: string };

const COUNTS = / (\d+)\/(\d+)\/(\d+)/y;
const MARKERS = /<BAD PTR>|<BAD LABEL TYPE>|<ELT \d+>|<DOMAIN NAME TOO LONG>/;

/** Parses the text after "src > dst: " (and any checksum or TCP header); null when unreadable. */
export function parseTextDns(text: string): TextDnsResult | null {
  const bad = text.includes('<') ? MARKERS.exec(text) : null;
  if (bad) return { kind: 'malformed', detail: `tcpdump marked a name ${bad[0]}` };
  if (text.endsWith(' [|domain]')) return { kind: 'truncated', detail: 'tcpdump stopped printing the message ([|domain])' };
  const short = /^domain \[length (\d+) < 12\] \(invalid\)$/.exec(text);
  if (short) return { kind: 'malformed', detail: `message of ${short[1]} bytes is shorter than the 12-byte header` };
  // " (LEN)" ends every message tcpdump printed whole.
  if (!text.endsWith(')')) return null;
  const open = text.lastIndexOf(' (');
  const size = open < 0 ? -1 : digitsValue(text, open + 2, text.length - 1);
  if (size < 0) return null;
  const body = text.slice(0, open);
  const h = readHeader(body);
  if (h === null) return null;
  const dns = h.isResponse ? parseResponse(body, h, size) : parseQuery(body, h, size);
  return dns && { kind: 'dns', dns };
}

/**
 * What precedes the questions and counts: ID OPNAME [RCODENAME] MARKS [" [b2&3=0x…]"]
 * {" [" N "a" | "q" | "n" | "au" "]"} (domain_print). Scanned by hand: this runs on every line.
 */
interface Header {
  id: number;
  isResponse: boolean;
  opcode: string;
  rcodeWord: string | undefined;
  /** The characters of "+%*-|$" that followed. */
  marks: string;
  b2: number | null;
  /** Counts printed in brackets, -1 where absent. */
  an: number;
  qd: number;
  ns: number;
  ar: number;
  end: number;
}

function readHeader(s: string): Header | null {
  let i = digitsEnd(s, 0);
  if (i === 0) return null;
  const h: Header = { id: digitsValue(s, 0, i), isResponse: false, opcode: 'QUERY', rcodeWord: undefined, marks: '', b2: null, an: -1, qd: -1, ns: -1, ar: -1, end: 0 };
  let c = s.charCodeAt(i + 1);
  if (s.charCodeAt(i) === SPACE && c >= 0x61 && c <= 0x7a) {
    // An opcode word (" notify"); " q:" starts the -vv questions instead.
    const w = wordEnd(s, i + 1);
    const opcode = opcodeFromText(s.slice(i, w));
    if (opcode !== 'QUERY') {
      h.opcode = opcode;
      i = w;
    }
  }
  c = s.charCodeAt(i + 1);
  if (s.startsWith('Resp', i) || (s.charCodeAt(i) === SPACE && c >= 0x41 && c <= 0x5a)) {
    const w = wordEnd(s, s.charCodeAt(i) === SPACE ? i + 1 : i);
    const word = s.slice(i, w);
    if (isRcodeWord(word)) {
      h.rcodeWord = word;
      h.isResponse = true;
      i = w;
    }
  }
  const marksFrom = i;
  while (MARK_CHARS.includes(s.charAt(i)) && i < s.length) i++;
  h.marks = s.slice(marksFrom, i);
  if (s.startsWith(' [b2&3=0x', i)) {
    const close = s.indexOf(']', i);
    if (close < 0) return null;
    h.b2 = parseInt(s.slice(i + 9, close), 16);
    i = close + 1;
  }
  while (s.charCodeAt(i) === SPACE && s.charCodeAt(i + 1) === 0x5b /* [ */) {
    const d = digitsEnd(s, i + 2);
    const close = s.indexOf(']', d);
    if (d === i + 2 || close < 0) break;
    const n = digitsValue(s, i + 2, d);
    const which = s.slice(d, close);
    if (which === 'a') h.an = n;
    else if (which === 'q') h.qd = n;
    else if (which === 'n') h.ns = n;
    else if (which === 'au') h.ar = n;
    else break;
    i = close + 1;
  }
  h.end = i;
  // A response goes on with its questions (-vv), a "," per skipped question, or its counts.
  if (!h.isResponse && !h.marks.includes('+') && !h.marks.includes('%')) {
    h.isResponse = /[*|$-]/.test(h.marks) || s.startsWith(' q:', i) || s.charCodeAt(i) === 0x2c || isCountsAt(s, i);
  }
  if (h.isResponse && (h.marks.includes('+') || h.marks.includes('%') || h.an >= 0 || h.ns >= 0 || h.ar >= 0 || h.b2 !== null)) return null;
  return h;
}

const SPACE = 32;
const MARK_CHARS = '+%*-|$';

function isCountsAt(s: string, i: number): boolean {
  COUNTS.lastIndex = i;
  return COUNTS.test(s);
}

function wordEnd(s: string, i: number): number {
  for (let c = s.charCodeAt(i); (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f; c = s.charCodeAt(++i));
  return i;
}

function digitsEnd(s: string, i: number): number {
  for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i));
  return i;
}

/** The number written in s[from, to), or -1 if that is not all digits. */
function digitsValue(s: string, from: number, to: number): number {
  if (to <= from) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + c - 48;
  }
  return v;
}

function parseQuery(s: string, h: Header, size: number): TextDns | null {
  const opcode = h.opcode;
  // Unprinted counts are the ones domain_print leaves out: QD 1 (IQUERY: QD 0, AN 1), others 0.
  const iquery = opcode === 'IQUERY';
  const counts = {
    qd: h.qd >= 0 ? h.qd : iquery ? 0 : 1,
    an: h.an >= 0 ? h.an : iquery ? 1 : 0,
    ns: Math.max(h.ns, 0),
    ar: Math.max(h.ar, 0),
  };
  // "[b2&3=0x…]" is the whole second header word, printed when AA, TC, RA, Z or RCODE is set
  // in a query; otherwise those are known to be 0 and AD (outside the 0x6cf mask) is not shown.
  const b2 = h.b2;
  const flags: DnsFlags = {
    aa: b2 !== null && (b2 & 0x0400) !== 0,
    tc: b2 !== null && (b2 & 0x0200) !== 0,
    rd: h.marks.includes('+'),
    ra: b2 !== null && (b2 & 0x0080) !== 0,
    ad: b2 !== null && (b2 & 0x0020) !== 0,
    cd: h.marks.includes('%'),
  };
  let at = h.end;
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
    id: h.id,
    isResponse: false,
    opcode,
    flags,
    rcode: rcodeName(b2 === null ? 0 : b2 & 0x0f),
    question,
    answers: sections.answers,
    authorities: sections.authorities,
    additionals: sections.additionals,
    sectionsComplete: sections.complete,
    counts,
    size,
    ednsUdpSize: sections.ednsUdpSize,
  };
}

function parseResponse(s: string, h: Header, size: number): TextDns | null {
  const counts = { qd: h.qd >= 0 ? h.qd : 1, an: 0, ns: 0, ar: 0 };
  let at = h.end;
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
  const m = h.marks;
  return {
    id: h.id,
    isResponse: true,
    opcode: h.opcode,
    // RD and CD are not printed in responses (see flagsHiddenInText).
    flags: { aa: m.includes('*'), tc: m.includes('|'), rd: false, ra: !m.includes('-'), ad: m.includes('$'), cd: false },
    rcode: rcodeFromText(h.rcodeWord),
    question,
    answers: sections.answers,
    authorities: sections.authorities,
    additionals: sections.additionals,
    sectionsComplete: sections.complete && questionShown,
    counts,
    size,
    ednsUdpSize: sections.ednsUdpSize,
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
