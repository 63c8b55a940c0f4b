import { describe, expect, it } from 'vitest';
import { askedAgainAfter, endsSearchList, mayBeMuslChain, takenAnswer } from '../../src/analyze/rcode-rules.js';

describe('what resolvers do after an rcode', () => {
  const rcodes = [null, 'NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', 'FORMERR', 'NOTIMP'];

  it('asks again after SERVFAIL and REFUSED only, and takes every other answer', () => {
    expect(rcodes.filter(askedAgainAfter)).toEqual(['SERVFAIL', 'REFUSED']);
    expect(rcodes.filter(takenAnswer)).toEqual(['NOERROR', 'NXDOMAIN', 'FORMERR', 'NOTIMP']);
  });

  it("ends glibc's search list at anything but NXDOMAIN, NODATA and SERVFAIL (refused.pcap)", () => {
    expect(rcodes.filter(endsSearchList)).toEqual(['REFUSED', 'FORMERR', 'NOTIMP']);
  });

  it("reads a REFUSED, or a SERVFAIL asked three times, as possibly musl's chain", () => {
    expect([mayBeMuslChain('REFUSED', 1), mayBeMuslChain('SERVFAIL', 2), mayBeMuslChain('SERVFAIL', 3), mayBeMuslChain('NXDOMAIN', 3)]).toEqual([true, false, true, false]);
  });
});
