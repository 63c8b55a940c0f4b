import { describe, expect, it } from 'vitest';
import { DnsFormatError } from '../../src/decode/dns-name.js';
import { rdataText } from '../../src/decode/dns-rdata.js';
import { CORPUS, skipWithoutCorpus } from '../helpers.js';
import { decodeFile } from './decode-helpers.js';

describe('extended rcodes from OPT on real captures (RFC 6891 §6.1.3)', () => {
  if (skipWithoutCorpus('extended rcode captures')) return;
  it('merges the OPT TTL bits into BADVERS (16) in dns-badvers.pcap', async () => {
    const r = await decodeFile(`${CORPUS}tcpdump/dns-badvers.pcap`);
    expect(r.messages.map((m) => `${m.frame} ${m.isResponse ? 'R' : 'Q'} ${m.rcode}`)).toEqual(['1 Q NOERROR', '2 R BADVERS', '3 Q NOERROR', '4 R NOERROR']);
  });
  it('merges the OPT TTL bits into BADCOOKIE (23) in dns-badcookie.pcap', async () => {
    const r = await decodeFile(`${CORPUS}tcpdump/dns-badcookie.pcap`);
    expect(r.messages.filter((m) => m.isResponse).map((m) => m.rcode)).toEqual(['BADCOOKIE', 'NOERROR']);
  });
  it('decodes the URI record (type 256) of dns-uri.pcap as tcpdump shows it', async () => {
    const r = await decodeFile(`${CORPUS}tcpdump/dns-uri.pcap`);
    const uri = r.messages.flatMap((m) => m.answers).filter((a) => a.type === 'URI');
    // tcpdump: "URI 10 5 http://www.dns.test:8000"
    expect(uri.map((a) => a.data)).toEqual(['10 5 "http://www.dns.test:8000"']);
  });
});

// Hand-built record data: malformed SVCB parameters and unknown types do not occur in any
// capture at hand.
describe('record data built by hand', () => {
  const rd = (type: number, bytes: number[]) => rdataText(type, Uint8Array.from(bytes), 0, bytes.length);

  it('keeps an unknown type\'s bytes in RFC 3597 form', () => {
    expect(rd(65534, [0x0a, 0, 0, 1])).toBe('\\# 4 0a000001');
  });

  it('writes SVCB mandatory, no-default-alpn, ech, dohpath and unknown keys', () => {
    const bytes = [
      0, 2, 3, 0x73, 0x76, 0x63, 0, // priority 2, target "svc"
      0, 0, 0, 2, 0, 1, // mandatory=alpn
      0, 1, 0, 3, 2, 0x68, 0x32, // alpn="h2"
      0, 2, 0, 0, // no-default-alpn
      0, 5, 0, 3, 1, 2, 3, // ech=AQID
      0, 7, 0, 4, 0x2f, 0x71, 0x7b, 0x7d, // dohpath="/q{}"
      0xff, 0xfe, 0, 1, 0x41, // key65534="A"
    ];
    expect(rd(64, bytes)).toBe('2 svc mandatory=alpn alpn="h2" no-default-alpn ech=AQID dohpath="/q{}" key65534="A"');
  });

  it('rejects SVCB parameters out of key order or longer than the record (RFC 9460 §2.2)', () => {
    expect(() => rd(65, [0, 1, 0, 0, 3, 0, 2, 0, 80, 0, 1, 0, 1, 0])).toThrow(DnsFormatError);
    expect(() => rd(65, [0, 1, 0, 0, 3, 0, 9, 0, 80])).toThrow(DnsFormatError);
  });
});
