import { describe, expect, it } from 'vitest';
import { hostOf } from '../src/host-of-endpoint.js';
import { seededRandom } from '../scripts/fuzz/mutate.mjs';

/** What hostOf must give: the address of "addr:port", the inside of "[addr]:port". */
function sliced(endpoint: string): string {
  if (endpoint.startsWith('[')) return endpoint.slice(1, endpoint.indexOf(']'));
  const colon = endpoint.lastIndexOf(':');
  return colon < 0 ? endpoint : endpoint.slice(0, colon);
}

describe('hostOf', () => {
  it('gives the host of each endpoint, whatever came just before', () => {
    const endpoints = [
      '10.0.0.1:53', '10.0.0.1:41000', '10.0.0.12:53', '10.0.0.1:5353', '10.0.0.1', '10.0.0.1:',
      '[fd00::1]:53', '[fd00::1]:41000', '[fd00::1]', 'fd00::1:53', '[fd00::1]]:53', '[a]b]:53', 'a]b:53',
      'pod-a.ns.svc:41000', 'pod-a.ns.svc:41001', 'pod-a.ns:41000', ':53', '[]:53', 'x:1:2', 'x:1',
    ];
    const random = seededRandom(7);
    for (let i = 0; i < 5000; i++) {
      const e = endpoints[Math.floor(random() * endpoints.length)];
      // A fresh string object each time, as a decoder makes for a new socket.
      const endpoint = `${e} `.slice(0, e.length);
      const host = hostOf(endpoint);
      expect(host, endpoint).toBe(sliced(endpoint));
    }
  });
});
