import { describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_DATAGRAM_BYTES, MAX_FRAGMENTS_PER_DATAGRAM, MAX_PENDING_DATAGRAMS } from '../../src/decode/ip-reassembly.js';
import { MAX_CLIENTS, MAX_OPEN_LOOKUPS, MAX_OPEN_PER_SOCKET_ID, MAX_OPEN_TRANSACTIONS } from '../../src/analyze/analysis-limits.js';
import { MAX_OUT_OF_ORDER_BYTES, MAX_TCP_FLOWS } from '../../src/decode/tcp-reassembly.js';
import { MAX_PCAPNG_BLOCK } from '../../src/input/pcapng-reader.js';
import { MAX_LISTED_ICMP_UNREACHABLE } from '../../src/pipeline.js';
import { MAX_WALK_GROUPS } from '../../src/analyze/report-limits.js';
import { ROOT } from '../helpers.js';
import { concatBytes, dnsFrame, encodeDns, ethernet, ipv4, lengthPrefixed, pcap, pcapngEpb, pcapngIdb, pcapngShb, tcp, udp } from './build-capture.js';
import { analyzeHostile, anomalyCounts, bucketSum, expectSoundReport } from './invariants.js';

// Tens of thousands of frames per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/**
 * Every bound on what the decoder holds at once is a named constant; input that goes past one is
 * reported as an anomaly and the run goes on. These tests go past each bound and check both.
 */
const CLIENT = '10.0.0.7';
const SERVER = '10.96.0.10';
const query = (id: number, name = 'after') => encodeDns({ id, question: { name: [name, 'example'], type: 1 } });
/** Anomalies by code, every one counted (the list stops at MAX_LISTED_ANOMALIES). */
const codes = anomalyCounts;

describe('IP fragment bounds', () => {
  it(`gives up a datagram after MAX_FRAGMENTS_PER_DATAGRAM (${MAX_FRAGMENTS_PER_DATAGRAM}) overlapping fragments, in batches, and finishes 8001 of them`, async () => {
    const frag = (offset: number, more: boolean, fill: number) =>
      ethernet(ipv4({ src: CLIENT, dst: SERVER, protocol: 17, id: 77, fragmentOffset: offset, moreFragments: more }, new Uint8Array(more ? 64 : 8).fill(fill)));
    // The last fragment first, so every later one would try to complete the datagram.
    const frames = [frag(100, false, 0)];
    for (let i = 0; i < 8000; i++) frames.push(frag(1 + (i % 7), true, i & 0xff));
    const r = (await analyzeHostile(pcap(frames))).report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting).toMatchObject({ frames: 8001, ipFragmentsPending: 8001 });
    expect(codes(r)).toEqual({ 'ip-fragments-incomplete': Math.ceil(8001 / MAX_FRAGMENTS_PER_DATAGRAM) });
    expect(r.anomalies[0].detail).toMatch(new RegExp(`given up: more than ${MAX_FRAGMENTS_PER_DATAGRAM} fragments for one datagram$`));
  });

  it(`holds at most MAX_PENDING_DATAGRAMS (${MAX_PENDING_DATAGRAMS}) datagrams: 500 more first fragments push the oldest out, reported, and a whole datagram after them is decoded`, async () => {
    const frames: Uint8Array[] = [];
    const n = MAX_PENDING_DATAGRAMS + 500;
    for (let i = 0; i < n; i++) {
      frames.push(ethernet(ipv4({ src: CLIENT, dst: SERVER, protocol: 17, id: i, moreFragments: true }, new Uint8Array(64).fill(i & 0xff))));
    }
    frames.push(dnsFrame(query(1)));
    const r = (await analyzeHostile(pcap(frames))).report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting).toMatchObject({ frames: n + 1, dns: 1, ipFragmentsPending: n });
    expect(codes(r)).toEqual({ 'ip-fragments-incomplete': n });
    const pushedOut = r.anomalies.filter((a) => a.detail.endsWith(`given up: more than ${MAX_PENDING_DATAGRAMS} datagrams were being reassembled at once`));
    expect(pushedOut).toHaveLength(500);
    expect(r.transactions.map((t) => t.name)).toEqual(['after.example']);
  });
});

describe('datagram and block sizes', () => {
  it(`reports a fragment that ends past MAX_DATAGRAM_BYTES (${MAX_DATAGRAM_BYTES}) as malformed`, async () => {
    // Offset 8190 × 8 = 65520, plus 64 bytes: past what a 16-bit length can describe.
    const frames = [ethernet(ipv4({ src: CLIENT, dst: SERVER, protocol: 17, id: 5, fragmentOffset: 8190, moreFragments: true }, new Uint8Array(64))), dnsFrame(query(1))];
    const r = (await analyzeHostile(pcap(frames))).report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting).toMatchObject({ frames: 2, malformed: 1, dns: 1 });
    expect(r.anomalies).toEqual([{ code: 'ip-malformed', frame: 1, detail: `IP fragment ends at byte 65584, past the ${MAX_DATAGRAM_BYTES}-byte limit` }]);
  });

  it(`stops at a pcapng block longer than MAX_PCAPNG_BLOCK (${MAX_PCAPNG_BLOCK}) without reading it into memory`, async () => {
    const bytes = concatBytes(pcapngShb(), pcapngIdb(), pcapngEpb(dnsFrame(query(1))), pcapngEpb(dnsFrame(query(2)), { length: MAX_PCAPNG_BLOCK + 4 }));
    const r = (await analyzeHostile(bytes)).report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting).toMatchObject({ frames: 1, dns: 1 });
    expect(r.anomalies.map((a) => a.code)).toEqual(['pcapng-bad-block-length']);
    expect(r.warnings).toHaveLength(1);
  });
});

describe('TCP stream bounds', () => {
  it(`tracks at most MAX_TCP_FLOWS (${MAX_TCP_FLOWS}) directions: 100 more connections each holding part of a message push the oldest out, reported`, async () => {
    const frames: Uint8Array[] = [];
    const n = MAX_TCP_FLOWS + 100;
    for (let i = 0; i < n; i++) {
      const seg = tcp(10000 + (i % 40000), 53, 1, Uint8Array.from([0x01, 0x00, 1, 2, 3]));
      frames.push(ethernet(ipv4({ src: `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`, dst: SERVER, protocol: 6 }, seg)));
    }
    const r = (await analyzeHostile(pcap(frames))).report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting).toMatchObject({ frames: n, dns: 0 });
    expect(codes(r)).toEqual({ 'tcp-flow-evicted': 100, 'tcp-stream-incomplete': MAX_TCP_FLOWS });
  });

  it(`holds at most MAX_OUT_OF_ORDER_BYTES (${MAX_OUT_OF_ORDER_BYTES}) past a gap, reports the gap, and decodes the messages after it`, async () => {
    const seg = (seq: number, data: Uint8Array) => ethernet(ipv4({ src: CLIENT, dst: SERVER, protocol: 6 }, tcp(40001, 53, seq, data)));
    const first = lengthPrefixed(query(1, 'first'));
    // A segment of the stream is never captured: 100 bytes are missing after the first message.
    const frames = [seg(1, first)];
    let seq = 1 + first.length + 100;
    let sent = 0;
    for (let i = 2; sent <= MAX_OUT_OF_ORDER_BYTES; i++) {
      const m = lengthPrefixed(query(i, `m${i}`));
      frames.push(seg(seq, m));
      seq += m.length;
      sent += m.length;
    }
    const r = (await analyzeHostile(pcap(frames))).report!;
    expectSoundReport(r);
    expect(codes(r)['tcp-stream-gap']).toBe(1);
    expect(r.transactions[0].name).toBe('first.example');
    // Held bytes never exceeded the bound, and what followed the gap is read again.
    expect(r.summary.dnsMessages).toBeGreaterThan(1);
  });
});

/**
 * `n` unanswered queries, `perClient` distinct names from each client, 10 µs apart. Built from one
 * template frame with fixed-width labels, patched in place: 200 000 frames in well under a second.
 */
function queryFlood(n: number, perClient: number): Uint8Array {
  const template = dnsFrame(encodeDns({ id: 0, question: { name: ['n000', 'c00000'], type: 1 } }));
  const dns = 14 + 20 + 8;
  const label = (frame: Uint8Array, at: number, digits: string) => {
    for (let k = 0; k < digits.length; k++) frame[at + k] = digits.charCodeAt(k);
  };
  const records = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / perClient);
    const frame = template.slice();
    frame[dns] = (i >> 8) & 0xff;
    frame[dns + 1] = i & 0xff;
    label(frame, dns + 12 + 2, String(i % perClient).padStart(3, '0'));
    label(frame, dns + 12 + 7, String(c).padStart(5, '0'));
    // The client address 10.0.c.c: one client per `perClient` queries.
    frame[14 + 14] = (c >> 8) & 0xff;
    frame[14 + 15] = c & 0xff;
    records.push({ data: frame, timeUs: 1_700_000_000_000_000 + i * 10 });
  }
  return pcap(records);
}

describe('analysis bounds', () => {
  it(`closes the oldest early past MAX_OPEN_TRANSACTIONS (${MAX_OPEN_TRANSACTIONS}) open queries and MAX_OPEN_LOOKUPS (${MAX_OPEN_LOOKUPS}) open lookups, and says so`, async () => {
    const n = MAX_OPEN_TRANSACTIONS + 100;
    const r = (await analyzeHostile(queryFlood(n, 100))).report!;
    // Not rendered: the accounting is what matters here, and 200 000 lookups render slowly.
    expect(bucketSum(r.summary.frameAccounting)).toBe(n);
    expect(r.summary).toMatchObject({ dnsMessages: n, transactions: n, lookups: n });
    expect(r.warnings).toEqual([
      `more than ${MAX_OPEN_LOOKUPS} lookups were open at once; the oldest were closed early and may be split`,
      `more than ${MAX_OPEN_TRANSACTIONS} queries were open at once; the oldest were closed early and may show as unanswered`,
      // Every lookup asks its own name: the walk table keeps the first MAX_WALK_GROUPS walks.
      `${n - MAX_WALK_GROUPS} lookups whose walk came past the first ${MAX_WALK_GROUPS} distinct walks are not in the walk table`,
    ]);
  });

  it(`keeps at most MAX_OPEN_PER_SOCKET_ID (${MAX_OPEN_PER_SOCKET_ID}) queries with one id open on one socket: 20000 such queries finish, with a warning`, async () => {
    const records = [];
    for (let i = 0; i < 20_000; i++) {
      records.push({ data: dnsFrame(encodeDns({ id: 0, question: { name: [`h${i}`, 'example'], type: 1 } })), timeUs: 1_700_000_000_000_000 + i * 100 });
    }
    const r = (await analyzeHostile(pcap(records))).report!;
    expectSoundReport(r);
    expect(r.summary.transactions).toBe(20_000);
    expect(r.warnings).toContain(`more than ${MAX_OPEN_PER_SOCKET_ID} queries with the same id were open on one client socket; the oldest were closed early and may show as unanswered`);
  });

  it(`tracks the resolver profiles of at most MAX_CLIENTS (${MAX_CLIENTS}) clients and says how many queries it left out`, async () => {
    const r = (await analyzeHostile(queryFlood(MAX_CLIENTS + 100, 1))).report!;
    expectSoundReport(r);
    expect(r.summary.transactions).toBe(MAX_CLIENTS + 100);
    expect(r.warnings).toContain(`100 queries came from clients beyond the first ${MAX_CLIENTS}; their resolver profiles are not shown`);
  });
});

/**
 * A query that stays open for the whole capture (never answered; its deadline is 6 s away), then
 * `n` answered queries with their responses, 40 µs apart, each its own lookup: all of them wait
 * behind the first to be written in order. An answered transaction stays open 1 s, so about
 * n - 27,500 of them settle before the capture ends (5.4 s, before the open query's deadline).
 */
function answeredBehindOneOpenQuery(n: number): Uint8Array {
  const records = [{ data: dnsFrame(query(1, 'stuck')), timeUs: 1_700_000_000_000_000 }];
  const q = dnsFrame(encodeDns({ id: 0, question: { name: ['q000000', 'example'], type: 1 } }));
  const a = dnsFrame(encodeDns({ id: 0, response: true, question: { name: ['q000000', 'example'], type: 1 } }), true);
  const dns = 14 + 20 + 8;
  for (let i = 0; i < n; i++) {
    // Ids cycle past 1 (the open query's) and come back only after the answered one settled.
    const id = 2 + (i % 60_000);
    const digits = String(i).padStart(6, '0');
    for (const [template, dt] of [[q, 0], [a, 5]] as const) {
      const frame = template.slice();
      frame[dns] = id >> 8;
      frame[dns + 1] = id & 0xff;
      for (let k = 0; k < 6; k++) frame[dns + 12 + 2 + k] = digits.charCodeAt(k);
      records.push({ data: frame, timeUs: 1_700_000_000_000_100 + i * 40 + dt });
    }
  }
  return pcap(records);
}

describe('the report order', () => {
  it('writes each record as it completes: a query open all along holds nothing back, and comes when the capture ends', async () => {
    const n = 135_000;
    const r = (await analyzeHostile(answeredBehindOneOpenQuery(n))).report!;
    expect(r.summary).toMatchObject({ transactions: n + 1, unanswered: 1, lookups: n + 1 });
    // Answered ones settle a second after their answer, in the order they were sent, while the
    // open query waits; it settles when the capture ends, first of what is still open then.
    const frames = r.transactions.map((t) => t.queryFrame as number);
    const stuck = frames.indexOf(1);
    expect(stuck).toBeGreaterThan(n * 0.7);
    expect(frames.filter((f) => f !== 1).every((f, i, all) => i === 0 || all[i - 1] < f)).toBe(true);
    expect(r.lookups.map((l) => l.name).indexOf('stuck.example')).toBeGreaterThan(n * 0.7);
    expect(r.warnings).toEqual([`${n + 1 - MAX_WALK_GROUPS} lookups whose walk came past the first ${MAX_WALK_GROUPS} distinct walks are not in the walk table`]);
  });
});

describe('lists the report keeps', () => {
  it(`lists the first MAX_LISTED_ICMP_UNREACHABLE (${MAX_LISTED_ICMP_UNREACHABLE}) ICMP unreachables and says how many more there were`, async () => {
    const frames = [dnsFrame(query(1))];
    for (let i = 0; i < MAX_LISTED_ICMP_UNREACHABLE + 500; i++) {
      const quoted = ipv4({ src: CLIENT, dst: SERVER, protocol: 17 }, udp(40000 + (i % 1000), 53, query(i)));
      frames.push(ethernet(ipv4({ src: SERVER, dst: CLIENT, protocol: 1 }, Uint8Array.from([3, 3, 0, 0, 0, 0, 0, 0, ...quoted]))));
    }
    const r = (await analyzeHostile(pcap(frames))).report!;
    expectSoundReport(r);
    expect(r.icmpUnreachable).toHaveLength(MAX_LISTED_ICMP_UNREACHABLE);
    expect(r.icmpUnreachable?.[0].frame).toBe(2);
    expect(r.warnings).toContain(`500 more ICMP unreachables were not listed: the report lists the first ${MAX_LISTED_ICMP_UNREACHABLE}`);
  });
});

describe('every resource bound is a named constant with its reason', () => {
  const srcDir = join(ROOT, 'src');
  const files = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const bounds: { name: string; file: string; documented: boolean }[] = [];
  for (const f of files) {
    const lines = readFileSync(join(srcDir, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = /^export const (MAX_[A-Z0-9_]+)\b/.exec(line);
      if (m) bounds.push({ name: m[1], file: f, documented: /\*\/\s*$/.test(lines[i - 1] ?? '') });
    });
  }
  const tests = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(ROOT, 'test', f), 'utf8'))
    .join('\n');

  it('finds the bounds of the readers and the decoder', () => {
    expect(bounds.map((b) => b.name)).toEqual(expect.arrayContaining(['MAX_PCAP_RECORD', 'MAX_PCAPNG_BLOCK', 'MAX_TCP_FLOWS', 'MAX_PENDING_DATAGRAMS']));
  });

  it('documents each MAX_ constant in src/ with a comment saying why its value', () => {
    expect(bounds.filter((b) => !b.documented).map((b) => `${b.file}: ${b.name}`)).toEqual([]);
  });

  it('names each MAX_ constant of src/ in at least one test', () => {
    const untested = bounds.filter((b) => !new RegExp(`\\b${b.name}\\b`).test(tests.replace(/export const MAX_[A-Z0-9_]+/g, '')));
    expect(untested.map((b) => `${b.file}: ${b.name}`)).toEqual([]);
  });
});
