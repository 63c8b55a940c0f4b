/**
 * Writes a DNS message in wire format (RFC 1035 §4.1) with name compression (§4.1.4), the way
 * BIND and CoreDNS compress: every name after the question points back at the longest suffix
 * already written.
 */

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, AAAA: 28 } as const;
export const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;
const CLASS_IN = 1;

export type RecordData =
  | { type: 'A'; address: string }
  | { type: 'AAAA'; address: string }
  | { type: 'CNAME'; target: string }
  | { type: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number };

export interface WireRecord {
  /** Owner name without the trailing dot; "" is the root. */
  name: string;
  ttl: number;
  data: RecordData;
}

export interface WireMessage {
  id: number;
  isResponse: boolean;
  aa: boolean;
  rd: boolean;
  ra: boolean;
  rcode: number;
  question: { name: string; type: number };
  answers: readonly WireRecord[];
  authorities: readonly WireRecord[];
}

/** Writes `m` at `buf[offset]`; returns its length. The caller guarantees 512 bytes of room. */
export function writeDnsMessage(buf: Buffer, offset: number, m: WireMessage): number {
  const names = new Map<string, number>();
  buf.writeUInt16BE(m.id, offset);
  let flags = 0;
  if (m.isResponse) flags |= 0x8000;
  if (m.aa) flags |= 0x0400;
  if (m.rd) flags |= 0x0100;
  if (m.ra) flags |= 0x0080;
  flags |= m.rcode & 0x0f;
  buf.writeUInt16BE(flags, offset + 2);
  buf.writeUInt16BE(1, offset + 4);
  buf.writeUInt16BE(m.answers.length, offset + 6);
  buf.writeUInt16BE(m.authorities.length, offset + 8);
  buf.writeUInt16BE(0, offset + 10);
  let pos = offset + 12;
  pos = writeName(buf, pos, offset, m.question.name, names);
  buf.writeUInt16BE(m.question.type, pos);
  buf.writeUInt16BE(CLASS_IN, pos + 2);
  pos += 4;
  for (const r of m.answers) pos = writeRecord(buf, pos, offset, r, names);
  for (const r of m.authorities) pos = writeRecord(buf, pos, offset, r, names);
  return pos - offset;
}

function writeRecord(buf: Buffer, pos: number, msgStart: number, r: WireRecord, names: Map<string, number>): number {
  pos = writeName(buf, pos, msgStart, r.name, names);
  buf.writeUInt16BE(TYPE[r.data.type], pos);
  buf.writeUInt16BE(CLASS_IN, pos + 2);
  buf.writeUInt32BE(r.ttl, pos + 4);
  const rdlengthAt = pos + 8;
  pos += 10;
  const rdStart = pos;
  const d = r.data;
  switch (d.type) {
    case 'A':
      for (const octet of d.address.split('.')) buf[pos++] = Number(octet);
      break;
    case 'AAAA':
      pos = writeIpv6(buf, pos, d.address);
      break;
    case 'CNAME':
      pos = writeName(buf, pos, msgStart, d.target, names);
      break;
    case 'SOA':
      pos = writeName(buf, pos, msgStart, d.mname, names);
      pos = writeName(buf, pos, msgStart, d.rname, names);
      for (const n of [d.serial, d.refresh, d.retry, d.expire, d.minimum]) {
        buf.writeUInt32BE(n, pos);
        pos += 4;
      }
      break;
  }
  buf.writeUInt16BE(pos - rdStart, rdlengthAt);
  return pos;
}

/** Labels, ending in a pointer to the longest suffix written before (RFC 1035 §4.1.4). */
function writeName(buf: Buffer, pos: number, msgStart: number, name: string, names: Map<string, number>): number {
  let rest = name;
  while (rest !== '') {
    const earlier = names.get(rest);
    if (earlier !== undefined) {
      buf.writeUInt16BE(0xc000 | earlier, pos);
      return pos + 2;
    }
    const rel = pos - msgStart;
    if (rel < 0x4000) names.set(rest, rel);
    const dot = rest.indexOf('.');
    const label = dot < 0 ? rest : rest.slice(0, dot);
    buf[pos++] = label.length;
    pos += buf.write(label, pos, 'latin1');
    rest = dot < 0 ? '' : rest.slice(dot + 1);
  }
  buf[pos++] = 0;
  return pos;
}

function writeIpv6(buf: Buffer, pos: number, address: string): number {
  const [head, tail = ''] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  for (const g of groups) {
    buf.writeUInt16BE(parseInt(g, 16), pos);
    pos += 2;
  }
  return pos;
}
