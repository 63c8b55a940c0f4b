import { describe, expect, it } from 'vitest';
import { sniffInput } from '../../src/input/open-input.js';
import { SNIFF_BYTES, settledFormat, sniffFormat } from '../../src/input/sniff.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const PCAP_LE = [0xd4, 0xc3, 0xb2, 0xa1];
const PCAPNG = [0x0a, 0x0d, 0x0d, 0x0a];
const textLine = new TextEncoder().encode('10:00:00.000000 IP 10.0.0.5.40000 > 10.96.0.10.53: 4660+ A? example.com. (29)\n');

/** Yields `first`, then never ends: a slow pipe whose writer has more to say, later. */
async function* thenSilence(...first: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of first) yield c;
  await new Promise<never>(() => {});
}

describe('settledFormat', () => {
  it('settles a capture on its magic number, whatever follows', () => {
    expect(settledFormat(bytes(...PCAP_LE))).toBe('pcap');
    expect(settledFormat(bytes(0xa1, 0xb2, 0x3c, 0x4d, 0, 0))).toBe('pcap');
    expect(settledFormat(bytes(...PCAPNG, 0x1c, 0, 0, 0))).toBe('pcapng');
    expect(settledFormat(bytes(0x1f, 0x8b))).toBe('gzip');
  });

  it('waits while a magic number may still be arriving', () => {
    expect(settledFormat(bytes())).toBeNull();
    expect(settledFormat(bytes(0x1f))).toBeNull();
    expect(settledFormat(bytes(0xd4, 0xc3, 0xb2))).toBeNull();
  });

  it('refuses binary at its first NUL byte, which no magic number and no text holds', () => {
    expect(settledFormat(bytes(0x00))).toBe('unknown');
    expect(settledFormat(bytes(0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00))).toBe('unknown');
  });

  it('takes SNIFF_BYTES to call something text', () => {
    expect(settledFormat(textLine)).toBeNull();
    const long = new Uint8Array(SNIFF_BYTES);
    for (let i = 0; i < long.length; i += textLine.length) long.set(textLine.subarray(0, Math.min(textLine.length, long.length - i)), i);
    expect(settledFormat(long)).toBe('text');
    expect(settledFormat(long)).toBe(sniffFormat(long));
  });
});

describe('sniffInput on a stream that has not ended', () => {
  it('refuses a binary stream at its first bytes, not at the end of the input', async () => {
    await expect(sniffInput(thenSilence(bytes(0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00)))).rejects.toThrow(
      'the input is neither a pcap/pcapng capture nor tcpdump text',
    );
  });

  it('starts reading a capture after its first four bytes, and hands them on whole', async () => {
    const input = await sniffInput(thenSilence(bytes(PCAP_LE[0], PCAP_LE[1]), bytes(PCAP_LE[2], PCAP_LE[3], 2, 0)));
    expect(input.format).toBe('pcap');
    const first = await input.chunks[Symbol.asyncIterator]().next();
    expect(Array.from(first.value as Uint8Array)).toEqual([...PCAP_LE, 2, 0]);
  });

  it('calls a short input text at its end, as before', async () => {
    async function* once() {
      yield textLine;
    }
    expect((await sniffInput(once())).format).toBe('text');
  });
});
