import { describe, expect, it } from 'vitest';
import { FindingsAccumulator } from '../../src/analyze/findings/detectors.js';
import type { Lookup, Transaction } from '../../src/model.js';

describe('FindingsAccumulator', () => {
  it('hands each record to every detector of the registry that takes one, once', () => {
    const acc = new FindingsAccumulator();
    const calls: string[] = [];
    const expected: string[] = [];
    acc.detectors.forEach((d, i) => {
      const hooks = d as unknown as Record<string, unknown>;
      for (const method of ['transaction', 'lookup']) {
        if (typeof hooks[method] !== 'function') continue;
        expected.push(`${i} ${method}`);
        hooks[method] = () => void calls.push(`${i} ${method}`);
      }
    });
    acc.transaction({} as Transaction, undefined);
    acc.lookup({} as Lookup, 0, () => undefined);
    expect(calls.sort()).toEqual(expected.sort());
    expect(expected.length).toBe(17);
  });
});
