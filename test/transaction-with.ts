import { hostOf } from '../src/host-of-endpoint.js';
import type { DnsFlags, DnsRecord, Transaction } from '../src/model.js';

/** A pod's stub resolver asking the cluster DNS Service: recursion desired and available. */
export const RESOLVER_FLAGS: DnsFlags = Object.freeze({ aa: false, tc: false, rd: true, ra: true, ad: false, cd: false });

/**
 * What to give transactionWith for a query that drew no response: the fields of the response
 * (frame, time, latency, answers) follow as null or empty.
 */
export const UNANSWERED: Readonly<Partial<Transaction>> = Object.freeze({ status: 'unanswered', rcode: null, latencyMs: null, flags: null });

export const DEFAULT_CLIENT_HOST = '10.0.0.1';
/** A name outside the cluster, asked as written: the analysis makes of it a lookup of one query. */
export const DEFAULT_NAME = 'api.example.com';
export const DEFAULT_QUERY_TIME_US = 1_700_000_000_000_000;

/**
 * A transaction as the pairer would give it, for tests that feed later stages directly: by default
 * an A query for DEFAULT_NAME from DEFAULT_CLIENT_HOST to the cluster DNS at frame 1, answered
 * NOERROR with one address at frame 2, 0.4 ms later (transaction-with.test.ts checks this against
 * the analysis). `over` replaces any field. Fields that follow from others follow the given ones
 * unless given too, so that the result stays one a capture could produce: the response frame
 * comes after the query frame, the response time after the latency, the answer from the name,
 * type and rcode, the hosts from the endpoints.
 */
export function transactionWith(over: Partial<Transaction> = {}): Transaction {
  const name = given(over.name, DEFAULT_NAME);
  const type = given(over.type, 'A');
  const rcode = given(over.rcode, 'NOERROR');
  const latencyMs = given(over.latencyMs, 0.4);
  const queryFrame = given(over.queryFrame, 1);
  const queryTimeUs = given(over.queryTimeUs, DEFAULT_QUERY_TIME_US);
  const answered = latencyMs !== null;
  const answers = over.answers ?? answersTo(name, type, rcode);
  const client = over.client ?? `${DEFAULT_CLIENT_HOST}:40000`;
  const server = over.server ?? '10.96.0.10:53';
  return {
    id: 1,
    client,
    server,
    clientHost: hostOf(client),
    serverHost: hostOf(server),
    transport: 'udp',
    name,
    type,
    rcode,
    latencyMs,
    latencyFromLastMs: latencyMs,
    queryFrame,
    responseFrame: answered && queryFrame !== null ? queryFrame + 1 : null,
    status: 'answered',
    queryTimeUs,
    responseTimeUs: answered && queryTimeUs !== null ? queryTimeUs + latencyMs * 1000 : null,
    lastSendUs: queryTimeUs,
    retransmissionFrames: [],
    duplicateResponseFrames: [],
    answers,
    answerCount: answers.length,
    flags: { ...RESOLVER_FLAGS },
    retryOf: null,
    retryReason: null,
    retriedBy: null,
    icmpFrame: null,
    copyFrames: [],
    natServer: null,
    ...over,
  };
}

/** An explicit null in `over` is kept; only a field left out takes the default. */
export function given<T>(value: T | undefined, otherwise: T): T {
  return value === undefined ? otherwise : value;
}

/** One address from the documentation ranges (RFC 5737, RFC 3849) for a positive A or AAAA answer. */
function answersTo(name: string | null, type: string | null, rcode: string | null): DnsRecord[] {
  if (rcode !== 'NOERROR' || name === null) return [];
  if (type === 'A') return [{ name, type, class: 'IN', ttl: 5, data: '192.0.2.1' }];
  if (type === 'AAAA') return [{ name, type, class: 'IN', ttl: 5, data: '2001:db8::1' }];
  return [];
}

/** A transaction as a report writes it: without the hosts, which only the analysis keeps. */
export function asWritten(tx: Transaction): Omit<Transaction, 'clientHost' | 'serverHost'> {
  const { clientHost: _clientHost, serverHost: _serverHost, ...written } = tx;
  return written;
}
