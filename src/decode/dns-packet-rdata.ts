import { createRequire } from 'node:module';
import { typeName } from './dns-codes.js';

interface RecordCodecs {
  record(type: string): { decode: ((b: Buffer, offset: number) => unknown) & { bytes: number } };
}

/**
 * dns-packet, loaded the first time a record needs it: most captures never hold one of its
 * types, and loading it (with its own modules) costs tens of milliseconds at every start.
 */
let dnsPacket: RecordCodecs | null = null;
function codecs(): RecordCodecs {
  dnsPacket ??= createRequire(import.meta.url)('dns-packet') as RecordCodecs;
  return dnsPacket;
}

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
  const codec = codecs().record(name);
  try {
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
