import type { Finding, Lookup, ResolverProfile, Transaction } from '../../../../src/model.js';

/** What every detector gets to look at. */
export interface AnalysisContext {
  transactions: readonly Transaction[];
  lookups: readonly Lookup[];
  resolvers: readonly ResolverProfile[];
}

export type Detector = (ctx: AnalysisContext) => Finding[];

/** Frame numbers for evidence: sorted, unique, at most `limit` (reports say how many more). */
export function evidenceFrames(frames: Iterable<number | null>, limit = 20): number[] {
  const set = new Set<number>();
  for (const f of frames) if (f !== null) set.add(f);
  return [...set].sort((a, b) => a - b).slice(0, limit);
}

/** "1 query", "2 queries". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Names for a sentence: the first few, then "and N more". */
export function listNames(names: readonly string[], max = 5): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** Milliseconds rounded to the microsecond, for impact numbers. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Appends to the list under `key` (never copies: detectors run over millions of transactions). */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The time `spans` ([socket, from, to], µs) cover, each socket's overlapping spans counted once. */
export function coveredUsBySocket(spans: Iterable<readonly [string, number, number]>): number {
  const bySocket = new Map<string, [number, number][]>();
  for (const [socket, from, to] of spans) pushTo(bySocket, socket, [from, to]);
  let covered = 0;
  for (const list of bySocket.values()) {
    let end = Number.NEGATIVE_INFINITY;
    for (const [from, to] of list.sort((a, b) => a[0] - b[0])) {
      covered += Math.max(0, to - Math.max(from, end));
      end = Math.max(end, to);
    }
  }
  return covered;
}

/**
 * Of the transactions answered with `rcode`, those whose question (name and type) another server
 * answered in the same lookup with an answer a resolver takes (neither SERVFAIL nor REFUSED), and
 * those servers in the order met.
 */
export function answeredElsewhere(ctx: AnalysisContext, rcode: string): { count: number; servers: string[] } {
  const byFrame = new Map<string, Transaction>();
  for (const t of ctx.transactions) if (t.queryFrame !== null) byFrame.set(`${t.queryFrame} ${t.type}`, t);
  let count = 0;
  const servers: string[] = [];
  for (const l of ctx.lookups) {
    const txs = l.attempts.map((a) => (a.queryFrame === null ? undefined : byFrame.get(`${a.queryFrame} ${a.type}`))).filter((t): t is Transaction => t !== undefined);
    for (const failed of txs.filter((t) => t.rcode === rcode)) {
      const answer = txs.find((t) => t.name === failed.name && t.type === failed.type && t.server !== failed.server && t.rcode !== null && !['REFUSED', 'SERVFAIL'].includes(t.rcode));
      if (!answer) continue;
      count++;
      if (!servers.includes(answer.server)) servers.push(answer.server);
    }
  }
  return { count, servers };
}
