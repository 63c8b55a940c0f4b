import type { Finding, Transaction } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { COPY_WINDOW_US } from '../../../../src/analyze/analysis-limits.js';
import { hostOf } from '../../../../src/host-of-endpoint.js';
import { type AnalysisContext, count, evidenceFrames, listNames } from './context.js';

/**
 * Queries sent to several nameservers at once: in a lookup, a query with the socket, id and
 * question of an earlier one of its queries, to another server within COPY_WINDOW_US, and not a
 * retry.
 */
export function detectParallelNameservers(ctx: AnalysisContext): Finding[] {
  const byFrame = new Map<string, Transaction>();
  for (const t of ctx.transactions) if (t.queryFrame !== null) byFrame.set(`${t.queryFrame} ${t.type}`, t);
  let alongside = 0;
  let queries = 0;
  let lookups = 0;
  const clients: string[] = [];
  const servers: string[] = [];
  const frames: (number | null)[] = [];
  const sentAlongside = new Set<Transaction>();
  for (const l of ctx.lookups) {
    const txs = l.attempts.map((a) => (a.queryFrame !== null ? byFrame.get(`${a.queryFrame} ${a.type}`) : undefined)).filter((t): t is Transaction => t !== undefined);
    let here = 0;
    txs.forEach((t, j) => {
      const first = txs
        .slice(0, j)
        .find((e) => e.client === t.client && e.id === t.id && e.name === t.name && e.type === t.type && e.server !== t.server && t.retryOf === null && Math.abs((e.queryTimeUs as number) - (t.queryTimeUs as number)) <= COPY_WINDOW_US);
      if (first === undefined) return;
      here++;
      servers.push(hostOf(first.server), hostOf(t.server));
      sentAlongside.add(first).add(t);
      frames.push(first.queryFrame, t.queryFrame);
    });
    if (here === 0) continue;
    alongside += here;
    queries += l.queries;
    lookups++;
    clients.push(l.client);
  }
  if (alongside === 0) return [];
  const distinctClients = [...new Set(clients)];
  // Servers that answered none of the queries sent to them alongside another server's.
  const hosts = [...new Set([...sentAlongside].map((t) => hostOf(t.server)))];
  const mute = hosts
    .map((h) => [h, [...sentAlongside].filter((t) => hostOf(t.server) === h)] as const)
    .filter(([, txs]) => txs.every((t) => t.responseFrame === null))
    .map(([h, txs]) => `${h} answered none of the ${count(txs.length, 'query', 'queries')} sent to it`);
  return [
    {
      kind: 'parallel-nameservers',
      title: FINDING_KINDS['parallel-nameservers'].title,
      summary:
        `${alongside} of the ${count(queries, 'query', 'queries')} of ${count(lookups, 'lookup')} were a query sent again to another nameserver at the same moment ` +
        `(${count(distinctClients.length, 'client')}: ${listNames(distinctClients)}; nameservers ${listNames([...new Set(servers)])}): ` +
        'the client asks every nameserver at once and takes the first answer (musl does), so each nameserver carries its whole load.' +
        (mute.length > 0 ? ` Of these, ${mute.join('; ')}: the client never waited for it, and no failover shows it.` : ''),
      evidence: evidenceFrames(frames),
      impact: { queries: alongside, ms: 0 },
      remedy: FINDING_KINDS['parallel-nameservers'].remedy,
      snippet: null,
    },
  ];
}
