/**
 * The seam between `compareReports` and the diff renderers: everything `dnstrace diff` shows,
 * already computed. Renderers only format it. Its JSON form is the `--format json` contract.
 */
import type { Finding, InputFormat, LookupOutcome, ResolverProfile } from '../model.js';

export type DiffSideName = 'before' | 'after';

/** Where one side of the comparison came from. */
export interface DiffSide {
  source: string;
  /** A capture or tcpdump text analysed now, or a JSON report that dnstrace wrote earlier. */
  readFrom: 'capture' | 'json-report';
  /** The format of the capture the side was analysed from (for a JSON report: as it recorded). */
  format: InputFormat;
}

/** What the lookups of one name cost on one side. */
export interface NameStats {
  lookups: number;
  /** Mean queries sent per lookup (retransmissions count: each is a packet the server sees). */
  queriesPerLookup: number;
  wastedQueriesPerLookup: number;
  /** From the first query to the final answer (Lookup.elapsedMs), median by nearest rank. */
  waitedMedianMs: number;
  waitedP90Ms: number;
  /** Lookups per outcome. */
  outcomes: Partial<Record<LookupOutcome, number>>;
  /** Share of the lookups that got an answer, 0 to 1. */
  answeredShare: number;
}

/** The measures a name can get better or worse on. */
export type NameMeasure = 'outcome' | 'queries' | 'wastedQueries' | 'waited';

export type Verdict = 'improved' | 'regressed' | 'mixed' | 'unchanged';

/** A name the applications looked up on both sides, and how its cost changed (after − before). */
export interface NameChange {
  name: string;
  before: NameStats;
  after: NameStats;
  queriesPerLookupChange: number;
  wastedQueriesPerLookupChange: number;
  waitedMedianChangeMs: number;
  waitedP90ChangeMs: number;
  /** The mix of outcomes differs (even when the answered share does not). */
  outcomeChanged: boolean;
  better: NameMeasure[];
  worse: NameMeasure[];
  verdict: Verdict;
}

/**
 * A name the fix rewrote: looked up before as `beforeName` and after as `name`, and both reached
 * the same final name (the one that answered). The usual fix of this kind is writing the fully
 * qualified name (`kubernetes.default` → `kubernetes.default.svc.cluster.local.`). Listed apart
 * from the names looked up on both sides, and labelled, never silently merged with them.
 */
export interface RewrittenName extends NameChange {
  beforeName: string;
  /** The name that answered on both sides. */
  answeredName: string;
}

/** A name looked up on one side only: listed, never compared. */
export interface OneSidedName {
  name: string;
  stats: NameStats;
}

export interface SideTotals {
  dnsMessages: number;
  queries: number;
  lookups: number;
  /** DNS messages (queries and responses) per lookup; null when there were no lookups. */
  messagesPerLookup: number | null;
  wastedQueries: number;
  /** Queries that got a response (transactions with an rcode). */
  responses: number;
  nxdomain: number;
  /** nxdomain / responses; null when nothing was answered. */
  nxdomainShare: number | null;
  /** Queries that never got a response. */
  unanswered: number;
  /** Frames (or text lines) that could not be read: a side with many is less trustworthy. */
  malformed: number;
  /** ICMP destination-unreachable errors quoting a DNS query: a dead nameserver or port. */
  icmpUnreachable: number;
}

export interface LatencyStats {
  answered: number;
  unanswered: number;
  /** Nearest-rank percentiles of the answered queries' latency; null when none was answered. */
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** One server (address and port, as the transactions name it) and its latency on each side. */
export interface ServerLatency {
  server: string;
  before: LatencyStats | null;
  after: LatencyStats | null;
}

export type FindingSummary = Pick<Finding, 'kind' | 'title' | 'summary' | 'impact'>;

/** Findings matched by kind and title (a title names its subject, e.g. the name that walked). */
export interface FindingsDiff {
  gone: FindingSummary[];
  new: FindingSummary[];
  remaining: { before: FindingSummary; after: FindingSummary }[];
}

export type ProfileField = 'searchList' | 'ndots' | 'namespace' | 'nameservers';

/** One client's inferred resolv.conf before and after; null where the side has no such client. */
export interface ResolverPair {
  before: ResolverProfile | null;
  after: ResolverProfile | null;
  changed: ProfileField[];
}

export interface ReportDiff {
  schemaVersion: 1;
  kind: 'dnstrace-diff';
  before: DiffSide;
  after: DiffSide;
  totals: { before: SideTotals; after: SideTotals };
  /** Biggest improvements and regressions first, unchanged names last. */
  names: NameChange[];
  /** Written differently before and after, answered by the same name. */
  rewritten: RewrittenName[];
  beforeOnly: OneSidedName[];
  afterOnly: OneSidedName[];
  servers: ServerLatency[];
  findings: FindingsDiff;
  resolvers: ResolverPair[];
  /** Each side's warnings (a capture cut short), prefixed with the side. */
  warnings: string[];
}
