import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { MAX_LINE_CHARS } from '../../src/input/line-reader.js';
import { readTcpdumpText } from '../../src/input/text/read-tcpdump-text.js';
import type { Anomaly, DnsMessage } from '../../src/model.js';
import { chunked } from './build-capture.js';
import { analyzeHostile, expectSoundReport } from './invariants.js';

// Thousands of inputs or CLI runs per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/**
 * Every line lands in exactly one of the reader's counters (lines excepted): the sum of the
 * others, whatever counters the reader keeps, must be the number of lines.
 */
function countedLines(info: object): number {
  return Object.entries(info).reduce((n, [k, v]) => (k === 'lines' || typeof v !== 'number' ? n : n + v), 0);
}

/** Counters of lines that were read but could not be used: each has its anomaly. */
function unreadLines(info: object): number {
  const i = info as Record<string, number | undefined>;
  return (i.unparsed ?? 0) + (i.truncated ?? 0) + (i.malformed ?? 0);
}

async function readText(bytes: Uint8Array, sizes?: readonly number[]) {
  const messages: DnsMessage[] = [];
  const anomalies: Anomaly[] = [];
  const info = await readTcpdumpText(chunked(bytes, sizes), (m) => messages.push(m), { anomaly: (a) => anomalies.push(a), warn: () => {} });
  return { info, messages, anomalies };
}

const enc = (s: string) => new TextEncoder().encode(s);

/** Lines of the two kinds the reader must recognise, and the pieces tcpdump writes in them. */
const QUERY_LINE = '08:25:51.192858 IP 10.0.0.7.38890 > 10.96.0.10.53: 46897+ [1au] A? blog.mosuke.tech.test.svc.cluster.local. (80)';
const RESPONSE_LINE = '08:25:51.193849 IP 10.96.0.10.53 > 10.0.0.7.38890: 46897 NXDomain*- 0/1/1 (173)';
const PIECES = [
  QUERY_LINE, RESPONSE_LINE, 'IP ', 'IP6 ', ' > ', '.53', '.domain', ': ', '+', ' [1au]', ' A? ', ' AAAA? ', ' (80)',
  ' 0/1/1', ' CNAME ', ', A 1.2.3.4', '\n', '\r\n', '\t', '|', '`', '<script>', '\u001b[31m', '\u0000', '\u00ff', '\ud800',
  '12:00:00.000000 ', '2020-06-10 09:19:54.740079 ', '    1  ', 'NXDomain', '*-', '$', '%', '?', '.', ' ',
];

describe('the tcpdump text reader on any text', () => {
  it('accounts for every line of 1000 random texts made of tcpdump pieces, and reports each unread one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 20 })), { maxLength: 60 }), fc.integer({ min: 1, max: 64 }), async (parts, size) => {
        const text = parts.join('');
        const { info, messages, anomalies } = await readText(enc(text), [size]);
        expect(countedLines(info)).toBe(info.lines);
        expect(messages).toHaveLength(info.dns);
        expect(anomalies.filter((a) => a.code !== 'text-line-too-long')).toHaveLength(unreadLines(info));
        // Lines are counted as an editor would: a final line without a newline still counts.
        const expectedLines = text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        expect(info.lines).toBe(expectedLines);
      }),
      { numRuns: 1000, seed: 8 },
    );
  });

  it('accounts for every line of 500 random byte strings, invalid UTF-8 included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 1000 }), async (bytes) => {
        const { info, anomalies } = await readText(bytes, [13]);
        expect(countedLines(info)).toBe(info.lines);
        expect(anomalies.filter((a) => a.code !== 'text-line-too-long')).toHaveLength(unreadLines(info));
      }),
      { numRuns: 500, seed: 8 },
    );
  });

  it('gives the same messages whatever the chunk size, for 300 texts of real lines with noise between them', async () => {
    const line = fc.constantFrom(QUERY_LINE, RESPONSE_LINE, 'listening on eth0', 'garbage | ` <b>', '');
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 30 }), fc.integer({ min: 1, max: 50 }), async (lines, size) => {
        const bytes = enc(lines.join('\n'));
        const whole = await readText(bytes);
        const pieces = await readText(bytes, [size]);
        expect(pieces.messages).toEqual(whole.messages);
        expect(pieces.info).toEqual(whole.info);
      }),
      { numRuns: 300, seed: 8 },
    );
  });
});

describe('text lines of a megabyte', () => {
  const MB = 1 << 20;
  const shapes: [string, string][] = [
    ['one megabyte of "a"', 'a'.repeat(MB)],
    ['a DNS line whose name is a megabyte long', `12:00:00.000000 IP 10.0.0.7.40000 > 10.96.0.10.53: 1+ A? ${'x.'.repeat(MB / 2)} (40)`],
    ['a megabyte of " > " after "IP "', `IP ${' > '.repeat(MB / 3)}`],
    ['a megabyte of "IP a.53 > b.53: "', 'IP a.53 > b.53: '.repeat(MB / 16)],
    ['a megabyte of answer-like text', `12:00:00.000000 IP 10.96.0.10.53 > 10.0.0.7.40000: 1 1/0/0 ${'A 1.2.3.4, '.repeat(MB / 11)}`],
    ['a megabyte of " (1)"', `12:00:00.000000 IP 10.0.0.7.40000 > 10.96.0.10.53: 1+ A? ${' (1)'.repeat(MB / 4)}`],
    ['a megabyte of ESC and NUL-free control bytes', '\u001b[2J\u0007'.repeat(MB / 5)],
  ];
  for (const [what, long] of shapes) {
    it(`accounts for ${what} as one line and still reads the DNS lines around it`, async () => {
      const text = `${QUERY_LINE}\n${long}\n${RESPONSE_LINE}\n`;
      const { info, messages } = await readText(enc(text), [65536]);
      expect(info.lines).toBe(3);
      expect(countedLines(info)).toBe(3);
      expect(messages.map((m) => m.frame)).toEqual([1, 3]);
    });
  }
});

describe(`the line length bound, MAX_LINE_CHARS (${MAX_LINE_CHARS})`, () => {
  it('keeps a DNS line of exactly the bound whole, and still reads the line after one byte longer', async () => {
    const pad = (line: string, n: number) => line.replace('blog.', `${'b'.repeat(n - line.length)}.`);
    const exact = pad(QUERY_LINE, MAX_LINE_CHARS);
    const over = `${exact}x`;
    const { info, messages } = await readText(enc(`${exact}\n${over}\n${RESPONSE_LINE}\n`), [4096]);
    expect(info.lines).toBe(3);
    expect(countedLines(info)).toBe(3);
    expect(messages.map((m) => m.frame)).toEqual([1, 3]);
    expect(`${messages[0].question?.name}. (80)`).toBe(exact.slice(exact.indexOf('A? ') + 3));
  });
});

describe('binary garbage in the middle of tcpdump text', () => {
  it('reads the DNS lines before and after 4 KB of random bytes past the sniffed start, and counts every line', async () => {
    const garbage = new Uint8Array(4096);
    let x = 8;
    for (let i = 0; i < garbage.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      garbage[i] = (x >>> 16) & 0xff;
    }
    const bytes = Uint8Array.from([...enc(`${QUERY_LINE}\n${RESPONSE_LINE}\n`.repeat(40)), ...garbage, ...enc(`\n${QUERY_LINE}\n`)]);
    const out = await analyzeHostile(bytes, [1000]);
    expect(out.inputError).toBeNull();
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.dnsMessages).toBe(81);
    // Each unreadable garbage line is reported with its own line number, all after line 80.
    expect(r.anomalies.length).toBe(r.summary.frameAccounting.malformed);
    expect(r.anomalies.filter((a) => a.frame === null || a.frame <= 80)).toEqual([]);
    expect(r.summary.frameAccounting.frames).toBe(r.summary.frameAccounting.dns + r.summary.frameAccounting.notDns + r.summary.frameAccounting.malformed);
  });
});

describe('text lines built to make a parser scan them again and again', () => {
  it('reads 20 lines of 64 KB of " > " (and the DNS line after them) in linear time', async () => {
    const evil = `IP ${' > '.repeat(MAX_LINE_CHARS / 3)}`;
    const text = `${`${evil}\n`.repeat(20)}${QUERY_LINE}\n`;
    const start = Date.now();
    const { info, messages } = await readText(enc(text), [65536]);
    expect(info.lines).toBe(21);
    expect(messages.map((m) => m.frame)).toEqual([21]);
    // Linear: about 10 ms a line. The quadratic search took 1.7 s a line, 34 s here.
    expect(Date.now() - start).toBeLessThan(5000);
  });
});

describe('impossible time stamps in tcpdump text', () => {
  it.each([
    ['a date that does not exist', '2019-13-45 20:58:40.639715'],
    ['a 20-digit epoch', '99999999999999999999.1'],
    ['a time of day past 24 h', '99:99:99.000001'],
  ])('reads a line stamped with %s into a report that renders', async (_what, stamp) => {
    const out = await analyzeHostile(enc(`${stamp} IP 10.0.0.7.40000 > 10.96.0.10.53: 1+ A? x.example. (29)\n`));
    expect(out.inputError).toBeNull();
    // Found by npm run fuzz: the renderer threw RangeError (Invalid time value) on these, exit 3.
    expectSoundReport(out.report!);
    expect(out.report!.summary.dnsMessages).toBe(1);
  });
});
