import dnsPacket from 'dns-packet';
import { typeName } from './dns-codes.js';

/**
 * dns-packet behind a wall: it decodes the record types dnstrace does not decode itself
 * (CAA, SSHFP, DS, DNSKEY, RRSIG, NAPTR, TLSA, HINFO, ...). Its exceptions never get out, and a
 * decode that does not consume exactly the record's data (dns-packet ignores RDLENGTH for
 * known types and can read past it) is rejected: the caller then keeps the raw bytes.
 */
export function decodeRdataWithDnsPacket(type: number, m: Uint8Array, start: number, end: number): string | null {
  const name = typeName(type);
  if (name.startsWith('TYPE') || !SUPPORTED.has(name)) return null;
  const buf = Buffer.from(m.buffer, m.byteOffset, m.byteLength);
  try {
    const codec = (dnsPacket as unknown as { record(t: string): { decode: ((b: Buffer, o: number) => unknown) & { bytes: number } } }).record(name);
    // dns-packet's record codecs start at the RDLENGTH field, two bytes before the data.
    const value = codec.decode(buf, start - 2);
    if (codec.decode.bytes !== end - start + 2) return null;
    return presentation(value);
  } catch {
    return null;
  }
}

/** Types for which dns-packet has a real codec (not its "unknown" fallback). */
const SUPPORTED = new Set(['CAA', 'SSHFP', 'DS', 'DNSKEY', 'RRSIG', 'NAPTR', 'TLSA', 'HINFO', 'RP', 'NSEC', 'NSEC3']);

function presentation(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return Object.entries(value as Record<string, unknown>)
    .map(([, v]) => (Buffer.isBuffer(v) ? v.toString('hex') : Array.isArray(v) ? v.join(',') : String(v)))
    .join(' ')
    .replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
