import { describe, expect, it } from 'vitest';
import { formatProgress, trackProgress } from '../../src/report/progress-meter.js';

async function run(chunkCount: number, msPerChunk: number, totalBytes: number | null) {
  let clock = 0;
  const writes: string[] = [];
  const chunks = (async function* () {
    for (let i = 0; i < chunkCount; i++) {
      clock += msPerChunk;
      yield new Uint8Array(1_000_000);
    }
  })();
  let bytes = 0;
  for await (const c of trackProgress(chunks, { totalBytes, write: (t) => writes.push(t), now: () => clock })) bytes += c.length;
  return { bytes, writes };
}

describe('the progress line', () => {
  it('stays silent for an input read in under a second', async () => {
    const r = await run(5, 100, 5_000_000);
    expect(r).toEqual({ bytes: 5_000_000, writes: [] });
  });

  it('shows bytes read every 250 ms after the first second, then erases itself', async () => {
    const r = await run(20, 100, 20_000_000);
    expect(r.bytes).toBe(20_000_000);
    expect(r.writes).toEqual([
      '\r\x1b[Kdnstrace: read 10.0 MB of 20.0 MB (50%)',
      '\r\x1b[Kdnstrace: read 13.0 MB of 20.0 MB (65%)',
      '\r\x1b[Kdnstrace: read 16.0 MB of 20.0 MB (80%)',
      '\r\x1b[Kdnstrace: read 19.0 MB of 20.0 MB (95%)',
      '\r\x1b[K',
    ]);
  });

  it('says only what was read when the size is unknown (a pipe)', () => {
    expect(formatProgress(2_500_000, null)).toBe('read 2.5 MB');
    expect(formatProgress(640_000, 1_000_000)).toBe('read 640 kB of 1.0 MB (64%)');
  });
});
