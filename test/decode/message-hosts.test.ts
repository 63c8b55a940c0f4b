import { describe, expect, it } from 'vitest';
import { AddressTexts } from '../../src/decode/address-texts.js';
import { EndpointCache } from '../../src/decode/endpoint-cache.js';
import { hostOf } from '../../src/host-of-endpoint.js';
import type { DnsMessage } from '../../src/model.js';
import { analyzeBytes } from '../helpers.js';
import { noteMissingCorpus, realCaptures, realTexts } from '../robustness/real-inputs.js';
import { decodeChunks } from './decode-helpers.js';
import { readTcpdumpText } from '../../src/input/text/read-tcpdump-text.js';

function expectHostsOfEndpoints(messages: readonly DnsMessage[], what: string): void {
  for (const m of messages) {
    expect(m.srcHost, `${what} ${m.frame} ${m.src}`).toBe(hostOf(m.src));
    expect(m.dstHost, `${what} ${m.frame} ${m.dst}`).toBe(hostOf(m.dst));
  }
}

async function* chunksOf(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

noteMissingCorpus();

describe('the hosts of a message', () => {
  it('are the hosts of its endpoints, on every fixture and corpus capture (IPv4, IPv6, TCP, fragments, link layers)', async () => {
    let messages = 0;
    for (const c of realCaptures()) {
      const got = await decodeChunks(chunksOf(c.bytes));
      expectHostsOfEndpoints(got.messages, c.name);
      messages += got.messages.length;
    }
    // Not vacuous: the fixtures alone hold 422 messages, the corpus (where present) more.
    expect(messages).toBeGreaterThan(400);
  });

  it('are the hosts of its endpoints, names included, on every fixture and corpus tcpdump text', async () => {
    let messages = 0;
    for (const t of realTexts()) {
      const got: DnsMessage[] = [];
      await readTcpdumpText(chunksOf(t.bytes), (m) => got.push(m), { anomaly: () => {}, warn: () => {} }, [53]);
      expectHostsOfEndpoints(got, t.name);
      messages += got.length;
    }
    // Not vacuous, with or without the corpus.
    expect(messages).toBeGreaterThan(400);
  });

  it('are what the endpoint cache leaves in `host`, for a new endpoint and a cached one', () => {
    const cache = new EndpointCache(new AddressTexts());
    const v4 = new Uint8Array([10, 244, 2, 20]);
    const v6 = new Uint8Array([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    for (let round = 0; round < 2; round++) {
      for (let port = 40000; port < 40100; port++) {
        expect(cache.ipv4(v4, 0, port)).toBe(`10.244.2.20:${port}`);
        expect(cache.host).toBe('10.244.2.20');
        expect(cache.ipv6(v6, 0, port)).toBe(`[fd00::1]:${port}`);
        expect(cache.host).toBe('fd00::1');
        expect(cache.get(`10.0.${port % 7}.1`, port)).toBe(`10.0.${port % 7}.1:${port}`);
        expect(cache.host).toBe(`10.0.${port % 7}.1`);
      }
    }
  });

  it('reach the transactions, whose clients and servers the report counts by host', async () => {
    const c = realCaptures().find((x) => x.name.endsWith('ipv6-transport.pcap'));
    const report = await analyzeBytes((c as { bytes: Uint8Array }).bytes);
    expect(report.transactions.length).toBeGreaterThan(0);
    for (const t of report.transactions) {
      expect(t.clientHost).toBe(hostOf(t.client));
      expect(t.serverHost).toBe(hostOf(t.server));
    }
  });
});
