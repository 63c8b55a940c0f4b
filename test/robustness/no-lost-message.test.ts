import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Report } from '../../src/model.js';
import { dnsFrame, encodeDns, pcap } from './build-capture.js';
import { analyzeHostile, expectSoundReport } from './invariants.js';

// Thousands of inputs or CLI runs per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/**
 * "Never lose a message": every DNS message in the input ends up in exactly one place of the
 * report: a query is the first send or a retransmission of exactly one transaction, a response
 * is the answer, a duplicate answer, or an unsolicited response of exactly one transaction.
 * Random conversations (few clients, ids, names and suffixes, so keys collide and walks form;
 * times that jump backwards; lost and duplicated answers) check it for text and captures.
 */
interface Exchange {
  client: number;
  port: number;
  id: number;
  name: string[];
  type: 'A' | 'AAAA';
  /** null: the query is lost; otherwise the rcode of the answer. */
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | null;
  duplicateAnswer: boolean;
  resend: boolean;
  /** Microseconds after the previous exchange; negative values are clock steps backwards. */
  gapUs: number;
}

const SUFFIXES = [['test', 'svc', 'cluster', 'local'], ['svc', 'cluster', 'local'], ['cluster', 'local'], []];
const exchangeArb: fc.Arbitrary<Exchange> = fc.record({
  client: fc.integer({ min: 1, max: 3 }),
  port: fc.constantFrom(40000, 40001),
  id: fc.integer({ min: 0, max: 3 }),
  name: fc.tuple(fc.constantFrom('api', 'db', 'blog.mosuke.tech', 'x'), fc.constantFrom(...SUFFIXES)).map(([b, s]) => [...b.split('.'), ...s]),
  type: fc.constantFrom('A' as const, 'AAAA' as const),
  rcode: fc.constantFrom('NOERROR' as const, 'NXDOMAIN' as const, 'SERVFAIL' as const, null),
  duplicateAnswer: fc.boolean(),
  resend: fc.boolean(),
  gapUs: fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: -500_000, max: 0 })),
});

interface Sent {
  isResponse: boolean;
  ex: Exchange;
  timeUs: number;
}

function conversation(exchanges: Exchange[]): Sent[] {
  const out: Sent[] = [];
  let t = 43_200_000_000; // noon: text time stamps never wrap midnight here
  for (const ex of exchanges) {
    t = Math.max(0, t + ex.gapUs);
    out.push({ isResponse: false, ex, timeUs: t });
    // dig resends after 1 s (glibc after 5 s); an identical packet 1 ms later is a capture copy.
    if (ex.resend) out.push({ isResponse: false, ex, timeUs: t + 1_000_000 });
    if (ex.rcode !== null) {
      out.push({ isResponse: true, ex, timeUs: t + 1_002_000 });
      if (ex.duplicateAnswer) out.push({ isResponse: true, ex, timeUs: t + 1_003_000 });
    }
  }
  return out;
}

const RCODE_TEXT = { NOERROR: '', NXDOMAIN: ' NXDomain', SERVFAIL: ' ServFail' };

function timeOfDay(us: number): string {
  const s = Math.floor(us / 1e6);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(us % 1e6, 6)}`;
}

/** tcpdump -n's rendering of each message (print-domain.c at default verbosity). */
function asText(sent: Sent[]): string {
  return sent
    .map(({ isResponse, ex, timeUs }) => {
      const client = `10.0.0.${ex.client}.${ex.port}`;
      const server = '10.96.0.10.53';
      const name = `${ex.name.join('.')}.`;
      if (!isResponse) return `${timeOfDay(timeUs)} IP ${client} > ${server}: ${ex.id}+ ${ex.type}? ${name} (40)`;
      const answers = ex.rcode === 'NOERROR' ? ` ${ex.type === 'A' ? 'A 10.1.2.3' : 'AAAA 2001:db8::1'}` : '';
      return `${timeOfDay(timeUs)} IP ${server} > ${client}: ${ex.id}${RCODE_TEXT[ex.rcode!]}* ${answers ? 1 : 0}/0/0${answers} (60)`;
    })
    .join('\n');
}

function asCapture(sent: Sent[]): Uint8Array {
  return pcap(
    sent.map(({ isResponse, ex, timeUs }) => {
      const question = { name: ex.name, type: ex.type === 'A' ? 1 : 28 };
      const rcode = ex.rcode === 'NXDOMAIN' ? 3 : ex.rcode === 'SERVFAIL' ? 2 : 0;
      const answers = isResponse && rcode === 0
        ? [{ name: ex.name, type: question.type, data: ex.type === 'A' ? Uint8Array.from([10, 1, 2, 3]) : new Uint8Array(16).fill(1) }]
        : [];
      const message = encodeDns({ id: ex.id, response: isResponse, rcode, question, answers });
      const frame = dnsFrame(message, isResponse);
      // dnsFrame uses one client; put each client on its own address and port.
      frame[14 + (isResponse ? 19 : 15)] = ex.client;
      const udpAt = 14 + 20 + (isResponse ? 2 : 0);
      frame[udpAt] = ex.port >> 8;
      frame[udpAt + 1] = ex.port & 0xff;
      return { data: frame, timeUs: 1_700_000_000_000_000 + timeUs };
    }),
  );
}

/**
 * Every query and every response frame appears exactly once in the transactions: as a send or
 * resend of a query, as an answer or a duplicate answer, or as a copy of a packet the capture
 * saw twice (-i any).
 */
function expectEveryMessagePlaced(r: Report, sent: Sent[]): void {
  const queries: number[] = [];
  const responses: number[] = [];
  const copies: number[] = [];
  for (const t of r.transactions) {
    if (t.queryFrame !== null) queries.push(t.queryFrame);
    queries.push(...t.retransmissionFrames);
    if (t.responseFrame !== null) responses.push(t.responseFrame);
    responses.push(...t.duplicateResponseFrames);
    copies.push(...(t.copyFrames ?? []));
  }
  const frames = (isResponse: boolean) => sent.flatMap((s, i) => (s.isResponse === isResponse ? [i + 1] : []));
  const byNumber = (a: number, b: number) => a - b;
  expect([...queries, ...responses, ...copies].sort(byNumber)).toEqual(sent.map((_, i) => i + 1));
  expect(queries.every((f) => !sent[f - 1].isResponse)).toBe(true);
  expect(responses.every((f) => sent[f - 1].isResponse)).toBe(true);
  expect(queries.length + copies.filter((f) => !sent[f - 1].isResponse).length).toBe(frames(false).length);
}

describe('no DNS message is lost between the input and the report', () => {
  it('places every query and response of 300 random tcpdump text conversations exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(exchangeArb, { minLength: 1, maxLength: 25 }), async (exchanges) => {
        const sent = conversation(exchanges);
        const out = await analyzeHostile(new TextEncoder().encode(asText(sent)));
        const r = out.report!;
        expect(out.inputError).toBeNull();
        expectSoundReport(r);
        expect(r.summary.dnsMessages).toBe(sent.length);
        expectEveryMessagePlaced(r, sent);
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  it('places every query and response of 300 random captured conversations exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(exchangeArb, { minLength: 1, maxLength: 25 }), async (exchanges) => {
        const sent = conversation(exchanges);
        const out = await analyzeHostile(asCapture(sent));
        const r = out.report!;
        expectSoundReport(r);
        expect(r.summary.dnsMessages).toBe(sent.length);
        expectEveryMessagePlaced(r, sent);
      }),
      { numRuns: 300, seed: 8 },
    );
  });
});
