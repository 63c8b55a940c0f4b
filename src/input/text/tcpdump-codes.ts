import { className, opcodeName, rcodeName, typeName } from '../../decode/dns-codes.js';

/**
 * tcpdump's words for DNS codes (print-domain.c ns_type2str, ns_class2str, ns_ops, ns_resp),
 * mapped back to numbers and then to the capture decoder's names, so that a text line and
 * the decoded packet it came from name every code the same way.
 */

/** ns_type2str of tcpdump master; 4.99.3 prints some of these as "Type<N>" (same number). */
const TCPDUMP_TYPES: Record<string, number> = {
  A: 1, NS: 2, MD: 3, MF: 4, CNAME: 5, SOA: 6, MB: 7, MG: 8, MR: 9, NULL: 10, WKS: 11, PTR: 12,
  HINFO: 13, MINFO: 14, MX: 15, TXT: 16, RP: 17, AFSDB: 18, X25: 19, ISDN: 20, RT: 21, NSAP: 22,
  NSAP_PTR: 23, SIG: 24, KEY: 25, PX: 26, GPOS: 27, AAAA: 28, LOC: 29, NXT: 30, EID: 31,
  NIMLOC: 32, SRV: 33, ATMA: 34, NAPTR: 35, KX: 36, CERT: 37, A6: 38, DNAME: 39, SINK: 40,
  OPT: 41, APL: 42, DS: 43, SSHFP: 44, IPSECKEY: 45, RRSIG: 46, NSEC: 47, DNSKEY: 48, DHCID: 49,
  NSEC3: 50, NSEC3PARAM: 51, TLSA: 52, SMIMEA: 53, HIP: 55, NINFO: 56, RKEY: 57, TALINK: 58,
  CDS: 59, CDNSKEY: 60, OPENPGPKEY: 61, CSYNC: 62, ZONEMD: 63, SVCB: 64, HTTPS: 65, SPF: 99,
  UINFO: 100, UID: 101, GID: 102, UNSPEC: 103, UNSPECA: 104, NID: 104, L32: 105, L64: 106,
  LP: 107, EUI48: 108, EUI64: 109, TKEY: 249, TSIG: 250, IXFR: 251, AXFR: 252, MAILB: 253,
  MAILA: 254, ANY: 255, URI: 256, CAA: 257, AVC: 258, DOA: 259, AMTRELAY: 260, TA: 32768,
  DLV: 32769,
};

/** One alternation of every type word tcpdump prints, longest first so "NSEC3PARAM" beats "NSEC". */
export const TYPE_WORD = `(?:Type\\d+|${Object.keys(TCPDUMP_TYPES)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;

/** ns_class2str; any other class prints as "(Class N)" (IN is never printed). */
export const CLASS_WORD = '(?:CHAOS|HS|ANY|\\(Class \\d+\\))';

/** tcpdump type word → decoder type name ("Type65" → "HTTPS", "NXT" → "TYPE30"). */
export function typeFromText(word: string): string {
  const n = word.startsWith('Type') ? Number(word.slice(4)) : Object.hasOwn(TCPDUMP_TYPES, word) ? TCPDUMP_TYPES[word] : undefined;
  return n === undefined ? word : typeName(n);
}

/** A word tcpdump prints for a type: a name of its table or "Type<N>". */
export function isTypeWord(word: string): boolean {
  // hasOwn: capture text is untrusted, and "constructor" is on every object's prototype.
  return Object.hasOwn(TCPDUMP_TYPES, word) || /^Type\d+$/.test(word);
}

/** tcpdump class word (undefined: not printed, so IN) → decoder class name. */
export function classFromText(word: string | undefined): string {
  if (word === undefined) return 'IN';
  if (word === 'CHAOS') return className(3);
  if (word === 'HS') return className(4);
  if (word === 'ANY') return className(255);
  return className(Number(word.slice(7, -1)));
}

/** ns_ops[]: each word carries its own leading space; QUERY (0) prints nothing. */
const OPCODE_WORDS = [
  '', ' inv_q', ' stat', ' op3', ' notify', ' update', ' op6', ' op7', ' op8', ' updateA',
  ' updateD', ' updateDA', ' updateM', ' updateMA', ' zoneInit', ' zoneRef',
];

/** " notify" → "NOTIFY"; an unknown word → "QUERY" (the caller checks). */
export function opcodeFromText(word: string | undefined): string {
  const n = OPCODE_WORDS.indexOf(word ?? '');
  return opcodeName(n < 0 ? 0 : n);
}

/**
 * ns_resp[] (rcodes 0-23) and ns_rcode() (" Resp<N>" from 24). Entries 17 and 21 have no
 * leading space in tcpdump's table, hence "1234Resp17".
 */
const RCODE_WORDS: Record<string, number> = {
  ' FormErr': 1, ' ServFail': 2, ' NXDomain': 3, ' NotImp': 4, ' Refused': 5, ' YXDomain': 6,
  ' YXRRSet': 7, ' NXRRSet': 8, ' NotAuth': 9, ' NotZone': 10, ' NoChange': 15, ' BadVers': 16,
  ' BadCookie': 23,
};

/** " NXDomain", "Resp17", " Resp42": a word tcpdump prints for an rcode. */
export function isRcodeWord(word: string): boolean {
  return Object.hasOwn(RCODE_WORDS, word) || /^ ?Resp\d+$/.test(word);
}

export function rcodeFromText(word: string | undefined): string {
  if (word === undefined) return rcodeName(0);
  const known = Object.hasOwn(RCODE_WORDS, word) ? RCODE_WORDS[word] : undefined;
  return rcodeName(known ?? Number(word.replace(/\D/g, '')));
}

/** unsigned_relts_print: "1h1m40s" → 6100; "0s" → 0. */
export function secondsFromTtlText(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+)([ywdhms])/g)) total += Number(m[1]) * TTL_UNITS[m[2]];
  return total;
}

const TTL_UNITS: Record<string, number> = { y: 31_536_000, w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 };
