import type { DnsMessage, DnsRecord } from '../../src/model.js';
import { flagsHiddenInText } from '../../src/input/text/parse-dns.js';

/**
 * Types whose data tcpdump prints in a form the text reader turns into the decoder's
 * presentation form. Others print nothing (RRSIG, HTTPS, …) or print it their own way (URI,
 * A6, TSIG), which the decoder writes as RFC 3597 bytes.
 */
const DATA_SHOWN = new Set(['A', 'AAAA', 'NS', 'CNAME', 'PTR', 'DNAME', 'MX', 'SRV', 'SOA', 'TXT']);

/**
 * Every difference between a message read from tcpdump text and the same message decoded from
 * the capture, in the fields the text shows. An empty list means they agree.
 */
export function diffShownFields(text: DnsMessage, wire: DnsMessage): string[] {
  const out: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${what}: text ${JSON.stringify(a)} vs capture ${JSON.stringify(b)}`);
  };
  for (const k of ['timeUs', 'src', 'dst', 'transport', 'id', 'isResponse', 'opcode', 'rcode', 'counts', 'size'] as const) {
    same(k, text[k], wire[k]);
  }
  const hidden = new Set(flagsHiddenInText(text));
  for (const [flag, value] of Object.entries(text.flags)) {
    if (!hidden.has(flag as keyof DnsMessage['flags'])) same(`flags.${flag}`, value, wire.flags[flag as keyof DnsMessage['flags']]);
  }
  if (text.question !== null || !text.isResponse) same('question', text.question, wire.question);
  const sections = [['answers', text.answers, wire.answers], ['authorities', text.authorities, wire.authorities], ['additionals', text.additionals, wire.additionals]] as const;
  for (const [name, t, w] of sections) {
    // Answers are printed at every verbosity; the other sections only at -vv.
    if (name === 'answers' || text.sectionsComplete || t.length > 0) same(`${name}.length`, t.length, w.length);
    t.forEach((r, i) => w[i] && diffRecord(`${name}[${i}]`, r, w[i], same));
  }
  if (text.sectionsComplete || text.ednsUdpSize !== null) same('ednsUdpSize', text.ednsUdpSize, wire.ednsUdpSize);
  if (text.sectionsComplete) same('sectionsComplete', true, wire.sectionsComplete);
  return out;
}

function diffRecord(at: string, t: DnsRecord, w: DnsRecord, same: (what: string, a: unknown, b: unknown) => void): void {
  same(`${at}.type`, t.type, w.type);
  same(`${at}.class`, t.class, w.class);
  // Owner names are printed from -v on, TTLs at -vvv; the OPT owner is always the root.
  if (t.name !== '' || t.type === 'OPT') same(`${at}.name`, t.name, w.name);
  if (t.ttl !== null) same(`${at}.ttl`, t.ttl, w.ttl);
  if (DATA_SHOWN.has(t.type) && !(t.type === 'SOA' && t.data === '')) same(`${at}.data`, t.data, w.data);
}
