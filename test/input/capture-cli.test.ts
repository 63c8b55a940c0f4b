import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { ROOT } from '../helpers.js';
import { CAPTURES } from '../decode/decode-helpers.js';
import { dnsQuery, ipv4, udp } from '../decode/packet-builder.js';

function rawIpPcap(packets: Uint8Array[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(101, 20);
  return Buffer.concat([header, ...packets.flatMap((p, i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1_700_000_000 + i, 0);
    r.writeUInt32LE(p.length, 8);
    r.writeUInt32LE(p.length, 12);
    return [r, Buffer.from(p)];
  })]);
}

/** Runs the built CLI as a user would (npm test builds first). */
function dnstrace(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [`${ROOT}bin/dnstrace.js`, ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('captures on the command line', () => {
  it('analyses a pcapng capture and reports its ICMP unreachable in the JSON', () => {
    const r = dnstrace(['analyze', '-f', 'json', `${CAPTURES}lab-lo-dumpcap.pcapng`]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.input).toMatchObject({ format: 'pcapng', linkTypes: [1] });
    expect(report.summary.frameAccounting).toEqual({ frames: 28, dns: 15, notDns: 13, malformed: 0, truncated: 0, unsupportedLinkType: 0, ipFragmentsPending: 0 });
    expect(report.icmpUnreachable?.map((i) => `${i.client} ${i.server} ${i.dnsId}`)).toHaveLength(1);
  });

  it('--port adds DNS ports (repeatable) to 53: queries to 8053 and 5353 decode only when named', () => {
    // A raw-IP pcap built here: one query to port 53, one to 8053, one to 5353.
    const records = [53, 8053, 5353].map((port, i) => ipv4('10.0.0.1', '10.0.0.53', 17, udp(40000 + i, port, dnsQuery(i + 1, 'example.com'))));
    const json = (args: string[]) => JSON.parse(dnstrace(['analyze', '-f', 'json', ...args, '-'], rawIpPcap(records)).stdout) as Report;
    expect(json([]).summary.frameAccounting).toMatchObject({ frames: 3, dns: 1, notDns: 2 });
    expect(json(['--port', '8053']).summary.dnsMessages).toBe(2);
    expect(json(['--port', '8053', '--port', '5353']).summary.dnsMessages).toBe(3);
  });

  it('rejects a port outside 1..65535 with one line and exit code 2', () => {
    const r = dnstrace(['analyze', '--port', '70000', `${CAPTURES}lab-any-sll2.pcap`]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('warns on stderr, with the byte offset, about a pcapng cut off mid-block, and still reports', () => {
    const whole = readFileSync(`${CAPTURES}lab-any-sll2.pcapng`);
    const r = dnstrace(['analyze', '-f', 'json', '-'], whole.subarray(0, whole.length - 10));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^dnstrace: warning: capture is cut off: the last block \(byte offset \d+\) is incomplete; everything before it was analysed\n$/);
    expect((JSON.parse(r.stdout) as Report).summary.frames).toBe(27);
  });
});
