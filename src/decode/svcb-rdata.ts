import { characterStringText } from '../dns-text.js';
import { formatIpv4, formatIpv6 } from './addresses.js';
import { DnsFormatError, readName } from './dns-name.js';

/** SvcParamKeys (RFC 9460 §14.3.2; dohpath RFC 9461, ohttp RFC 9540). */
const KEY_NAMES = ['mandatory', 'alpn', 'no-default-alpn', 'port', 'ipv4hint', 'ech', 'ipv6hint', 'dohpath', 'ohttp'];

/**
 * SVCB (64) and HTTPS (65) record data in presentation form (RFC 9460 §2.1), as dig prints it:
 * `1 . alpn="h3,h2" ipv4hint=104.16.132.229 ech=AEX+...`. Priority 0 is AliasMode: target only.
 * Every parameter's length is checked against the record; keys must ascend (§2.2), so a record
 * that breaks that is malformed rather than silently reordered.
 */
export function svcbText(m: Uint8Array, start: number, end: number): string {
  if (end - start < 3) throw new DnsFormatError(`SVCB record with ${end - start} bytes of data`);
  const priority = (m[start] << 8) | m[start + 1];
  const target = readName(m, start + 2);
  if (target.end > end) throw new DnsFormatError('SVCB target runs past its record');
  const parts = [String(priority), target.name === '' ? '.' : target.name];
  let at = target.end;
  let lastKey = -1;
  while (at < end) {
    if (at + 4 > end) throw new DnsFormatError('SVCB parameter header runs past its record');
    const key = (m[at] << 8) | m[at + 1];
    const len = (m[at + 2] << 8) | m[at + 3];
    const v = at + 4;
    if (v + len > end) throw new DnsFormatError(`SVCB parameter ${key} runs past its record`);
    if (key <= lastKey) throw new DnsFormatError(`SVCB parameter keys out of order at ${key}`);
    lastKey = key;
    parts.push(paramText(key, m, v, v + len));
    at = v + len;
  }
  return parts.join(' ');
}

function keyName(key: number): string {
  return KEY_NAMES[key] ?? `key${key}`;
}

function paramText(key: number, m: Uint8Array, s: number, e: number): string {
  const name = keyName(key);
  const len = e - s;
  switch (key) {
    case 0: { // mandatory: a list of keys
      if (len === 0 || len % 2 !== 0) throw new DnsFormatError(`SVCB mandatory of ${len} bytes`);
      const keys: string[] = [];
      for (let i = s; i < e; i += 2) keys.push(keyName((m[i] << 8) | m[i + 1]));
      return `${name}=${keys.join(',')}`;
    }
    case 1: { // alpn: length-prefixed protocol ids
      const ids: string[] = [];
      for (let i = s; i < e; ) {
        const n = m[i];
        if (n === 0 || i + 1 + n > e) throw new DnsFormatError('SVCB alpn id runs past its parameter');
        ids.push(bareText(m, i + 1, i + 1 + n).replace(/,/g, '\\,'));
        i += 1 + n;
      }
      return `${name}="${ids.join(',')}"`;
    }
    case 2: // no-default-alpn
    case 8: // ohttp
      if (len !== 0) throw new DnsFormatError(`SVCB ${name} with ${len} bytes of value`);
      return name;
    case 3:
      if (len !== 2) throw new DnsFormatError(`SVCB port of ${len} bytes`);
      return `${name}=${(m[s] << 8) | m[s + 1]}`;
    case 4:
    case 6: {
      const size = key === 4 ? 4 : 16;
      if (len === 0 || len % size !== 0) throw new DnsFormatError(`SVCB ${name} of ${len} bytes`);
      const addrs: string[] = [];
      for (let i = s; i < e; i += size) addrs.push(size === 4 ? formatIpv4(m, i) : formatIpv6(m, i));
      return `${name}=${addrs.join(',')}`;
    }
    case 5: // ech: an ECHConfigList, shown in base64 as in zone files
      return `${name}=${Buffer.from(m.buffer, m.byteOffset + s, len).toString('base64')}`;
    default: // dohpath and unknown keys: a character-string
      return len === 0 ? name : `${name}=${characterStringText(m, s, e)}`;
  }
}

/** A character-string's text without its surrounding quotes. */
function bareText(m: Uint8Array, s: number, e: number): string {
  return characterStringText(m, s, e).slice(1, -1);
}
