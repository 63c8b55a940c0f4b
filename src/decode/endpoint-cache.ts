import type { AddressTexts } from './address-texts.js';
import { ByteStringCache, FNV_OFFSET, hashByte } from './byte-string-cache.js';
import { formatEndpoint } from './addresses.js';

/** Endpoints kept at once (a power of two); a miss overwrites its slot, so memory stays flat. */
const SLOTS = 8192;

/**
 * "addr:port" strings, built once per endpoint instead of once per packet: a client's socket
 * sends its A and AAAA queries and gets both answers on one port, and the server's side is one
 * string for the whole capture. Looked up by the address bytes and port, so a hit formats nothing.
 * Each call also leaves the endpoint's host in `host` (the address text, one string object per
 * address), which the caller reads before its next call.
 */
export class EndpointCache {
  /** The host of the endpoint the last call gave. */
  host = '';
  private readonly v4Address = new Int32Array(SLOTS);
  /** -1: empty slot. */
  private readonly v4Port = new Int32Array(SLOTS).fill(-1);
  private readonly v4Text: string[] = new Array<string>(SLOTS).fill('');
  private readonly v4Host: string[] = new Array<string>(SLOTS).fill('');
  private readonly v6 = new ByteStringCache(SLOTS);
  /** Endpoints by address then port; the address's own entry is its first string object, the host. */
  private readonly byText = new Map<string, { host: string; ports: Map<number, string> }>();

  constructor(private readonly addresses: AddressTexts) {}

  /** The endpoint of the IPv4 address at b[at, at + 4) and `port`. */
  ipv4(b: Uint8Array, at: number, port: number): string {
    const address = (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
    const slot = (Math.imul(address ^ (port << 16) ^ port, 0x9e3779b1) >>> 19) & (SLOTS - 1);
    if (this.v4Port[slot] === port && this.v4Address[slot] === address) {
      this.host = this.v4Host[slot];
      return this.v4Text[slot];
    }
    // Concatenation, not formatEndpoint's template: a new client socket per lookup makes this
    // run for one message in four.
    const host = this.addresses.ipv4(b, at);
    const text = `${host}:${portText(port)}`;
    this.host = host;
    this.v4Address[slot] = address;
    this.v4Port[slot] = port;
    this.v4Text[slot] = text;
    this.v4Host[slot] = host;
    return text;
  }

  /** The endpoint of the IPv6 address at b[at, at + 16) and `port`. */
  ipv6(b: Uint8Array, at: number, port: number): string {
    const cache = this.v6;
    const key = cache.key;
    let h = FNV_OFFSET;
    for (let i = 0; i < 16; i++) {
      const c = b[at + i];
      key[i] = c;
      h = hashByte(h, c);
    }
    key[16] = port >> 8;
    key[17] = port & 0xff;
    h = hashByte(hashByte(h, key[16]), key[17]);
    let text = cache.get(h, 18);
    // IPv6 is the rare case: the host is looked up again rather than kept beside the endpoint.
    const host = this.addresses.ipv6(b, at);
    if (text === undefined) {
      text = `[${host}]:${portText(port)}`;
      cache.set(h, 18, text);
    }
    this.host = host;
    return text;
  }

  /** The endpoint of an address already in text form (fragments, the general path). */
  get(address: string, port: number): string {
    let known = this.byText.get(address);
    if (known === undefined) {
      if (this.byText.size >= SLOTS) this.byText.clear();
      known = { host: address, ports: new Map() };
      this.byText.set(address, known);
    }
    let text = known.ports.get(port);
    if (text === undefined) {
      text = formatEndpoint(address, port);
      known.ports.set(port, text);
    }
    this.host = known.host;
    return text;
  }
}

/** Port numbers as text, made once each: number-to-string conversion is the slow part of an endpoint. */
const PORT_TEXTS: string[] = new Array<string>(65536).fill('');
function portText(port: number): string {
  let text = PORT_TEXTS[port];
  if (text === '') {
    text = String(port);
    PORT_TEXTS[port] = text;
  }
  return text;
}
