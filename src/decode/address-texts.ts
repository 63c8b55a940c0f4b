import { formatIpv4, formatIpv6 } from './addresses.js';
import { ByteStringCache, FNV_OFFSET, hashByte } from './byte-string-cache.js';

/** IPv4 addresses kept at once; more distinct ones start the map over (memory stays flat). */
const MAX_IPV4 = 65_536;

/**
 * Address text, built once per address instead of twice per packet: a capture holds a few
 * hundred hosts and millions of packets. The same address always gets the same string object,
 * so maps keyed by it (endpoints, flows) hash it once.
 */
export class AddressTexts {
  private readonly v4 = new Map<number, string>();
  private readonly v6 = new ByteStringCache(4096);

  ipv4(b: Uint8Array, at: number): string {
    const key = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
    let text = this.v4.get(key);
    if (text === undefined) {
      if (this.v4.size >= MAX_IPV4) this.v4.clear();
      text = formatIpv4(b, at);
      this.v4.set(key, text);
    }
    return text;
  }

  ipv6(b: Uint8Array, at: number): string {
    const cache = this.v6;
    const key = cache.key;
    let h = FNV_OFFSET;
    for (let i = 0; i < 16; i++) {
      const c = b[at + i];
      key[i] = c;
      h = hashByte(h, c);
    }
    let text = cache.get(h, 16);
    if (text === undefined) {
      text = formatIpv6(b, at);
      cache.set(h, 16, text);
    }
    return text;
  }
}
