import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS, HAVE_CORPUS } from '../helpers.js';
import { diffShownFields } from './text-shown-fields.js';
import { packetNumbersByLine, readCapture, readText } from './text-read-both.js';

/**
 * Issue 4's acceptance test: for every capture of tcpdump's own test suite with a DNS rendering,
 * the messages the text reader reads from tcpdump's text equal the messages dnstrace decodes
 * from the capture, in every field the text shows. Text and capture are matched by tcpdump's
 * "-#" packet number. Where they cannot agree, the reason is written here.
 */
const DIR = `${CORPUS}tcpdump/`;

interface Expected {
  /** DNS messages in the text that the capture decoder does not produce, and why. */
  textOnly?: [number, string];
  /** DNS messages the decoder produces that the text does not show, and why. */
  captureOnly?: [number, string];
  /** Lines the text reader reports: tcpdump marked them truncated or broken. */
  anomalies?: string[];
}

const EXCEPTIONS: Record<string, Expected> = {
  // NFLOG, PKTAP, ARCNET and IP length fields longer than the packet are read by both sides.
  // 'bcm-li-v': tcpdump decodes 14 DNS messages inside a Broadcom LI shim (UDP 49152→49153); the
  // text reader, like the capture decoder, leaves packets nested in another packet alone.
  'dns_tcp-skip-3-c-1': { captureOnly: [1, '-c 1 stops tcpdump after one packet'] },
  // PPP_SERIAL is not decoded by dnstrace; tcpdump prints the garbage message up to "[|domain]".
  'ppp_ip_udp_dns-vv': { anomalies: ['text-dns-truncated 1'] },
  // master: "IP [total length 19 < header length 20] (invalid)"; the decoder drops it as well.
  ipv4_invalid_total_length_2: { anomalies: ['text-packet-invalid 1'] },
  'dns-zlip-1': { anomalies: ['text-dns-malformed 1'] },
  'dns-zlip-2': { anomalies: ['text-dns-malformed 1'] },
  'dns-zlip-3': { anomalies: ['text-dns-malformed 1'] },
  'dns-badlabel': { anomalies: ['text-dns-malformed 1'] },
  dns_fwdptr: { anomalies: ['text-dns-malformed 1'] },
  'dns_udp_2--lengths': {
    captureOnly: [1, 'the response is cut by the snaplen (caplen 98 of 266): tcpdump stops at [|domain], the decoder reads what was captured'],
    anomalies: ['text-dns-truncated 3'],
  },
  LINKTYPE_IPV4_invalid: { captureOnly: [1, 'an IPv6 packet on the IPv4 link type: tcpdump master refuses it ([version 6 != 4] (invalid)), 4.99.3 and the decoder read it'], anomalies: ['text-packet-invalid 1'] },
  'LINKTYPE_IPV4_invalid-e': { captureOnly: [1, 'as LINKTYPE_IPV4_invalid'], anomalies: ['text-packet-invalid 1'] },
  LINKTYPE_IPV6_invalid: { captureOnly: [1, 'an IPv4 packet on the IPv6 link type: tcpdump master refuses it, 4.99.3 and the decoder read it'], anomalies: ['text-packet-invalid 1'] },
  'LINKTYPE_IPV6_invalid-e': { captureOnly: [1, 'as LINKTYPE_IPV6_invalid'], anomalies: ['text-packet-invalid 1'] },
  'time_2038': { captureOnly: [1, '-q prints "UDP, length N" and no DNS'] },
  'time_2038_max': { captureOnly: [1, '-q prints no DNS'] },
  'time_2038_overflow': { captureOnly: [1, '-q prints no DNS'] },
  'time_2039': { captureOnly: [1, '-q prints no DNS'] },
  'time_2106': { captureOnly: [1, '-q prints no DNS'] },
  'time_2106_max': { captureOnly: [1, '-q prints no DNS'] },
};

/** Where 4.99.3's text differs from master's in a way that changes what the reader sees. */
const EXCEPTIONS_4_99_3: Record<string, Expected> = {
  LINKTYPE_IPV4_invalid: {},
  'LINKTYPE_IPV4_invalid-e': {},
  LINKTYPE_IPV6_invalid: {},
  'LINKTYPE_IPV6_invalid-e': {},
  // 4.99.3 prints "IP bad-len 19": a packet line that is not DNS.
  ipv4_invalid_total_length_2: {},
};

interface Row { test: string; capture: string; out: string; options: string }

function corpusRows(): Row[] {
  const lines = readFileSync(`${DIR}INDEX.tsv`, 'utf8').trim().split('\n').slice(1);
  return lines
    .map((l) => l.split('\t'))
    .map(([test, capture, out, options]) => ({ test, capture, out, options }))
    // pcapng captures (time_2106_overflow, time_2107, rtp-seg-fault-1) wait for the pcapng reader.
    .filter((r) => r.capture.endsWith('.pcap'));
}

async function compare(row: Row, outPath: string) {
  const ports = row.options.includes('-T domain') ? [53, 8053] : [53];
  const text = await readText(outPath, ports);
  const capture = await readCapture(`${DIR}${row.capture}`, ports);
  const packetOf = packetNumbersByLine(outPath);
  const byFrame = new Map(capture.messages.map((m) => [m.frame, m]));
  const diffs: string[] = [];
  let textOnly = 0;
  let compared = 0;
  for (const m of text.messages) {
    const w = byFrame.get(packetOf[m.frame]);
    if (!w) {
      textOnly++;
      continue;
    }
    byFrame.delete(packetOf[m.frame]);
    compared++;
    diffs.push(...diffShownFields(m, w).map((d) => `line ${m.frame}: ${d}`));
  }
  return {
    compared,
    result: {
      diffs,
      textOnly: textOnly,
      captureOnly: byFrame.size,
      anomalies: text.anomalies.map((a) => `${a.code} ${a.frame}`),
    },
  };
}

function expectedResult(e: Expected) {
  return { diffs: [], textOnly: e.textOnly?.[0] ?? 0, captureOnly: e.captureOnly?.[0] ?? 0, anomalies: e.anomalies ?? [] };
}

describe("tcpdump text ≡ capture on tcpdump's own test suite", () => {
  const cases = HAVE_CORPUS
    ? corpusRows().flatMap((row) => [
        { row, version: 'master', path: `${DIR}${row.out}`, expected: EXCEPTIONS[row.test] ?? {} },
        { row, version: '4.99.3', path: `${DIR}local-tcpdump-4.99.3/${row.out}`, expected: EXCEPTIONS_4_99_3[row.test] ?? EXCEPTIONS[row.test] ?? {} },
      ]).filter((c) => existsSync(c.path))
    : [];
  let total = 0;
  for (const c of cases) {
    it(`${c.row.test} (tcpdump ${c.version}${c.row.options ? ` ${c.row.options}` : ''})`, async () => {
      const { compared, result } = await compare(c.row, c.path);
      total += compared;
      expect(result).toEqual(expectedResult(c.expected));
    });
  }
  it('reads 118 renderings and compares 400 messages field by field in all', () => {
    expect(cases.length).toBe(HAVE_CORPUS ? 118 : 0);
    expect(total).toBe(HAVE_CORPUS ? 400 : 0);
  });
});

if (!HAVE_CORPUS) console.log('shared corpus not found: tcpdump text conformance on the corpus skipped');
