/**
 * Bounds of the analysis' open state, and the time windows its heuristics use. Open state is what
 * lets memory stay flat on a capture of any length (DESIGN.md, "Streaming"); when a bound is hit
 * the oldest entry is closed early and the run reports it, it never fails.
 */

/**
 * Queries still waiting for their response (or for their deadline). A query stays open at most
 * timeout + grace (about 6 s); 200 000 covers 33 000 lost queries a second, far beyond any real
 * resolver, at roughly 100 MB.
 */
export const MAX_OPEN_TRANSACTIONS = 200_000;

/**
 * Queries open at once with one id on one client socket (transport, address, port): what each
 * new query and each response is compared with. glibc, musl and dig pick a new id for every
 * query, so more than a handful means a broken or crafted client; without a bound, 20000 such
 * queries took minutes (issue 8). Past it the oldest of them is closed early, and reported.
 */
export const MAX_OPEN_PER_SOCKET_ID = 64;

/** Lookups still open (a walk in progress). A lookup closes about 1 s after its last step. */
export const MAX_OPEN_LOOKUPS = 100_000;

/** Clients whose resolver profile is tracked; a node-wide capture sees one per pod. */
export const MAX_CLIENTS = 50_000;

/**
 * Recent query names kept per client to see a search list being walked. A glibc walk is at most
 * 6 suffixes + the name as written; 64 names cover about 8 walks interleaved by threads.
 */
export const RECENT_NAMES_PER_CLIENT = 64;

/**
 * A resolver resends when its timer fires; the resend leaves a few ms after the deadline. A query
 * is kept this much past its deadline so that the resend still joins it.
 */
export const DEADLINE_GRACE_US = 1_000_000;

/**
 * An answered transaction stays open this long to catch a duplicate response, a TCP retry after TC,
 * a SERVFAIL retry from a new socket or an ICMP about its response: glibc and dig do all of these at once.
 */
export const ANSWERED_LINGER_US = 1_000_000;

/**
 * A query that drew an ICMP unreachable stays open this long, for the client's next send of it
 * to link to as its retry. The error is what makes the client send again, so that send leaves at
 * once: in the lab glibc failed over to the next nameserver within 3 ms, and glibc's second try
 * and dig's next try at a dead only nameserver left within 1 ms (fixtures/dead-nameserver*.pcap,
 * dead-only-nameserver.pcap). A tenth of the answered linger: during an incident every query to
 * a dead node-local cache draws one, and each one kept open a full second costs memory.
 */
export const ICMP_LINGER_US = 100_000;

/**
 * Two copies of one packet (`-i any` sees it on the veth and on eth0; DNAT shows it before and after
 * the rewrite) are microseconds apart; a real resend is at least a timeout (1 s minimum in glibc) apart.
 */
export const COPY_WINDOW_US = 10_000;

/**
 * Go's resolver asks a question again after SERVFAIL or REFUSED with a new id from a new socket,
 * at once (fixtures/go-servfail.pcap: 0.2-0.3 ms after the answer), once per server and attempt.
 * A query of the question with a new id is such a re-ask only this soon after the answer, and
 * only after the first send: an application asking again once its lookup failed comes after its
 * resolver's own re-ask (glibc's getaddrinfo in a loop: 0.2 ms after glibc re-asked with the
 * same id) or later (dig run again: 27-30 ms).
 */
export const NEW_ID_REASK_US = 10_000;

/**
 * Go tries each server this many times in turn (resolv.conf's `attempts`, 2 unless set, as in a
 * pod's): a chain of its new-id tries is at most this many sends per server it went to. With two
 * servers failing each query goes to s1, s2, s1, s2 (fixtures/go-servfail-two.pcap); an
 * application's next lookup, asking at once, comes after that.
 */
export const REASK_ATTEMPTS = 2;

/**
 * musl asks a query that drew SERVFAIL again at once, same id and socket, twice per nameserver,
 * and again a timeout later (timeout over attempts: 2.5 s unless set) until its time is up
 * (fixtures/musl-servfail.pcap); glibc asks it once again, or attempts-1 times with `options
 * attempts:N` (fixtures/servfail-attempts3.pcap). A same-id chain of this many sends may be
 * musl's: its SERVFAIL answer stays open until the deadline an unanswered query would have, for
 * the later round to join it (glibc's chain only lingers longer). Only then: every SERVFAIL kept
 * that long made the 1M upstream-down capture peak at 176 MB instead of 146 MB. Only rounds a
 * retry interval apart (summarise-lookup.ts) make the lookup wait musl's interval out. A REFUSED
 * answer always stays open so: musl ignores REFUSED and asks again only at its next round, the
 * same id and socket (fixtures/musl-refused.pcap); a server refusing a whole node is rare enough
 * not to weigh on memory.
 */
export const MUSL_SERVFAIL_SENDS = 3;

/**
 * Go sends a step's A and AAAA from two sockets tens of microseconds apart (the lab's go-*.pcap):
 * the other type of a question from another socket this soon, before any answer, marks a client
 * whose chains of tries REASK_ATTEMPTS bounds.
 */
export const PAIR_GAP_US = 10_000;

/** A new-id resend of an unanswered question counts as a retry only after this gap (glibc and dig time out after 1 s at least). */
export const RETRY_MIN_GAP_US = 900_000;

/**
 * The next step of a walk leaves as soon as the previous one was answered or given up on; a lookup
 * with nothing in flight that saw no new step for this long is finished.
 */
export const STEP_GAP_US = 1_000_000;
