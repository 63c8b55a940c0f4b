import { createReadStream, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/decode/frame-decoder.js';
import { sniffInput } from '../../src/input/open-input.js';
import { readPcap } from '../../src/input/pcap-reader.js';
import { readPcapng } from '../../src/input/pcapng-reader.js';
import type { DnsMessage } from '../../src/model.js';
import { FIXTURES } from '../helpers.js';
import { CAPTURES, decodeFile } from './decode-helpers.js';

// The CLI's decoder hands the analysis one message object, filled in again for every message
// (reuseMessages): what the analysis reads of each must be exactly what a fresh object holds.

const captures = (dir: string) =>
  readdirSync(dir).filter((f) => /\.(pcap|pcapng|gz)$/.test(f)).sort().map((f) => `${dir}${f}`);

/** Each message as the sink saw it when it came (a copy, keys in order), and the objects it came in. */
async function decodeReusing(path: string): Promise<{ seen: DnsMessage[]; objects: Set<DnsMessage> }> {
  const diag = { anomaly: () => {}, warn: () => {} };
  const input = await sniffInput(createReadStream(path), false, diag);
  const seen: DnsMessage[] = [];
  const objects = new Set<DnsMessage>();
  const decoder = new FrameDecoder(diag, [53], {
    sink: {
      message(m) {
        seen.push({ ...m });
        objects.add(m);
      },
      icmpUnreachable() {},
    },
    reuseMessages: true,
  });
  await (input.format === 'pcap' ? readPcap : readPcapng)(input.chunks, decoder, diag);
  decoder.finish();
  return { seen, objects };
}

describe('a decoder that reuses its message object', () => {
  it('gives, message by message, what fresh objects hold on every fixture and decode capture', async () => {
    let messages = 0;
    let reused = 0;
    for (const path of [...captures(FIXTURES), ...captures(CAPTURES)]) {
      const fresh = (await decodeFile(path)).messages;
      const { seen, objects } = await decodeReusing(path);
      expect(seen, path).toStrictEqual(fresh);
      expect(seen.map((m) => Object.keys(m).join()), path).toStrictEqual(fresh.map((m) => Object.keys(m).join()));
      messages += seen.length;
      if (seen.length > 1 && objects.size < seen.length) reused++;
    }
    expect(messages).toBeGreaterThan(400);
    expect(reused).toBeGreaterThan(20);
  });

  it('uses one object for the well-formed messages of a capture', async () => {
    const { seen, objects } = await decodeReusing(`${FIXTURES}externalname-vs-search.pcap`);
    expect(seen.length).toBeGreaterThan(10);
    expect(objects.size).toBe(1);
  });

  it('still gives decode() callers one object per message', async () => {
    const { messages } = await decodeFile(`${FIXTURES}externalname-vs-search.pcap`);
    expect(new Set(messages).size).toBe(messages.length);
  });
});
