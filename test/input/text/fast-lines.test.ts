import { existsSync, readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTcpdumpText } from '../../../src/input/text/read-tcpdump-text.js';
import { MAX_KEPT_TEXT } from '../../../src/input/text/text-dns-cache.js';
import type { Anomaly, DnsMessage } from '../../../src/model.js';
import { CORPUS, FIXTURES, HAVE_CORPUS, ROOT } from '../../helpers.js';

// Issue 7: the text reader reads the lines a DNS capture is made of from their bytes
// (TextLineBytes, TextDnsCache) and every other line as text (parseTextLine). Read both ways,
// every input must give the same messages (every field, in the same key order), the same
// counts, anomalies and warnings.

async function read(bytes: Uint8Array, fastLines: boolean, chunkSize = 1 << 20, ports = [53]) {
  const messages: DnsMessage[] = [];
  const anomalies: Anomaly[] = [];
  const warnings: string[] = [];
  const chunks = (async function* () {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  })();
  const info = await readTcpdumpText(chunks, (m) => messages.push(m), { anomaly: (a) => anomalies.push(a), warn: (w) => warnings.push(w) }, ports, { fastLines });
  return { messages, keys: messages.map((m) => Object.keys(m).join()), anomalies, warnings, info };
}

async function expectBothWays(bytes: Uint8Array, what: string, chunkSize?: number, ports?: number[]) {
  const text = await read(bytes, false, chunkSize, ports);
  const fast = await read(bytes, true, chunkSize, ports);
  expect(fast, what).toStrictEqual(text);
  return fast;
}

const textFiles = (dir: string, pattern: RegExp) => (existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => dir + f) : []);

describe('the text reader from bytes against the text reader from text', () => {
  it('reads every fixture rendering (-n, names, -v, -vv, -tttt) the same both ways, whole and in 7-byte chunks', async () => {
    const files = textFiles(FIXTURES, /\.txt$/);
    expect(files.length).toBeGreaterThanOrEqual(100);
    let messages = 0;
    for (const f of files) {
      const bytes = readFileSync(f);
      messages += (await expectBothWays(bytes, f)).messages.length;
      await expectBothWays(bytes, `${f} in 7-byte chunks`, 7);
    }
    expect(messages).toBeGreaterThan(1000);
  });

  it('reads the seed transcripts and every corpus rendering the same both ways', async () => {
    const files = [...textFiles(`${ROOT}../shared/seed/`, /\.txt$/), ...(HAVE_CORPUS ? textFiles(`${CORPUS}tcpdump/`, /\.out$/) : [])];
    if (!HAVE_CORPUS) console.log('shared corpus not found: corpus renderings skipped');
    for (const f of files) await expectBothWays(readFileSync(f), f, 1 << 20, [53, 5353, 5355]);
  });

  it(`reads DNS texts longer than MAX_KEPT_TEXT (${MAX_KEPT_TEXT} bytes), parsed each time, the same both ways`, async () => {
    const answers = Array.from({ length: 40 }, (_, i) => `A 10.0.${i}.1`).join(', ');
    const line = (id: number) => `12:00:00.00000${id} IP 10.96.0.10.53 > 10.0.0.2.4000: ${id} 40/0/0 ${answers} (700)`;
    expect(line(1).length - line(1).indexOf(': ') - 4).toBeGreaterThan(MAX_KEPT_TEXT);
    const r = await expectBothWays(new TextEncoder().encode([1, 2, 3].map(line).join('\n')), 'long answers');
    expect(r.messages.map((m) => [m.id, m.answers.length])).toStrictEqual([[1, 40], [2, 40], [3, 40]]);
  });

  it('reads the lines of a generated 5,000-message capture the same both ways', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 2500; i++) {
      const port = 30000 + ((i * 7919) % 35000);
      const host = `10.244.${i % 5}.${i % 17}`;
      const stamp = `10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(i * 37 % 1e6).padStart(6, '0')}`;
      const name = `svc${i % 40}.ns${i % 3}.svc.cluster.local.`;
      lines.push(`${stamp} IP ${host}.${port} > 10.96.0.10.53: ${i}+ ${i % 2 ? 'AAAA' : 'A'}? ${name} (${name.length + 17})`);
      lines.push(`${stamp} IP 10.96.0.10.53 > ${host}.${port}: ${i} NXDomain*- 0/1/0 (${name.length + 70})`);
    }
    await expectBothWays(new TextEncoder().encode(lines.join('\n')), 'generated');
  });
});

/** Lines and pieces of lines the byte reader must take, decline, or tell apart from text. */
const LINES = [
  '08:25:51.192858 IP 10.0.0.7.38890 > 10.96.0.10.53: 46897+ [1au] A? blog.mosuke.tech.test.svc.cluster.local. (80)',
  '08:25:51.193849 IP 10.96.0.10.53 > 10.0.0.7.38890: 46897 NXDomain*- 0/1/1 (173)',
  '2020-06-10 09:19:54.740079 IP 10.0.0.7.38890 > 10.96.0.10.53: 1+ AAAA? a.b. (30)',
  '1591780794.740079 IP 10.0.0.7.38890 > 10.96.0.10.53: 2+ A? a.b. (30)',
  '1591780794.740079123 IP6 2001:db8::1.5353 > 2001:db8::53.53: 3 1/0/0 AAAA 2001:db8::2 (60)',
  '17:44:31.261779 IP (tos 0x0, ttl 64, id 44576, offset 0, flags [DF], proto UDP (17), length 76)',
  '    127.0.0.1.48400 > 127.0.0.9.53: 12186+ A? my-blog.test.svc.cluster.local. (48)',
  '    127.0.0.1.48400 > 127.0.0.9.53: [udp sum ok] 12186+ A? my-blog.test.svc.cluster.local. (48)',
  '    127.0.0.1.48400 > 127.0.0.9.53: [bad udp cksum 0xfe53 -> 0x119e!] 12186+ A? x. (48)',
  '    debug.48400 > 127.0.0.9.domain: 12186+ A? x. (48)',
  '17:44:31.262096 IP 127.0.0.9 > 127.0.0.1: ICMP 127.0.0.9 udp port 53 unreachable, length 84',
  '12:00:00.000000 IP 10.0.0.1.53 > 10.0.0.2.99999: 5 0/0/0 (12)',
  '12:00:00.000000 IP 10.0.0.1.053 > 10.0.0.2.00053: 5 ServFail 0/0/0 (12)',
  '12:00:00.000000 IP 10.0.0.1.53 > 10.0.0.2.4000: 7 1/0/0 A 1.2.3.4 (40',
  '12:00:00.000000 IP 10.0.0.1.53 > 10.0.0.2.4000: 7 1/0/0 CNAME a.',
  '    1  12:00:00.000000 IP 10.0.0.1.53 > 10.0.0.2.4000: 8 0/0/0 (12)',
  ' 00:00:00.000100 IP 10.0.0.1.53 > 10.0.0.2.4000: 9 0/0/0 (12)',
  '12:00:00.000000 IP 10.0.0.1.4000 > 10.0.0.2.80: Flags [S], seq 1, length 0',
  '12:00:00.000000 IP 10.0.0.1.4000 > 10.0.0.2.53: UDP, length 30',
  '12:00:00.000000 eth0 Out IP 10.0.0.1.4000 > 10.0.0.2.53: 10+ A? a. (17)',
  '12:00:00.000000 IP 10.0.0.1.4000 > 10.0.0.2.53: 11+ A? caf\u00e9.example. (30)',
  '12:00:00.000000 IP 10.0.0.1,x.4000 > 10.0.0.2.53: 12+ A? a. (17)',
  '12:00:00.000000 IP (tos 0x0, ttl 64) 10.0.0.1.4000 > 10.0.0.2.53: 13+ A? a. (17)',
  '12:00:00.000000 IP 10.0.0.1.4000 > 10.0.0.2.53: 14+ A? a. <BAD PTR> (17)',
  '12:00:00.000000 IP 10.0.0.1.53 > 10.0.0.2.4000: 15 0/0/0 [|domain]',
  '2020-13-45 25:61:61.1234567 IP 10.0.0.1.53 > 10.0.0.2.4000: 16 0/0/0 (12)',
  '12:00:00.000000 IP 10.0.0.256.4000 > 10.0.0.2.53: 17+ A? a. (17)',
  '12:00:00.000000 IP 010.0.0.1.4000 > 10.0.0.2.53: 18+ A? a. (17)',
  '12:00:00.000000 IP 10.0.0.1.2.4000 > 10.0.0.2.53: 19+ A? a. (17)',
  '12:00:00.000000 IP 10.0.0.1.65536 > 10.0.0.2.53: 20+ A? a. (17)',
  '12:00:00.000000 IP 10.0.0.1.65535 > 10.0.0.2.053: 21+ A? a. (17)',
  '12:00:00.000000 IP 10.0.0.1.0 > 255.255.255.255.53: 22+ A? a. (17)',
  '1:00:00.000000 IP 10.0.0.1.4000 > 10.0.0.2.53: 23+ A? a. (17)',
  '12:00:00.0000001 IP 10.0.0.1.4000 > 10.0.0.2.53: 24+ A? a. (17)',
  '12:0a:00.000000 IP 10.0.0.1.4000 > 10.0.0.2.53: 25+ A? a. (17)',
  '23:59:59.999999 IP 10.0.0.1.4000 > 10.0.0.2.53: 26+ A? a. (17)',
  'listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
  '',
];
const PIECES = [' ', '.', ':', '\r', '\t', ' > ', ': ', '53', '(', ')', '0x', '\u00ff', '\ud800', '\u0000', '12:00:00.000000 ', 'IP ', 'IP6 '];

describe('the text reader from bytes on any line', () => {
  it('reads 1,500 random texts of real, cut and mutated lines the same both ways, in random chunk sizes', async () => {
    const mutated = fc.tuple(fc.constantFrom(...LINES), fc.nat(120), fc.constantFrom(...PIECES)).map(([l, at, p]) => l.slice(0, at) + p + l.slice(at + 1));
    const cut = fc.tuple(fc.constantFrom(...LINES), fc.nat(120)).map(([l, at]) => l.slice(0, at));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...LINES), mutated, cut), { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 300 }), async (lines, eol, size) => {
        await expectBothWays(new TextEncoder().encode(lines.join(eol)), lines.join(eol), size);
      }),
      { numRuns: 1500, seed: 7 },
    );
  });
});
