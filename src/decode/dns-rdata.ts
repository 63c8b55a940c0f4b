import { characterStringText } from '../dns-text.js';
import { formatIpv4, formatIpv6 } from './addresses.js';
import { decodeRdataWithDnsPacket } from './dns-packet-rdata.js';
import { DnsFormatError, readName } from './dns-name.js';
import { svcbText } from './svcb-rdata.js';

/**
 * Record data in presentation form, one codec per type (the dns-packet habit). Types whose
 * data holds names are decoded here, so that names get dnstrace's one canonical form and
 * compression is checked; other types go to dns-packet; unknown types keep their bytes in
 * RFC 3597 form ("\# 4 0a000001").
 * `m` is the whole message (compressed names point into it), rdata spans [start, end).
 */
export function rdataText(type: number, m: Uint8Array, start: number, end: number): string {
  const len = end - start;
  switch (type) {
    case 1: // A
      if (len !== 4) throw new DnsFormatError(`A record with ${len} bytes of data`);
      return formatIpv4(m, start);
    case 28: // AAAA
      if (len !== 16) throw new DnsFormatError(`AAAA record with ${len} bytes of data`);
      return formatIpv6(m, start);
    case 2: // NS
    case 5: // CNAME
    case 12: // PTR
    case 39: // DNAME
      return nameFilling(m, start, end).name;
    case 15: { // MX: preference, exchange
      if (len < 3) throw new DnsFormatError(`MX record with ${len} bytes of data`);
      const pref = (m[start] << 8) | m[start + 1];
      return `${pref} ${nameFilling(m, start + 2, end).name}`;
    }
    case 33: { // SRV: priority, weight, port, target
      if (len < 7) throw new DnsFormatError(`SRV record with ${len} bytes of data`);
      const v = new DataView(m.buffer, m.byteOffset + start, 6);
      return `${v.getUint16(0)} ${v.getUint16(2)} ${v.getUint16(4)} ${nameFilling(m, start + 6, end).name}`;
    }
    case 6: { // SOA: mname rname serial refresh retry expire minimum
      const mname = readName(m, start);
      if (mname.end > end) throw new DnsFormatError('SOA mname runs past its record');
      const rname = readName(m, mname.end);
      if (rname.end + 20 !== end) throw new DnsFormatError('SOA record length disagrees with its fields');
      const v = new DataView(m.buffer, m.byteOffset + rname.end, 20);
      const nums = [0, 4, 8, 12, 16].map((o) => v.getUint32(o));
      return `${mname.name || '.'} ${rname.name || '.'} ${nums.join(' ')}`;
    }
    case 16: { // TXT: one or more character-strings
      const parts: string[] = [];
      let at = start;
      while (at < end) {
        const n = m[at];
        if (at + 1 + n > end) throw new DnsFormatError('TXT string runs past its record');
        parts.push(characterStringText(m, at + 1, at + 1 + n));
        at += 1 + n;
      }
      return parts.join(' ');
    }
    case 256: { // URI (RFC 7553 §4.5): priority, weight, target as the rest of the data
      if (len < 5) throw new DnsFormatError(`URI record with ${len} bytes of data`);
      return `${(m[start] << 8) | m[start + 1]} ${(m[start + 2] << 8) | m[start + 3]} ${characterStringText(m, start + 4, end)}`;
    }
    case 64: // SVCB
    case 65: // HTTPS: dns-packet only has their raw bytes
      return svcbText(m, start, end);
    case 41: // OPT: its meaning is carried in the message fields (ednsUdpSize, extended rcode)
      return '';
    default:
      return decodeRdataWithDnsPacket(type, m, start, end) ?? rawRdataText(m, start, end);
  }
}

/** A name that must fill the rest of the record data exactly. */
function nameFilling(m: Uint8Array, start: number, end: number) {
  const r = readName(m, start);
  if (r.end !== end) throw new DnsFormatError(`record data of ${end - start} bytes holds a name of ${r.end - start}`);
  return r;
}

/** RFC 3597 §5 generic form. */
export function rawRdataText(m: Uint8Array, start: number, end: number): string {
  let hex = '';
  for (let i = start; i < end; i++) hex += m[i].toString(16).padStart(2, '0');
  return end > start ? `\\# ${end - start} ${hex}` : '\\# 0';
}
