import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/decode/frame-decoder.js';
import { typeName } from '../../src/decode/dns-codes.js';
import { sniffInput } from '../../src/input/open-input.js';
import { readPcap } from '../../src/input/pcap-reader.js';
import { readPcapng } from '../../src/input/pcapng-reader.js';
import type { Anomaly, DnsMessage, FrameAccounting } from '../../src/model.js';
import { CORPUS, FIXTURES, ROOT, skipWithoutCorpus } from '../helpers.js';

/** Made by scripts/conformance/make-tshark-expectations.sh from the same corpus. */
interface Row { frame: number; id: number; response: boolean; name: string | null; type: number | null; rcode: number | null; inIcmp?: true }
const expectations = JSON.parse(readFileSync(`${ROOT}test/conformance/tshark-expectations.json`, 'utf8')) as {
  captures: Record<string, Row[]>;
  fixtures: Record<string, Row[]>;
};

/** The corpus's two captures on port 8053 are decoded with --port 8053, as tshark with -d. */
const PORTS = [53, 8053];

/**
 * Where dnstrace and tshark disagree on purpose. Each entry: the rows dnstrace gives instead of
 * tshark's, the anomaly that explains it, and why dnstrace is right (or tshark has no say).
 */
const EXCEPTIONS: Record<string, { rows: Row[]; anomaly: string; why: string }> = {
  'LINKTYPE_IPV6_invalid.pcap': {
    rows: [{ frame: 1, id: 4660, response: false, name: 'example.com', type: 1, rcode: null }],
    anomaly: '',
    why: 'the file says LINKTYPE_IPV6 but the packet is IPv4; tshark refuses it, dnstrace reads the IP version nibble as tcpdump 4.99 does, since the query is plainly there',
  },
  'dns_fwdptr.pcap': {
    rows: [],
    anomaly: 'dns-malformed',
    why: 'a compression pointer points forward (RFC 1035 §4.1.4 allows only prior occurrences); tshark prints "<Name too long>" and a made-up type, dnstrace counts the message as malformed',
  },
  'dns-badlabel.pcap': {
    rows: [],
    anomaly: 'dns-malformed',
    why: 'fuzzed labels that are not valid DNS; tshark prints "<Name too long>", dnstrace counts the message as malformed',
  },
  'rtp-seg-fault-1.pcapng': {
    rows: [],
    anomaly: 'transport-malformed',
    why: 'the UDP length (57343) is far more than the 17 bytes the IP datagram holds; tshark flags it as malformed yet shows a 9-byte DNS header, dnstrace counts the frame as malformed',
  },
};

async function decodeCapture(path: string) {
  const anomalies: Anomaly[] = [];
  const diag = { anomaly: (a: Anomaly) => anomalies.push(a), warn: () => {} };
  const input = await sniffInput(createReadStream(path), false, diag);
  const decoder = new FrameDecoder(diag, PORTS);
  const messages: DnsMessage[] = [];
  const read = input.format === 'pcap' ? readPcap : readPcapng;
  await read(input.chunks, (f) => decoder.decode(f, messages), diag);
  decoder.finish();
  return { messages, anomalies, accounting: decoder.accounting, icmp: decoder.icmpUnreachable };
}

function toRow(m: DnsMessage, rcodeNumber: (name: string) => number): Row {
  return {
    frame: m.frame,
    id: m.id,
    response: m.isResponse,
    name: m.question?.name ?? null,
    type: m.question === null ? null : typeNumber(m.question.type),
    rcode: m.isResponse ? rcodeNumber(m.rcode) : null,
  };
}

function typeNumber(name: string): number {
  if (name.startsWith('TYPE')) return Number(name.slice(4));
  for (let n = 0; n < 65536; n++) if (typeName(n) === name) return n;
  throw new Error(`unknown type ${name}`);
}

const RCODES: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, YXDOMAIN: 6, YXRRSET: 7, NXRRSET: 8, NOTAUTH: 9, NOTZONE: 10, BADVERS: 16, BADCOOKIE: 23 };
const rcodeNumber = (name: string) => RCODES[name] ?? Number(name.replace(/^RCODE/, ''));

function sumOf(a: FrameAccounting): number {
  return a.dns + a.notDns + a.malformed + a.truncated + a.unsupportedLinkType + a.ipFragmentsPending;
}

describe('dnstrace decodes the same DNS messages as tshark in every corpus capture', () => {
  if (skipWithoutCorpus('tshark conformance')) return;
  it('has an expectation for every capture in the corpus, and a capture for every expectation', () => {
    const files = readFileSync(`${CORPUS}tcpdump/INDEX.tsv`, 'utf8').split('\n').slice(1).map((l) => l.split('\t')[1]).filter(Boolean);
    expect(Object.keys(expectations.captures).sort()).toEqual([...new Set(files)].sort());
  });
  for (const [file, tshark] of Object.entries(expectations.captures)) {
    const path = `${CORPUS}tcpdump/${file}`;
    if (!existsSync(path)) continue;
    const exception = EXCEPTIONS[file];
    it(exception ? `${file}: differs from tshark on purpose (${exception.why.split(';')[0]})` : `${file}: ${tshark.length} messages as tshark`, async () => {
      const { messages, anomalies, accounting } = await decodeCapture(path);
      expect(sumOf(accounting)).toBe(accounting.frames);
      const ours = messages.map((m) => toRow(m, rcodeNumber));
      if (exception) {
        expect(ours).toEqual(exception.rows);
        if (exception.anomaly) expect(anomalies.map((a) => a.code)).toContain(exception.anomaly);
      } else {
        expect(ours).toEqual(tshark);
      }
    });
  }
});

describe('dnstrace decodes the same DNS messages as tshark in every lab fixture', () => {
  const files = readdirSync(FIXTURES).filter((f) => /\.(pcap|pcapng|pcap\.gz)$/.test(f));
  it('has an expectation for every capture in fixtures/', () => {
    expect(Object.keys(expectations.fixtures).sort()).toEqual(files.sort());
  });
  for (const [file, tshark] of Object.entries(expectations.fixtures)) {
    // tshark also dissects the DNS message quoted inside an ICMP error (glibc's dead nameserver,
    // a response to a client that already closed its socket); dnstrace reports those as
    // icmpUnreachable, linked by frame and DNS id, and not as DNS messages.
    const quoted = tshark.filter((r) => r.inIcmp);
    it(`${file}: ${tshark.length - quoted.length} messages as tshark${quoted.length ? `, and ${quoted.length} quoted in ICMP errors` : ''}`, async () => {
      const { messages, accounting, icmp } = await decodeCapture(`${FIXTURES}${file}`);
      expect(sumOf(accounting)).toBe(accounting.frames);
      expect(messages.map((m) => toRow(m, rcodeNumber))).toEqual(tshark.filter((r) => !r.inIcmp));
      expect(icmp.map((i) => [i.frame, i.dnsId])).toEqual(quoted.map((r) => [r.frame, r.id]));
    });
  }
});
