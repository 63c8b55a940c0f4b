import { describe, expect, it } from 'vitest';
import { hostOf } from '../../src/analyze/endpoints.js';
import { AddressTexts } from '../../src/decode/address-texts.js';
import { EndpointCache } from '../../src/decode/endpoint-cache.js';

describe('hostOf on endpoints the decoder made', () => {
  it('gives the host of each new endpoint, of a cached one and of one asked about again later', () => {
    const cache = new EndpointCache(new AddressTexts());
    const v4 = new Uint8Array([10, 244, 2, 20]);
    const v6 = new Uint8Array([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const made: [string, string][] = [];
    for (let port = 40000; port < 40100; port++) {
      const a = cache.ipv4(v4, 0, port);
      expect(hostOf(a)).toBe('10.244.2.20');
      const b = cache.ipv6(v6, 0, port);
      expect(hostOf(b)).toBe('fd00::1');
      const c = cache.get(`10.0.${port % 7}.1`, port);
      expect(hostOf(c)).toBe(`10.0.${port % 7}.1`);
      made.push([a, '10.244.2.20'], [b, 'fd00::1'], [c, `10.0.${port % 7}.1`]);
    }
    expect(hostOf(cache.ipv4(v4, 0, 40000))).toBe('10.244.2.20');
    for (const [endpoint, host] of made) expect(hostOf(endpoint), endpoint).toBe(host);
  });
});
