import { canonicalName } from '../../dns-text.js';
import type { DnsFlags, DnsQuestion, DnsRecord, SectionCounts } from '../../model.js';

/** What the DNS part of one tcpdump line says (print-domain.c domain_print, default verbosity). */
export interface TextDns {
  id: number;
  isResponse: boolean;
  opcode: string;
  flags: DnsFlags;
  rcode: string;
  question: DnsQuestion | null;
  answers: DnsRecord[];
  counts: SectionCounts;
  size: number;
  ednsUdpSize: number | null;
}

/** tcpdump's opcode words (ns_ops[]), each printed right after the id. */
const OPCODES: Record<string, string> = {
  '': 'QUERY', ' inv_q': 'IQUERY', ' stat': 'STATUS', ' notify': 'NOTIFY', ' update': 'UPDATE',
};

/** tcpdump's rcode words (ns_resp[]) → dnstrace's rcode names. */
const RCODES: Record<string, string> = {
  FormErr: 'FORMERR', ServFail: 'SERVFAIL', NXDomain: 'NXDOMAIN', NotImp: 'NOTIMP',
  Refused: 'REFUSED', YXDomain: 'YXDOMAIN', YXRRSet: 'YXRRSET', NXRRSet: 'NXRRSET',
  NotAuth: 'NOTAUTH', NotZone: 'NOTZONE', BadVers: 'BADVERS', BadKey: 'BADKEY',
  BadTime: 'BADTIME', BadMode: 'BADMODE', BadName: 'BADNAME', BadAlg: 'BADALG',
  BadTrunc: 'BADTRUNC', BadCookie: 'BADCOOKIE',
};

const QUERY_RE =
  /^(\d+)( inv_q| stat| notify| update| op\d+)?(\+)?(%)?(?: \[b2&3=0x[0-9a-f]+\])?((?: \[\d+(?:a|q|n|au)\])*) (\S+)(?: (\S+))?\? (.*) \((\d+)\)$/;
const RESPONSE_RE =
  /^(\d+)( inv_q| stat| notify| update| op\d+)?(?: ?(\w+))??(\*)?(-)?(\|)?(\$)?(?: \[b2&3=0x[0-9a-f]+\])? (\d+)\/(\d+)\/(\d+)(?: (.*))? \((\d+)\)$/;

/** Parses the text after "src > dst: "; null when it is not a DNS message tcpdump printed. */
export function parseTextDns(s: string): TextDns | null {
  const q = QUERY_RE.exec(s);
  if (q) return parseQuery(q);
  const r = RESPONSE_RE.exec(s);
  if (r) return parseResponse(r);
  return null;
}

function parseQuery(q: RegExpExecArray): TextDns {
  const counts = { qd: 1, an: 0, ns: 0, ar: 0 };
  for (const m of (q[5] ?? '').matchAll(/\[(\d+)(a|q|n|au)\]/g)) {
    const n = Number(m[1]);
    if (m[2] === 'a') counts.an = n;
    else if (m[2] === 'q') counts.qd = n;
    else if (m[2] === 'n') counts.ns = n;
    else counts.ar = n;
  }
  return {
    id: Number(q[1]),
    isResponse: false,
    opcode: opcode(q[2]),
    flags: { aa: false, tc: false, rd: q[3] === '+', ra: false, ad: false, cd: q[4] === '%' },
    rcode: 'NOERROR',
    question: { name: canonicalName(q[8]), type: q[6], class: q[7] ?? 'IN' },
    answers: [],
    counts,
    size: Number(q[9]),
    ednsUdpSize: null,
  };
}

function parseResponse(r: RegExpExecArray): TextDns {
  const rcodeWord = r[3];
  const answersText = r[11] ?? '';
  return {
    id: Number(r[1]),
    isResponse: true,
    opcode: opcode(r[2]),
    flags: { aa: r[4] === '*', tc: r[6] === '|', rd: false, ra: r[5] !== '-', ad: r[7] === '$', cd: false },
    rcode: rcodeWord ? (RCODES[rcodeWord] ?? rcodeWord.toUpperCase()) : 'NOERROR',
    question: null,
    answers: answersText ? parseAnswers(answersText) : [],
    counts: { qd: 1, an: Number(r[8]), ns: Number(r[9]), ar: Number(r[10]) },
    size: Number(r[12]),
    ednsUdpSize: null,
  };
}

function opcode(word: string | undefined): string {
  if (!word) return 'QUERY';
  return OPCODES[word] ?? `OPCODE${word.replace(/\D/g, '')}`;
}

/** "CNAME blog.mosuke.tech., A 172.67.165.72": the answer records, without owner names or TTLs. */
function parseAnswers(text: string): DnsRecord[] {
  return text.split(', ').map((rr) => {
    const sp = rr.indexOf(' ');
    const type = sp < 0 ? rr : rr.slice(0, sp);
    const data = sp < 0 ? '' : rr.slice(sp + 1);
    const isName = type === 'CNAME' || type === 'NS' || type === 'PTR' || type === 'DNAME';
    return { name: '', type, class: 'IN', ttl: null, data: isName ? canonicalName(data) : data };
  });
}
