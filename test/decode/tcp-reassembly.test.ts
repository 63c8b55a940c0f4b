import { describe, expect, it } from 'vitest';
import { decodeFrames, summarize } from './decode-helpers.js';
import { ACK, FIN, PSH, SYN, dnsQuery, frame, framed, ipv4, tcp } from './packet-builder.js';

// Hand-built: tcpdump and dig cannot be made to reorder, resend or cut TCP segments on demand.
const C = '10.0.0.1';
const S = '10.0.0.53';
const toServer = (seq: number, flags: number, data?: Uint8Array) => frame(ipv4(C, S, 6, tcp(40000, 53, seq, flags, data)));
const ISN = 0xfffffff0; // near the top, so the stream wraps past 2^32 (RFC 9293 §3.4 modular arithmetic)

describe('DNS over TCP stream reassembly', () => {
  const a = dnsQuery(0x1111, 'example.com', 1);
  const aaaa = dnsQuery(0x2222, 'example.com', 28);

  it('cuts glibc\'s A and AAAA sent back to back in one segment into 2 messages of one frame', () => {
    const r = decodeFrames([toServer(ISN, SYN), toServer(ISN + 1, ACK | PSH, framed(a, aaaa))]);
    expect(r.messages.map(summarize)).toEqual([
      '2 tcp 10.0.0.1:40000 > 10.0.0.53:53 4369 Q example.com A NOERROR an=0',
      '2 tcp 10.0.0.1:40000 > 10.0.0.53:53 8738 Q example.com AAAA NOERROR an=0',
    ]);
    expect(r.accounting).toMatchObject({ frames: 2, dns: 1, notDns: 1 });
  });

  it('joins a message split over 3 segments and dates it by the segment that completes it', () => {
    const bytes = framed(a);
    const r = decodeFrames([
      toServer(ISN, SYN),
      toServer(ISN + 1, ACK, bytes.subarray(0, 1)),
      toServer(ISN + 2, ACK, bytes.subarray(1, 10)),
      toServer(ISN + 11, ACK | PSH, bytes.subarray(10)),
    ]);
    expect(r.messages.map((m) => m.frame)).toEqual([4]);
    expect(r.accounting).toMatchObject({ frames: 4, dns: 1, notDns: 3 });
  });

  it('puts out-of-order segments back in sequence order', () => {
    const bytes = framed(a, aaaa);
    const r = decodeFrames([toServer(ISN, SYN), toServer(ISN + 21, ACK, bytes.subarray(20)), toServer(ISN + 1, ACK, bytes.subarray(0, 20))]);
    expect(r.messages.map((m) => m.id)).toEqual([0x1111, 0x2222]);
    expect(r.messages.every((m) => m.frame === 3)).toBe(true);
  });

  it('ignores a retransmitted segment and takes only the new bytes of an overlapping one', () => {
    const bytes = framed(a, aaaa);
    const r = decodeFrames([
      toServer(ISN, SYN),
      toServer(ISN + 1, ACK, bytes.subarray(0, 20)),
      toServer(ISN + 1, ACK, bytes.subarray(0, 20)), // plain resend
      toServer(ISN + 11, ACK, bytes.subarray(10)), // overlaps 10 bytes already taken
    ]);
    expect(r.messages.map((m) => m.id)).toEqual([0x1111, 0x2222]);
    expect(r.anomalies).toEqual([]);
    expect(r.accounting).toMatchObject({ frames: 4, dns: 1, notDns: 3 });
  });

  it('reports a connection that ends mid-message as tcp-stream-incomplete with the frame it started in', () => {
    const bytes = framed(a);
    const r = decodeFrames([toServer(ISN, SYN), toServer(ISN + 1, ACK, bytes.subarray(0, 12)), toServer(ISN + 13, ACK | FIN)]);
    expect(r.messages).toEqual([]);
    expect(r.anomalies).toEqual([
      { code: 'tcp-stream-incomplete', frame: 3, detail: 'TCP 10.0.0.1:40000 > 10.0.0.53:53: the connection ended 12 bytes into a DNS message that started in frame 2' },
    ]);
    expect(r.accounting).toMatchObject({ frames: 3, notDns: 3 });
  });

  it('reports a message still incomplete when the capture ends', () => {
    const r = decodeFrames([toServer(ISN, SYN), toServer(ISN + 1, ACK, framed(a).subarray(0, 5))]);
    expect(r.anomalies.map((x) => `${x.code} ${x.frame}`)).toEqual(['tcp-stream-incomplete 2']);
  });

  it('gives up on a lost segment once more than one largest message waits behind it, then resumes', () => {
    // 40000 bytes = 2 messages of 19998 bytes each, framed; sent twice after a hole.
    const filler = new Uint8Array(19_998);
    filler.set(dnsQuery(0x3333, 'example.com'));
    const after = framed(filler, filler);
    const r = decodeFrames([
      toServer(ISN, SYN),
      toServer(ISN + 1, ACK, framed(a).subarray(0, 4)),
      // bytes ISN+5 .. ISN+999 were never captured
      toServer(ISN + 1000, ACK, after),
      toServer(ISN + 41_000, ACK, after),
    ]);
    expect(r.anomalies).toEqual([
      { code: 'tcp-stream-gap', frame: 4, detail: '995 bytes of a TCP stream were never captured; 4 buffered bytes dropped' },
    ]);
    // Reading resumes at the first byte after the hole: all 4 messages behind it decode.
    expect(r.messages.map((m) => `${m.frame} ${m.id}`)).toEqual(['4 13107', '4 13107', '4 13107', '4 13107']);
    expect(r.accounting).toMatchObject({ frames: 4, dns: 1, notDns: 3 });
  });

  it('does not decode a message twice when its segment is resent after the FIN', () => {
    const bytes = framed(a);
    const r = decodeFrames([
      toServer(ISN, SYN),
      toServer(ISN + 1, ACK | PSH, bytes),
      toServer(ISN + 1 + bytes.length, ACK | FIN),
      toServer(ISN + 1, ACK | PSH, bytes),
    ]);
    expect(r.messages.map((m) => m.frame)).toEqual([2]);
    expect(r.anomalies).toEqual([]);
  });

  it('decodes a stream whose handshake was not captured from its first data segment', () => {
    const r = decodeFrames([toServer(12345, ACK | PSH, framed(a))]);
    expect(r.messages.map((m) => m.id)).toEqual([0x1111]);
  });
});
