import { MUSL_SERVFAIL_SENDS } from './analysis-limits.js';

/**
 * What resolvers do after an answer's rcode, as the lab measured them (fixtures/*refused*,
 * *servfail*): one definition of each rule, for the pairer that links the retries, the lookup's
 * end and walk, and the findings that count them, so that none of them can disagree.
 */

/**
 * SERVFAIL or REFUSED: the client asks the question again, of the same server or the next (glibc
 * with the same id, Go with a new one), or, musl, of every server at once and again a round later.
 */
export function askedAgainAfter(rcode: string | null): boolean {
  return rcode === 'SERVFAIL' || rcode === 'REFUSED';
}

/** An answer a resolver takes and stops asking the question at: any rcode but those. */
export function takenAnswer(rcode: string | null): boolean {
  return rcode !== null && !askedAgainAfter(rcode);
}

/**
 * glibc gives the rest of the search list up and asks the name as written after a step answered
 * anything but NXDOMAIN, NOERROR (NODATA) or SERVFAIL: REFUSED, say (fixtures/refused.pcap).
 */
export function endsSearchList(rcode: string | null): boolean {
  return rcode !== null && rcode !== 'NXDOMAIN' && rcode !== 'NOERROR' && rcode !== 'SERVFAIL';
}

/**
 * Whether `sends` of one question (same id and socket) answered `rcode` may be musl's chain,
 * which it asks again a retry interval later (see MUSL_SERVFAIL_SENDS): the pairer keeps such an
 * answer open for that round, and a lookup whose last step ends so waits musl's interval out.
 * musl ignores a REFUSED and asks again only at its next round, so any REFUSED may be one.
 */
export function mayBeMuslChain(rcode: string | null, sends: number): boolean {
  return rcode === 'REFUSED' ? sends >= 1 : rcode === 'SERVFAIL' && sends >= MUSL_SERVFAIL_SENDS;
}
