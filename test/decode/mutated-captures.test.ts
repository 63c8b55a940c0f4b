import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers.js';
import { CAPTURES, decodeChunks } from './decode-helpers.js';
import { seededRandom } from '../../scripts/fuzz/mutate.mjs';

// Capture bytes are untrusted: whatever they hold, decoding must end with every frame counted
// and problems as anomalies, never an exception. Seeded, so a failure reproduces exactly.


const SOURCES = [`${CAPTURES}lab-any-sll2.pcap`, `${CAPTURES}lab-lo-dumpcap.pcapng`, `${FIXTURES}tc-tcp.pcap`];
const ROUNDS = 150;

describe('decoding mutated real captures', () => {
  for (const path of SOURCES) {
    it(`survives ${ROUNDS} seeded mutations of ${path.split('/').pop()} with the accounting adding up`, async () => {
      const original = readFileSync(path);
      const random = seededRandom(0x5eed);
      for (let round = 0; round < ROUNDS; round++) {
        const bytes = Uint8Array.from(original);
        // Leave the file header alone (a bad header is an input error, tested elsewhere) and
        // flip 1 to 16 bytes after it.
        const flips = 1 + Math.floor(random() * 16);
        for (let i = 0; i < flips; i++) bytes[32 + Math.floor(random() * (bytes.length - 32))] = Math.floor(random() * 256);
        const cut = random() < 0.2 ? Math.floor(random() * bytes.length) : bytes.length;
        const r = await decodeChunks((async function* () { yield bytes.subarray(0, Math.max(cut, 64)); })());
        const a = r.accounting;
        expect(a.dns + a.notDns + a.malformed + a.truncated + a.unsupportedLinkType + a.ipFragmentsPending, `round ${round}`).toBe(a.frames);
      }
    });
  }
});
