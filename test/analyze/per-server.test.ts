import { describe, expect, it } from 'vitest';
import { PerServer } from '../../src/analyze/per-server.js';
import { MAX_REPORT_SERVERS } from '../../src/analyze/report-limits.js';
import { transactionWith } from '../transaction-with.js';

const to = (server: string) => transactionWith({ server, serverHost: server.slice(0, server.lastIndexOf(':')) });

describe('PerServer', () => {
  it('makes a value the first time a server comes, from that transaction, and keeps it', () => {
    let made = 0;
    const table = new PerServer((t) => ({ host: t.serverHost, n: ++made }));
    const a = table.entry(to('10.96.0.10:53'));
    const b = table.entry(to('10.96.0.11:53'));
    // A server asked again after another: the map, not only the last one remembered.
    expect(table.entry(to('10.96.0.10:53'))).toBe(a);
    expect(table.entry(to('10.96.0.10:53'))).toBe(a);
    expect(table.entry(to('10.96.0.11:53'))).toBe(b);
    expect(made).toBe(2);
    expect([...table.entries()]).toEqual([
      ['10.96.0.10:53', { host: '10.96.0.10', n: 1 }],
      ['10.96.0.11:53', { host: '10.96.0.11', n: 2 }],
    ]);
  });

  it('turns new servers away once MAX_REPORT_SERVERS are held, and still answers for those it holds', () => {
    const table = new PerServer(() => true);
    for (let i = 0; i < MAX_REPORT_SERVERS; i++) expect(table.entry(to(`10.0.${i >> 8}.${i & 255}:53`))).toBe(true);
    expect(table.entry(to('192.0.2.1:53'))).toBeUndefined();
    expect(table.entry(to('10.0.0.0:53'))).toBe(true);
    expect(table.size).toBe(MAX_REPORT_SERVERS);
  });
});
