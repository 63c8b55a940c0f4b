import { describe, expect, it } from 'vitest';
import { asciiPiece } from '../../src/report/json-bytes.js';
import { KeptPieces, MAX_KEPT_BYTES, MAX_KEPT_VARIANTS } from '../../src/report/kept-pieces.js';

describe('KeptPieces', () => {
  it('keeps at most MAX_KEPT_VARIANTS variants of a name', () => {
    const kept = new KeptPieces<{ v: number; text: ReturnType<typeof asciiPiece> }>();
    const text = asciiPiece('"name":"a"');
    for (let v = 0; kept.hasRoom(kept.of('a')); v++) kept.keep('a', kept.of('a'), { v, text });
    expect(kept.of('a').map((x) => x.v)).toEqual(Array.from({ length: MAX_KEPT_VARIANTS }, (_, i) => i));
    expect(kept.of(null)).toEqual([]);
  });

  it('forgets every name at once past MAX_KEPT_BYTES, and keeps the piece that went past', () => {
    const kept = new KeptPieces<{ text: ReturnType<typeof asciiPiece> }>();
    const text = asciiPiece('x'.repeat(1000));
    const names = Math.floor(MAX_KEPT_BYTES / 2000);
    for (let i = 0; i < names; i++) kept.keep(`n${i}`, kept.of(`n${i}`), { text });
    expect(kept.of('n0')).toHaveLength(1);
    expect(kept.of(`n${names - 1}`)).toHaveLength(1);
    kept.keep('last', kept.of('last'), { text });
    expect(kept.of('last')).toHaveLength(1);
    expect(kept.of('n0')).toHaveLength(0);
    expect(kept.of(`n${names - 1}`)).toHaveLength(0);
  });
});
