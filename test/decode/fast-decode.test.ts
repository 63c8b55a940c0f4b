import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDnsWire } from '../../src/decode/dns-wire.js';
import { FastDnsDecoder } from '../../src/decode/fast-dns-decoder.js';
import { parseIp } from '../../src/decode/ip-layer.js';
import { findNetworkStart } from '../../src/decode/link-layer.js';
import { readPcap } from '../../src/input/pcap-reader.js';
import { CORPUS, FIXTURES, HAVE_CORPUS } from '../helpers.js';
import { CAPTURES, decodeFile } from './decode-helpers.js';
import { seededRandom } from '../../scripts/fuzz/mutate.mjs';

// Issue 7: the capture path decodes with FastDnsDecoder and skips the general link and IP
// parsers for whole datagrams. The reference (decodeDnsWire and the general parsers) must agree
// with it on everything: every message, field and record, every anomaly word for word, the
// frame accounting and the ICMP errors.

const captures = (dir: string) =>
  readdirSync(dir).filter((f) => /\.(pcap|pcapng|gz)$/.test(f)).sort().map((f) => `${dir}${f}`);

async function expectSameAsReference(path: string, ports: number[] = [53]) {
  const fast = await decodeFile(path, ports);
  const reference = await decodeFile(path, ports, { reference: true });
  expect(fast.messages, path).toStrictEqual(reference.messages);
  // toStrictEqual does not see the order of keys; a consumer that prints a message does.
  expect(fast.messages.map((m) => Object.keys(m).join()), path).toStrictEqual(reference.messages.map((m) => Object.keys(m).join()));
  expect(fast.anomalies, path).toStrictEqual(reference.anomalies);
  expect(fast.accounting, path).toStrictEqual(reference.accounting);
  expect(fast.icmp, path).toStrictEqual(reference.icmp);
  expect(fast.warnings, path).toStrictEqual(reference.warnings);
  return fast;
}

describe('the fast decode path against the reference decoder', () => {
  it('yields exactly the reference result on all 57 lab fixtures (1183 DNS messages)', async () => {
    const files = captures(FIXTURES);
    expect(files).toHaveLength(57);
    let messages = 0;
    for (const f of files) messages += (await expectSameAsReference(f)).messages.length;
    expect(messages).toBe(1183);
  });

  it('yields exactly the reference result on the 6 decode captures, with --port 5353 too', async () => {
    for (const f of captures(CAPTURES)) {
      await expectSameAsReference(f);
      await expectSameAsReference(f, [53, 5353]);
    }
  });

  it('yields exactly the reference result on every corpus capture', async () => {
    if (!HAVE_CORPUS) {
      console.log('shared corpus not found: corpus differential test skipped');
      return;
    }
    const files = captures(`${CORPUS}tcpdump/`);
    expect(files).toHaveLength(41);
    let messages = 0;
    for (const f of files) messages += (await expectSameAsReference(f)).messages.length;
    expect(messages).toBe(98);
  });
});

/** UDP DNS payloads of a classic pcap, through the general parsers. */
async function dnsPayloads(path: string): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const diag = { anomaly: () => {}, warn: () => {} };
  await readPcap((async function* () { yield readFileSync(path); })(), (f) => {
    const start = findNetworkStart(f.linkType, f.data);
    if (start.kind !== 'ip') return;
    const ip = parseIp(f.data, start.offset);
    if (ip.kind !== 'packet' || ip.packet.protocol !== 17 || ip.packet.payload.length <= 8) return;
    out.push(ip.packet.payload.slice(8));
  }, diag);
  return out;
}


type Outcome = { ok: true; value: unknown } | { ok: false; error: string };
function outcome(f: () => unknown): Outcome {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

describe('the fast DNS decoder on mutated messages', () => {
  it('accepts and rejects exactly what the reference does, with the same error, on 20,000 seeded mutations', async () => {
    const sources = [...(await dnsPayloads(`${CAPTURES}lab-any-sll2.pcap`)), ...(await dnsPayloads(`${FIXTURES}externalname-vs-search.pcap`))];
    expect(sources.length).toBeGreaterThan(20);
    const random = seededRandom(0x7a57);
    // One decoder for the whole run, so its caches hold names and data from earlier messages
    // (a stale cache entry must never leak into a later result).
    const fast = new FastDnsDecoder();
    let rejected = 0;
    for (let round = 0; round < 20_000; round++) {
      const base = sources[Math.floor(random() * sources.length)];
      let m = Uint8Array.from(base);
      const flips = Math.floor(random() * 4);
      for (let i = 0; i < flips; i++) {
        const at = Math.floor(random() * m.length);
        // Half the flips touch one bit: label lengths, pointer tags, counts and RDLENGTHs
        // become almost-right values, the ones a decoder gets wrong.
        m[at] = random() < 0.5 ? m[at] ^ (1 << Math.floor(random() * 8)) : Math.floor(random() * 256);
      }
      if (random() < 0.3) m = m.subarray(0, Math.floor(random() * m.length));
      const want = outcome(() => ({ frame: 7, timeUs: 1, src: 'a', dst: 'b', srcHost: 'a', dstHost: 'b', transport: 'udp', ...decodeDnsWire(m), sectionsComplete: true, size: m.length }));
      // At an offset inside a larger buffer, as the capture path hands it over.
      const framed = new Uint8Array(m.length + 50);
      framed.set(m, 42);
      const got = outcome(() => fast.decode(framed, 42, 42 + m.length, 7, 1, 'a', 'b', 'a', 'b', 'udp'));
      expect(got, `round ${round}`).toStrictEqual(want);
      // Again: now from the body cache, if it kept the body.
      expect(outcome(() => fast.decode(framed, 42, 42 + m.length, 7, 1, 'a', 'b', 'a', 'b', 'udp')), `round ${round} again`).toStrictEqual(want);
      if (!want.ok) rejected++;
    }
    // Enough of both kinds to mean something.
    expect(rejected).toBeGreaterThan(2_000);
    expect(rejected).toBeLessThan(18_000);
  });
});
