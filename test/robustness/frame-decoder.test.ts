import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { FrameDecoder } from '../../src/decode/frame-decoder.js';
import { LINKTYPE } from '../../src/decode/link-layer.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import type { Anomaly, DnsMessage } from '../../src/model.js';
import { dnsFrame, encodeDns, ethernet, ipv4, lengthPrefixed, pcap, tcp, udp } from './build-capture.js';
import { MAX_LISTED_ANOMALIES } from '../../src/collect-diagnostics.js';
import { analyzeHostile, anomalyCounts, bucketSum, expectSoundReport } from './invariants.js';

// Thousands of inputs or CLI runs per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

const CLIENT = '10.0.0.7';
const SERVER = '10.96.0.10';

function newDecoder() {
  const anomalies: Anomaly[] = [];
  const decoder = new FrameDecoder({ anomaly: (a) => anomalies.push(a), warn: () => {} });
  return { decoder, anomalies };
}

const query = (id: number, name = 'svc') => encodeDns({ id, question: { name: [name, 'default', 'svc', 'cluster', 'local'], type: 1 } });

/** A TCP segment of a DNS connection from the pod to CoreDNS, on Ethernet. */
const tcpFrame = (seq: number, payload: Uint8Array, flags = 0x18) =>
  ethernet(ipv4({ src: CLIENT, dst: SERVER, protocol: 6 }, tcp(40001, 53, seq, payload, flags)));

describe('the frame decoder on any frame', () => {
  const linkTypes = Object.values(LINKTYPE);

  it('puts every one of 3000 random frames in exactly one accounting bucket and never throws', () => {
    fc.assert(
      fc.property(fc.constantFrom(...linkTypes, 147, 65535), fc.uint8Array({ maxLength: 200 }), (linkType, data) => {
        const { decoder } = newDecoder();
        const out: DnsMessage[] = [];
        decoder.decode({ number: 1, timeUs: 0, linkType, data, originalLength: data.length }, out);
        expect(decoder.accounting.frames).toBe(1);
        expect(bucketSum(decoder.accounting)).toBe(1);
      }),
      { numRuns: 3000, seed: 8 },
    );
  });

  it('puts every one of 2000 random DNS-port UDP and TCP payloads in exactly one bucket', () => {
    // Valid Ethernet, IPv4 and UDP/TCP headers to port 53 around random bytes: every frame
    // reaches the DNS decoder (or the TCP stream code), which random frames rarely do.
    const arb = fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 0xffffffff }));
    fc.assert(
      fc.property(fc.array(arb, { minLength: 1, maxLength: 8 }), (frames) => {
        const { decoder, anomalies } = newDecoder();
        const out: DnsMessage[] = [];
        frames.forEach(([isTcp, payload, seq], i) => {
          const seg = isTcp ? tcp(40001, 53, seq, payload) : udp(40000, 53, payload);
          const data = ethernet(ipv4({ src: CLIENT, dst: SERVER, protocol: isTcp ? 6 : 17 }, seg));
          decoder.decode({ number: i + 1, timeUs: i, linkType: 1, data, originalLength: data.length }, out);
        });
        const acc = decoder.accounting;
        expect(acc.frames).toBe(frames.length);
        expect(bucketSum(acc)).toBe(frames.length);
        expect(anomalies.filter((a) => a.frame !== null && (a.frame < 1 || a.frame > frames.length))).toEqual([]);
      }),
      { numRuns: 2000, seed: 8 },
    );
  });
});

describe('TCP streams that never make sense', () => {
  it('accounts for all 41 frames of a stream whose 65535-byte length prefix never completes, and decodes nothing from it', async () => {
    const frames = [tcpFrame(1, Uint8Array.from([0xff, 0xff, ...new Array(998).fill(0x41)]))];
    for (let i = 1; i <= 40; i++) frames.push(tcpFrame(1 + i * 1000, new Uint8Array(1000).fill(0x42)));
    const out = await analyzeHostile(pcap(frames.slice(0, 41)));
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting.frames).toBe(41);
    expect(r.summary.dnsMessages).toBe(0);
    expect(r.anomalies).toEqual([
      { code: 'tcp-stream-incomplete', frame: 41, detail: 'TCP 10.0.0.7:40001 > 10.96.0.10:53: the connection ended 41000 bytes into a DNS message that started in frame 1' },
    ]);
  });

  it('decodes the message before a gap in the sequence numbers and finishes', async () => {
    const a = lengthPrefixed(query(1, 'first'));
    const b = lengthPrefixed(query(2, 'second'));
    const out = await analyzeHostile(pcap([tcpFrame(1, a), tcpFrame(1 + a.length + 5000, b)]));
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting.frames).toBe(2);
    expect(r.transactions.map((t) => t.name)).toEqual(['first.default.svc.cluster.local']);
    // The message after the gap waits for bytes that never come, and is reported at the end.
    expect(r.anomalies.map((a) => [a.code, a.frame])).toEqual([['tcp-stream-incomplete', 2]]);
  });

  it('decodes a message once or twice, never garbage, when its segment is resent overlapping the next', async () => {
    const a = lengthPrefixed(query(1, 'first'));
    const b = lengthPrefixed(query(2, 'second'));
    // Segment 2 starts 10 bytes inside segment 1 and carries different bytes there.
    const overlap = Uint8Array.from([...new Array(10).fill(0x5a), ...b]);
    const out = await analyzeHostile(pcap([tcpFrame(1, a), tcpFrame(1 + a.length - 10, overlap), tcpFrame(1, a)]));
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting.frames).toBe(3);
    for (const t of r.transactions) expect(['first.default.svc.cluster.local', 'second.default.svc.cluster.local']).toContain(t.name);
  });

  it('finishes a capture of 3000 connections that each open a 65535-byte message and never finish it', async () => {
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 3000; i++) {
      const seg = tcp(10000 + (i % 50000), 53, 1, Uint8Array.from([0xff, 0xff, 1, 2, 3]));
      frames.push(ethernet(ipv4({ src: `10.${(i >> 8) & 0xff}.${i & 0xff}.9`, dst: SERVER, protocol: 6 }, seg)));
    }
    const out = await analyzeHostile(pcap(frames));
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting.frames).toBe(3000);
    expect(r.summary.dnsMessages).toBe(0);
    expect(anomalyCounts(r)['tcp-stream-incomplete']).toBe(3000);
    expect(r.anomalies).toHaveLength(MAX_LISTED_ANOMALIES);
    // The report counts all of them, and says the list stops.
    expect(renderMarkdown(r, { top: 20 })).toContain('| Anomalies | 3000 (3000 tcp-stream-incomplete) |');
    expect(renderMarkdown(r, { top: 20 })).toContain('…and 2980 more anomalies');
    expect(r.warnings).toContain(`2000 more anomalies were counted but not listed: the report lists the first ${MAX_LISTED_ANOMALIES} (every one is counted by code)`);
  });
});

describe('IP fragments that never complete', () => {
  it('reports 5000 first fragments of 55 bytes (not a multiple of 8, RFC 791) as malformed and decodes the datagram after them', async () => {
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 5000; i++) {
      const payload = udp(40000, 53, query(i));
      frames.push(ethernet(ipv4({ src: CLIENT, dst: SERVER, protocol: 17, id: i, moreFragments: true, totalLength: 20 + payload.length }, payload)));
    }
    frames.push(dnsFrame(query(9999, 'after')));
    const out = await analyzeHostile(pcap(frames));
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting).toMatchObject({ frames: 5001, malformed: 5000, dns: 1 });
    expect(anomalyCounts(r)).toEqual({ 'ip-malformed': 5000 });
    expect(r.transactions.map((t) => t.name)).toEqual(['after.default.svc.cluster.local']);
  });

  it('accounts for 2000 overlapping fragments of one datagram', async () => {
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 2000; i++) {
      frames.push(ethernet(ipv4({ src: CLIENT, dst: SERVER, protocol: 17, id: 77, fragmentOffset: i % 7, moreFragments: true }, new Uint8Array(64).fill(i & 0xff))));
    }
    const out = await analyzeHostile(pcap(frames));
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting.frames).toBe(2000);
    expect(r.summary.dnsMessages).toBe(0);
  });
});
