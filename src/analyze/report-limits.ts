/**
 * Bounds of what the findings and the report tables keep while a capture streams by (DESIGN.md,
 * "Streaming"). Each counts things that do not grow with the capture's length (distinct names,
 * walks, servers, clients): a pod resolving the same few names all day stays far below every one
 * of them. When a bound is reached the run goes on, counts what it could not keep, and says so
 * in the finding's text or in the report's warnings; it never fails and never leaves it unsaid.
 */

/**
 * Distinct names kept per finding or table (names as written, search steps, ExternalName
 * Services, "name TYPE" lists). A node-wide capture of a busy cluster asks a few thousand names;
 * each costs a few hundred bytes with its evidence frames, so 10 000 stay under about 5 MB.
 */
export const MAX_REPORT_NAMES = 10_000;

/**
 * Distinct walks in the walk table. Each keeps its example lookup (about 2 KB), so 5 000 cost
 * about 10 MB; real captures show a few hundred (names × outcomes × the order of A and AAAA).
 */
export const MAX_WALK_GROUPS = 5_000;

/**
 * Distinct clients counted per walk, all walks together: exact client counts need the set of
 * (walk, client) pairs. 15 pods × 300 walks is 4 500; 200 000 pairs are about 10 MB.
 */
export const MAX_WALK_CLIENT_PAIRS = 200_000;

/** Distinct server endpoints in the latency table and the nameserver findings: a node sees a handful. */
export const MAX_REPORT_SERVERS = 10_000;

/** Distinct client hosts counted; as many as the resolver profiles track (one per pod on a node). */
export const MAX_REPORT_CLIENTS = 50_000;

/**
 * Distinct latencies kept for the percentiles of all servers together (one count per distinct
 * microsecond, about 50 bytes each: 5 MB). Answers of 0.05 to 25 ms give at most 25 000 distinct
 * values at µs precision, so real captures stay exact; past the bound the server with the most
 * distinct values is coarsened (see latency-histogram.ts).
 */
export const MAX_LATENCY_VALUES = 100_000;

/**
 * Findings of one kind made one per lookup (a misleading NXDOMAIN) that a report lists: the ones
 * with most impact. A reader acts on the first few; the rest are counted in the last one listed.
 */
export const MAX_FINDINGS_PER_KIND = 100;

/** Evidence frames a finding lists: the first ones (smallest frame numbers), enough to open in Wireshark. */
export const EVIDENCE_FRAMES = 20;
