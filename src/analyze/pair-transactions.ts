import type { DnsMessage, Transaction } from '../model.js';

export interface PairingOptions {
  /** A query with no response after this long is unanswered (glibc's default timeout, 5 s). */
  timeoutMs: number;
}

interface Pending {
  tx: Transaction;
  /** Time of the latest send of this query (the original or a retransmission). */
  lastSendUs: number;
}

/**
 * Pairs queries and responses into Transactions, the way Zeek and Wireshark track them: by
 * client endpoint, server endpoint, transport and DNS id, checking the question when both
 * sides show it. Answers can come in any order (glibc's A and AAAA share a socket); a second
 * query with the same key before any answer is a retransmission (glibc resends the same id on
 * the same socket after its timeout).
 */
export function pairTransactions(messages: readonly DnsMessage[], opts: PairingOptions, captureEndUs: number): Transaction[] {
  const pending = new Map<string, Pending[]>();
  const out: Transaction[] = [];
  const timeoutUs = opts.timeoutMs * 1000;

  for (const m of messages) {
    if (!m.isResponse) {
      const key = `${m.transport} ${m.src} ${m.dst} ${m.id}`;
      const list = pending.get(key);
      const same = list?.find((p) => sameQuestion(p.tx, m) && p.tx.responseFrame === null);
      if (same) {
        same.tx.retransmissionFrames.push(m.frame);
        same.lastSendUs = m.timeUs;
        continue;
      }
      const tx = newTransaction(m);
      out.push(tx);
      const entry = { tx, lastSendUs: m.timeUs };
      if (list) list.push(entry);
      else pending.set(key, [entry]);
      continue;
    }
    const key = `${m.transport} ${m.dst} ${m.src} ${m.id}`;
    const list = pending.get(key);
    const fits = (p: Pending) => m.question === null || sameQuestion(p.tx, m);
    // An id reused on the same socket later: the open query takes the answer, not the old one.
    const match = list?.find((p) => fits(p) && p.tx.responseFrame === null) ?? list?.find(fits);
    if (!match) {
      out.push(unsolicited(m));
      continue;
    }
    const tx = match.tx;
    if (tx.responseFrame !== null) {
      tx.duplicateResponseFrames.push(m.frame);
      continue;
    }
    tx.responseFrame = m.frame;
    tx.responseTimeUs = m.timeUs;
    tx.rcode = m.rcode;
    tx.answers = m.answers;
    tx.answerCount = m.counts.an;
    tx.flags = m.flags;
    tx.latencyMs = round3((m.timeUs - (tx.queryTimeUs ?? m.timeUs)) / 1000);
    tx.latencyFromLastMs = round3((m.timeUs - match.lastSendUs) / 1000);
    tx.status = tx.retransmissionFrames.length > 0 ? 'answered-after-retry' : 'answered';
    if (m.flags.tc) tx.status = 'truncated-retried-tcp';
  }
  for (const tx of out) {
    if (tx.responseFrame === null && tx.queryTimeUs !== null) {
      tx.status = tx.queryTimeUs + timeoutUs > captureEndUs ? 'unanswered-near-capture-end' : 'unanswered';
    }
  }
  return out;
}

function sameQuestion(tx: Transaction, m: DnsMessage): boolean {
  if (m.question === null || tx.name === null) return true;
  return m.question.name === tx.name && m.question.type === tx.type;
}

function newTransaction(m: DnsMessage): Transaction {
  return {
    id: m.id,
    client: m.src,
    server: m.dst,
    transport: m.transport,
    name: m.question?.name ?? null,
    type: m.question?.type ?? null,
    rcode: null,
    latencyMs: null,
    latencyFromLastMs: null,
    queryFrame: m.frame,
    responseFrame: null,
    status: 'unanswered',
    queryTimeUs: m.timeUs,
    responseTimeUs: null,
    retransmissionFrames: [],
    duplicateResponseFrames: [],
    answers: [],
    answerCount: 0,
    flags: null,
  };
}

function unsolicited(m: DnsMessage): Transaction {
  return {
    ...newTransaction(m),
    client: m.dst,
    server: m.src,
    rcode: m.rcode,
    queryFrame: null,
    responseFrame: m.frame,
    status: 'unsolicited-response',
    queryTimeUs: null,
    responseTimeUs: m.timeUs,
    answers: m.answers,
    answerCount: m.counts.an,
    flags: m.flags,
  };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
