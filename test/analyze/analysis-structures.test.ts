import { describe, expect, it } from 'vitest';
import { LookupsByFrame } from '../../src/analyze/lookups-by-frame.js';
import { newOpenLookup } from '../../src/analyze/open-lookup.js';
import { OpenQueue } from '../../src/analyze/open-queue.js';
import { NewestByQuestion, PendingQueries, type PendingQuery } from '../../src/analyze/pending-queries.js';
import type { Transport } from '../../src/model.js';
import { transactionWith } from '../transaction-with.js';
import { Wire, analyseWire } from './wire.js';

interface Entry {
  n: number;
  closed: boolean;
  queuePos: number;
}

const entry = (n: number): Entry => ({ n, closed: false, queuePos: -1 });

describe('OpenQueue', () => {
  it('visits due entries oldest first, as often as their keys say, and names the oldest open one', () => {
    const q = new OpenQueue<Entry>();
    const es = Array.from({ length: 10 }, (_, i) => entry(i));
    for (const e of es) q.add(e, 100 - e.n);
    q.setKey(es[2], 1000);
    const seen: number[] = [];
    q.sweepDue(95, (e) => {
      seen.push(e.n);
      q.close(e);
    });
    expect(seen).toEqual([5, 6, 7, 8, 9]);
    expect(q.size).toBe(5);
    expect(q.oldest()?.n).toBe(0);
    q.close(es[0]);
    q.close(es[1]);
    expect(q.oldest()?.n).toBe(2);
  });

  it('keeps the order through compaction, and visits entries added during a sweep', () => {
    const q = new OpenQueue<Entry>();
    const es = Array.from({ length: 5000 }, (_, i) => entry(i));
    for (const e of es) q.add(e, e.n);
    // Close all but every tenth: closed ones outnumber the rest, so the queue compacts.
    for (const e of es) if (e.n % 10 !== 0) q.close(e);
    const late = entry(-1);
    const seen: number[] = [];
    q.sweepIdle(10_000, 0, (e) => {
      seen.push(e.n);
      if (e.n === 0) q.add(late, 0);
    });
    expect(seen).toEqual([...es.filter((e) => e.n % 10 === 0).map((e) => e.n), -1]);
    // A sink may ask for the oldest while a sweep closes entries.
    const oldest: (number | undefined)[] = [];
    q.sweepAll((e) => {
      q.close(e);
      oldest.push(q.oldest()?.n);
    });
    expect(oldest.slice(0, 3)).toEqual([10, 20, 30]);
    expect(oldest.at(-1)).toBeUndefined();
    expect(q.size).toBe(0);
  });
});

function pending(id: number, endpoint: string, transport: Transport = 'udp'): PendingQuery {
  return { tx: transactionWith({ id }), closed: false, queuePos: -1, transport, endpoint, id, prev: null, next: null, chain: null };
}

function socketQueries(p: PendingQueries, transport: Transport, endpoint: string, id: number): PendingQuery[] {
  const out: PendingQuery[] = [];
  for (let q = p.first(transport, endpoint, id); q !== null; q = p.next(q)) out.push(q);
  return out;
}

describe('PendingQueries', () => {
  it('finds each socket its own queries of an id, in order, while 200 sockets share the id', () => {
    const p = new PendingQueries();
    const all: PendingQuery[] = [];
    for (let i = 0; i < 200; i++) {
      for (const transport of ['udp', 'tcp'] as const) {
        const q = pending(7, `10.0.0.${i % 50}:${40000 + Math.floor(i / 50)}`, transport);
        p.add(q);
        all.push(q);
      }
    }
    const a = socketQueries(p, 'udp', '10.0.0.3:40001', 7);
    expect(a).toEqual(all.filter((q) => q.endpoint === '10.0.0.3:40001' && q.transport === 'udp'));
    expect(socketQueries(p, 'udp', '10.0.0.3:40001', 8)).toEqual([]);
    for (const q of all) p.remove(q);
    expect(socketQueries(p, 'udp', '10.0.0.3:40001', 7)).toEqual([]);
    // Back to the table: a new query of the id is found again.
    const again = pending(7, '10.0.0.3:40001');
    p.add(again);
    expect(socketQueries(p, 'udp', '10.0.0.3:40001', 7)).toEqual([again]);
  });

  it('counts the queries of one socket and id once many share the id, and files ids outside 16 bits too', () => {
    const p = new PendingQueries();
    const qs = Array.from({ length: 70 }, () => pending(1, '10.0.0.1:5000'));
    for (const q of qs) p.add(q);
    expect(p.crowdedCount(qs[0])).toBe(70);
    const odd = pending(70000, '10.0.0.1:5000');
    p.add(odd);
    expect(socketQueries(p, 'udp', '10.0.0.1:5000', 70000)).toEqual([odd]);
    p.remove(qs[0]);
    expect(socketQueries(p, 'udp', '10.0.0.1:5000', 1)[0]).toBe(qs[1]);
  });
});

describe('NewestByQuestion', () => {
  it('gives the query a new one replaces, and forgets a query only while it is the newest', () => {
    const n = new NewestByQuestion<string>();
    const slot = n.slot('10.0.0.1', 'api');
    expect(n.replace(slot, 'A', 'q1')).toBeUndefined();
    expect(n.replace(slot, 'AAAA', 'q2')).toBeUndefined();
    expect(n.replace(n.slot('10.0.0.1', 'api'), 'A', 'q3')).toBe('q1');
    n.delete(slot, 'A', 'q1');
    expect(n.replace(slot, 'A', 'q4')).toBe('q3');
    n.delete(slot, 'A', 'q4');
    expect(n.replace(slot, 'A', 'q5')).toBeUndefined();
    expect(n.replace(slot, 'HTTPS', 'q6')).toBeUndefined();
    expect(n.replace(n.slot('10.0.0.2', 'api'), 'A', 'q7')).toBeUndefined();
  });

  it('drops empty slots as a host asks ever new names, and keeps the ones in use', () => {
    const n = new NewestByQuestion<string>();
    const kept = n.slot('h', 'kept');
    n.replace(kept, 'A', 'open');
    for (let i = 0; i < 10_000; i++) {
      const s = n.slot('h', `name${i}`);
      n.replace(s, 'A', `q${i}`);
      n.delete(s, 'A', `q${i}`);
    }
    expect(n.slot('h', 'kept')).toBe(kept);
    expect(n.replace(kept, 'A', 'newer')).toBe('open');
  });
});

describe('LookupsByFrame', () => {
  it('holds a lookup per frame, frames a ring apart included', () => {
    const by = new LookupsByFrame();
    const a = newOpenLookup('c', 'a', true, 0);
    const b = newOpenLookup('c', 'b', true, 0);
    by.set(5, a);
    by.set(5 + (1 << 17), b);
    by.set(7.5, b);
    expect(by.get(5)).toBe(a);
    expect(by.get(5 + (1 << 17))).toBe(b);
    expect(by.get(7.5)).toBe(b);
    by.delete(5);
    expect(by.get(5)).toBeUndefined();
    expect(by.get(5 + (1 << 17))).toBe(b);
    by.delete(5 + (1 << 17));
    expect(by.get(5 + (1 << 17))).toBeUndefined();
  });
});

describe('pairing while many sockets share DNS ids', () => {
  it('pairs 300 concurrent queries from 300 sockets that all use id 0, answered in reverse order', () => {
    const w = new Wire();
    const NS = '10.96.0.10:53';
    for (let i = 0; i < 300; i++) w.query(i * 0.01, `10.0.${i >> 8}.${i & 255}:5353`, NS, 0, `n${i}.example`, 'A');
    for (let i = 299; i >= 0; i--) w.answer(5 + (299 - i) * 0.01, NS, `10.0.${i >> 8}.${i & 255}:5353`, 0, `n${i}.example`, 'A', 'NOERROR', [['A', `192.0.2.${i & 255}`]]);
    const r = analyseWire(w);
    expect(r.transactions).toHaveLength(300);
    expect(r.transactions.every((t) => t.status === 'answered' && t.answers[0].data === `192.0.2.${Number(t.name?.slice(1, -8)) & 255}`)).toBe(true);
    expect(r.pairing.unsolicitedResponses).toBe(0);
  });
});
