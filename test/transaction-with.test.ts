import { describe, expect, it } from 'vitest';
import { Wire, analyseWire } from './analyze/wire.js';
import { attemptWith, lookupWith } from './lookup-with.js';
import { DEFAULT_NAME, DEFAULT_QUERY_TIME_US, UNANSWERED, transactionWith } from './transaction-with.js';

const CLIENT = '10.0.0.1:40000';
const DNS = '10.96.0.10:53';
const T0_MS = DEFAULT_QUERY_TIME_US / 1000;

describe('the test builders', () => {
  it('give by default what the analysis makes of one A query answered with one address in 0.4 ms', () => {
    const w = new Wire();
    w.query(T0_MS, CLIENT, DNS, 1, DEFAULT_NAME, 'A');
    w.answer(T0_MS + 0.4, DNS, CLIENT, 1, DEFAULT_NAME, 'A', 'NOERROR', [['A', '192.0.2.1']]);
    const r = analyseWire(w);
    expect(r.transactions).toEqual([transactionWith()]);
    expect(r.lookups).toEqual([lookupWith()]);
  });

  it('give with UNANSWERED what the analysis makes of a query that drew nothing, and move the frames and times along', () => {
    const w = new Wire();
    w.query(1, CLIENT, DNS, 7, 'db.example.com', 'AAAA');
    // A later exchange, long after, so that the first query is not near the end of the capture.
    w.query(60_000, CLIENT, DNS, 8, DEFAULT_NAME, 'A');
    w.answer(60_002.5, DNS, CLIENT, 8, DEFAULT_NAME, 'A', 'NOERROR', [['A', '192.0.2.1']]);
    const r = analyseWire(w);
    expect(r.transactions).toEqual([
      transactionWith({ ...UNANSWERED, id: 7, name: 'db.example.com', type: 'AAAA', queryTimeUs: 1000 }),
      transactionWith({ id: 8, latencyMs: 2.5, queryFrame: 2, queryTimeUs: 60_000_000 }),
    ]);
    expect(r.lookups[1]).toEqual(lookupWith({ elapsedMs: 2.5, firstFrame: 2, startUs: 60_000_000 }));
  });

  it('make an attempt whose response follows its query, unless told otherwise', () => {
    expect(attemptWith({ queryFrame: 9 })).toMatchObject({ queryFrame: 9, responseFrame: 10 });
    expect(attemptWith({ queryFrame: 9, responseFrame: null })).toMatchObject({ queryFrame: 9, responseFrame: null });
  });
});
