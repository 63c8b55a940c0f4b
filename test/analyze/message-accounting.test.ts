import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS, FIXTURES, HAVE_CORPUS, analyzeFile, skipWithoutCorpus } from '../helpers.js';
import { InputError } from '../../src/input/input-error.js';
import type { Report } from '../../src/model.js';

/** Every DNS message ends up in exactly one place of exactly one transaction. */
function messagesInTransactions(r: Report): number {
  return r.transactions.reduce(
    (n, t) =>
      n +
      (t.queryFrame !== null ? 1 : 0) +
      t.retransmissionFrames.length +
      (t.responseFrame !== null ? 1 : 0) +
      t.duplicateResponseFrames.length +
      t.copyFrames.length,
    0,
  );
}

const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.pcap'));

describe('every DNS message is accounted for in the transactions', () => {
  it(`in each of the ${fixtures.length} lab captures`, async () => {
    for (const f of fixtures) {
      const r = await analyzeFile(`${FIXTURES}${f}`);
      expect([f, messagesInTransactions(r)]).toEqual([f, r.summary.dnsMessages]);
      expect([f, r.lookups.reduce((n, l) => n + l.queries, 0)]).toEqual([
        f,
        r.transactions.reduce((n, t) => n + (t.queryFrame !== null ? 1 + t.retransmissionFrames.length : 0), 0),
      ]);
    }
  });

  const corpus = HAVE_CORPUS ? readdirSync(`${CORPUS}tcpdump/`).filter((f) => /\.pcap$/.test(f)) : [];
  if (!skipWithoutCorpus('message accounting on the corpus')) it(`in each capture of the tcpdump corpus (${corpus.length}), hostile ones included, without a crash`, async () => {
    let messages = 0;
    for (const f of corpus) {
      let r: Report;
      try {
        r = await analyzeFile(`${CORPUS}tcpdump/${f}`);
      } catch (e) {
        // Unreadable inputs (pcapng before its reader lands) are the input stage's user error, never a crash here.
        expect(e).toBeInstanceOf(InputError);
        continue;
      }
      expect([f, messagesInTransactions(r)]).toEqual([f, r.summary.dnsMessages]);
      messages += r.summary.dnsMessages;
    }
    expect(messages).toBeGreaterThan(0);
  });
});
