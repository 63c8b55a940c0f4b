import { canonicalName } from '../../dns-text.js';
import type { DnsQuestion, DnsRecord } from '../../model.js';
import { CLASS_WORD, TYPE_WORD, classFromText, isTypeWord, secondsFromTtlText, typeFromText } from './tcpdump-codes.js';

/**
 * Resource records and questions as print-domain.c prints them (ns_rprint, ns_qprint), read
 * with sticky regexes from a position in the DNS text (the " (LEN)" already cut off).
 * Names end in "." and may hold spaces and commas (tcpdump does not escape them), so a name
 * is read lazily up to the first "." after which the grammar can go on.
 */

/** What may follow a record: the next record, the next section, or the end. */
const END = '(?=, |$| ns: | ar: )';

/**
 * RR := [SP owner] [SP CLASS] [" (Cache flush)"] [" [" TTL "]"] SP TYPE RDATA.
 * The owner is printed from -v on; a type word never ends in ".", so the two forms are told
 * apart by trying the ownerless form first.
 */
const RR_HEAD_BARE = new RegExp(` (?:(${CLASS_WORD}) )?(?:\\(Cache flush\\) )?(?:\\[([0-9ywdhms]+)\\] )?(${TYPE_WORD})(?=[ ,]|$)`, 'y');
const RR_HEAD_OWNED = new RegExp(` (.*?\\.) (?:(${CLASS_WORD}) )?(?:\\(Cache flush\\) )?(?:\\[([0-9ywdhms]+)\\] )?(${TYPE_WORD})(?=[ ,]|$)`, 'y');

const RDATA: Record<string, RegExp> = {
  A: new RegExp(` (\\d+\\.\\d+\\.\\d+\\.\\d+)${END}`, 'y'),
  AAAA: new RegExp(` ([0-9a-fA-F:.]+)${END}`, 'y'),
  NAME: new RegExp(` (.*?\\.)${END}`, 'y'),
  MX: new RegExp(` (.*?\\.) (\\d+)${END}`, 'y'),
  SRV: new RegExp(` (.*?\\.):(\\d+) (\\d+) (\\d+)${END}`, 'y'),
  SOA: new RegExp(`(?: (.*?\\.) (.*?\\.) (\\d+) (\\d+) (\\d+) (\\d+) (\\d+))?${END}`, 'y'),
  TXT: new RegExp(`((?: ".*?")*)${END}`, 'y'),
  OPT: new RegExp(` UDPsize=(\\d+)(?: DO)?(?: \\[[^\\]]*\\])?${END}`, 'y'),
  OTHER: new RegExp(`(?:${END}| (.*?)${END})`, 'y'),
};

const NAME_TYPES = new Set(['NS', 'CNAME', 'PTR', 'DNAME', 'MD', 'MF', 'MB', 'MG', 'MR']);

export interface Parsed<T> {
  value: T;
  end: number;
}

/** One record starting at `at` (which points at its leading space); null when it cannot be read. */
export function parseRecord(s: string, at: number): Parsed<DnsRecord> & { ednsUdpSize: number | null } | null {
  let owner: string | undefined;
  let head = execAt(RR_HEAD_BARE, s, at);
  let klass: string | undefined;
  let ttlText: string | undefined;
  let word: string;
  if (head) {
    [, klass, ttlText, word] = head;
  } else {
    head = execAt(RR_HEAD_OWNED, s, at);
    if (!head) return null;
    [, owner, klass, ttlText, word] = head;
  }
  const type = typeFromText(word);
  const name = owner === undefined ? '' : canonicalName(owner);
  const ttl = ttlText === undefined ? null : secondsFromTtlText(ttlText);
  const from = at + head[0].length;
  const tcpdumpType = word.startsWith('Type') ? type : word;
  const re = NAME_TYPES.has(tcpdumpType) ? RDATA.NAME : (RDATA[tcpdumpType] ?? RDATA.OTHER);
  const m = execAt(re, s, from);
  if (!m) return null;
  const end = from + m[0].length;
  if (tcpdumpType === 'OPT') {
    // The OPT pseudo-record (RFC 6891 §6.1.2): its CLASS is the UDP payload size.
    const size = Number(m[1]);
    return { value: { name, type, class: `UDP${size}`, ttl: null, data: '' }, end, ednsUdpSize: size };
  }
  return { value: { name, type, class: classFromText(klass), ttl, data: rdataText(tcpdumpType, m) }, end, ednsUdpSize: null };
}

/** Record data in the capture decoder's presentation form (src/decode/dns-rdata.ts). */
function rdataText(type: string, m: RegExpExecArray): string {
  if (NAME_TYPES.has(type)) return canonicalName(m[1]);
  switch (type) {
    case 'A':
      return m[1];
    case 'AAAA':
      return m[1].toLowerCase();
    case 'MX': // tcpdump prints the exchange before the preference
      return `${m[2]} ${canonicalName(m[1])}`;
    case 'SRV': // tcpdump: target:port priority weight
      return `${m[3]} ${m[4]} ${m[2]} ${canonicalName(m[1])}`;
    case 'SOA': // shown from -v on only
      return m[1] === undefined ? '' : `${canonicalName(m[1]) || '.'} ${canonicalName(m[2]) || '.'} ${m.slice(3, 8).join(' ')}`;
    case 'TXT':
      return txtText(m[1]);
    default:
      // tcpdump prints no data for most types; what it prints for the rest (URI, A6, TSIG) is
      // kept as it stands.
      return m[1] ?? '';
  }
}

/**
 * ' "v=spf1 -all" "x"' → the decoder's form: each string quoted, '"' and '\' escaped, case kept
 * except after "M-", where characterStringText folds like names do.
 */
function txtText(text: string): string {
  if (text === '') return '';
  return text
    .slice(2, -1)
    .split('" "')
    .map((t) => `"${t.replace(/["\\]/g, '\\$&').replace(/M-([A-Z])/g, (_, c: string) => `M-${c.toLowerCase()}`)}"`)
    .join(' ');
}

/** What may follow a question's name, by where the question is. */
const Q_HEAD = new RegExp(` (${TYPE_WORD})(?: (${CLASS_WORD}))?(?: \\(Q[MU]\\))?\\? `, 'y');
const Q_NAME_IN_QUERY = /(.*?\.)(?=$| ns: | ar: )/y;
const Q_NAME_BEFORE_NEXT = new RegExp(`(.*?\\.)(?=$| ns: | ar: | ${TYPE_WORD}(?: ${CLASS_WORD})?(?: \\(Q[MU]\\))?\\? | )`, 'y');
const Q_NAME_IN_RESPONSE = /(.*?\.)(?=, q:| \d+\/\d+\/\d+(?: |$))/y;

/** QUESTION := SP TYPE [SP CLASS] [" (QM)" | " (QU)"] "? " NAME. */
export function parseQuestion(s: string, at: number, where: 'last-in-query' | 'query' | 'response'): Parsed<DnsQuestion> | null {
  // The common line, "… A? name. (N)" with nothing after the name: no regex needed.
  if (where === 'last-in-query' && s.charCodeAt(s.length - 1) === 0x2e && s.charCodeAt(at) === 0x20) {
    const mark = s.indexOf('? ', at);
    const word = mark > at + 1 && s.indexOf(' ', at + 1) === mark ? s.slice(at + 1, mark) : '';
    if (isTypeWord(word) && !s.includes(' ar: ', mark) && !s.includes(' ns: ', mark)) {
      return { value: { name: canonicalName(s.slice(mark + 2)), type: typeFromText(word), class: 'IN' }, end: s.length };
    }
  }
  const h = execAt(Q_HEAD, s, at);
  if (!h) return null;
  const from = at + h[0].length;
  const nameRe = where === 'response' ? Q_NAME_IN_RESPONSE : where === 'query' ? Q_NAME_BEFORE_NEXT : Q_NAME_IN_QUERY;
  let n = execAt(nameRe, s, from);
  if (!n && where === 'last-in-query') n = execAt(Q_NAME_BEFORE_NEXT, s, from);
  if (!n) return null;
  return { value: { name: canonicalName(n[1]), type: typeFromText(h[1]), class: classFromText(h[2]) }, end: from + n[0].length };
}

export function execAt(re: RegExp, s: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(s);
}
