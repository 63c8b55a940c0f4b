import type { Lookup, LookupAttempt } from '../src/model.js';
import { DEFAULT_CLIENT_HOST, DEFAULT_NAME, DEFAULT_QUERY_TIME_US, given } from './transaction-with.js';

/**
 * One attempt of a lookup: by default DEFAULT_NAME as written, type A, answered NOERROR in 0.4 ms
 * at the lookup's start, query at frame 1 and response at the frame after the query.
 */
export function attemptWith(over: Partial<LookupAttempt> = {}): LookupAttempt {
  const queryFrame = given(over.queryFrame, 1);
  return {
    name: DEFAULT_NAME,
    type: 'A',
    rcode: 'NOERROR',
    suffix: null,
    latencyMs: 0.4,
    offsetMs: 0,
    queryFrame,
    responseFrame: queryFrame === null ? null : queryFrame + 1,
    wasted: false,
    ...over,
  };
}

/**
 * A lookup as the lookup builder would give it, for tests that feed later stages directly: by
 * default DEFAULT_NAME asked by the host DEFAULT_CLIENT_HOST as written (no search suffix), one
 * A query answered with one address in 0.4 ms at frames 1 and 2 (transactionWith's defaults).
 * `over` replaces any field. Fields that follow from others follow the given ones unless given
 * too: the one attempt from the name, the elapsed time and the frames; the types and query
 * counts from the attempts; the answered name and addresses from the outcome; the cost as a
 * fully qualified name from the elapsed time.
 */
export function lookupWith(over: Partial<Lookup> = {}): Lookup {
  const name = over.name ?? DEFAULT_NAME;
  const elapsedMs = over.elapsedMs ?? 0.4;
  const firstFrame = given(over.firstFrame, 1);
  const lastFrame = given(over.lastFrame, firstFrame === null ? null : firstFrame + 1);
  const attempts = over.attempts ?? [attemptWith({ name, latencyMs: elapsedMs, queryFrame: firstFrame, responseFrame: lastFrame })];
  const answered = (over.outcome ?? 'answered') === 'answered';
  return {
    client: DEFAULT_CLIENT_HOST,
    name,
    types: [...new Set(attempts.map((a) => a.type))],
    attempts,
    queries: attempts.length,
    wastedQueries: attempts.filter((a) => a.wasted).length,
    answeredName: answered ? name : null,
    suffix: null,
    outcome: 'answered',
    kind: 'direct',
    cname: null,
    addresses: answered ? ['192.0.2.1'] : [],
    elapsedMs,
    wastedMs: 0,
    fqdnQueries: 1,
    fqdnMs: elapsedMs,
    firstFrame,
    lastFrame,
    startUs: DEFAULT_QUERY_TIME_US,
    suffixesTried: [],
    retries: 0,
    ...over,
  };
}
