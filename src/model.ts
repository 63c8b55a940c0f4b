/**
 * The types at the seams of the pipeline (DESIGN.md):
 *   input → Frame | DnsMessage → decode → DnsMessage → analyze → Transaction, Lookup,
 *   ResolverProfile, Finding → Report → report renderers.
 * Every stage imports this file and nothing upstream of it.
 */

/** The formats dnstrace reads; sniffed from the first bytes of the input. */
export type InputFormat = 'pcap' | 'pcapng' | 'text';

export type Transport = 'udp' | 'tcp';

/** One captured packet, as libpcap or pcapng stored it. */
export interface Frame {
  /** 1-based, counted the way tshark and Wireshark count. */
  number: number;
  /** Capture time in microseconds since the Unix epoch (fractional for nanosecond captures). */
  timeUs: number;
  /** LINKTYPE_* value of the interface the frame came from. */
  linkType: number;
  /** The captured bytes (may be shorter than originalLength when the snaplen cut it). */
  data: Uint8Array;
  originalLength: number;
}

export interface DnsQuestion {
  /** Presentation form without the trailing dot, lower-cased; "" is the root. */
  name: string;
  /** Mnemonic such as "A", "AAAA", "HTTPS", or "TYPE65534" for an unknown type. */
  type: string;
  class: string;
}

export interface DnsRecord {
  name: string;
  type: string;
  class: string;
  /** null where the input does not show it (tcpdump text below -vv). */
  ttl: number | null;
  /** Presentation form of the record data: "172.67.165.72", "blog.mosuke.tech" (no trailing dot), ... */
  data: string;
}

export interface DnsFlags {
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
}

export interface SectionCounts {
  qd: number;
  an: number;
  ns: number;
  ar: number;
}

/** One DNS message seen on the wire (a capture) or in a text line (tcpdump output). */
export interface DnsMessage {
  /** Frame number in a capture, line number in tcpdump text. */
  frame: number;
  timeUs: number;
  /** "addr:port", "[v6addr]:port" for IPv6. Text with resolved names keeps the names. */
  src: string;
  dst: string;
  /**
   * The host of `src` and of `dst`: "10.0.0.1" of "10.0.0.1:53", "fd00::1" of "[fd00::1]:53", the
   * name of a resolved "pod-a.ns.svc:41000". Set by the reader that made the endpoints, which
   * knows the host already, as one string object per host (maps keyed by host then compare keys
   * by identity and hash each host once).
   */
  srcHost: string;
  dstHost: string;
  transport: Transport;
  id: number;
  isResponse: boolean;
  /** "QUERY", "NOTIFY", "UPDATE", ... or "OPCODE<n>". */
  opcode: string;
  flags: DnsFlags;
  /** Response code including the EDNS extended bits: "NOERROR", "NXDOMAIN", "BADVERS", "RCODE<n>". */
  rcode: string;
  /** First question; null when the input does not show it (a tcpdump response below -vv). */
  question: DnsQuestion | null;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
  /**
   * false when the input shows only the counts and not the records themselves (tcpdump text
   * below -vv prints answers but not the authority and additional sections).
   */
  sectionsComplete: boolean;
  counts: SectionCounts;
  /** DNS message length in bytes (without the TCP length prefix). */
  size: number;
  /** EDNS UDP payload size when an OPT record is present. */
  ednsUdpSize: number | null;
}

/** The DNS content of a message, without where and when it was seen: what a decoder reads. */
export type DnsContent = Pick<
  DnsMessage,
  'id' | 'isResponse' | 'opcode' | 'flags' | 'rcode' | 'question' | 'answers' | 'authorities' | 'additionals' | 'counts' | 'ednsUdpSize'
>;

/** Bad input, counted and reported, never fatal. */
export interface Anomaly {
  /** Stable kebab-case code, e.g. "dns-malformed", "pcap-truncated-record", "text-unparsed-line". */
  code: string;
  /** Frame or line number; null for anomalies of the file as a whole. */
  frame: number | null;
  detail: string;
}

/** What happened to every frame (or text line); the counts always add up to `frames`. */
export interface FrameAccounting {
  frames: number;
  dns: number;
  notDns: number;
  malformed: number;
  truncated: number;
  unsupportedLinkType: number;
  ipFragmentsPending: number;
}

export type TransactionStatus =
  | 'answered'
  | 'answered-after-retry'
  | 'unanswered'
  | 'unanswered-near-capture-end'
  | 'unsolicited-response'
  /**
   * A response from an address its query was not sent to, which the client did not take: it sent
   * the query again (glibc and musl drop such answers), asked with a new id, or its host refused
   * the response with an ICMP error (Go's connected sockets). A transaction of its own, as an
   * unsolicited response is (no query frame), with the query's server as `server` and the address
   * the response came from as `natServer`; the query's own transaction goes on without it.
   */
  | 'ignored-response'
  | 'truncated-retried-tcp'
  /** The query drew an ICMP port unreachable (nothing listening at the server). */
  | 'unreachable';

/**
 * Why a client sent a query again as a new transaction (new id, new socket, next server or TCP):
 * `servfail` and `refused` name the answer it asked again after.
 */
export type RetryReason = 'timeout' | 'servfail' | 'refused' | 'icmp-unreachable' | 'truncated' | 'failover';

export interface Transaction {
  /** DNS id. */
  id: number;
  client: string;
  server: string;
  /**
   * The hosts of `client` and `server` (DnsMessage.srcHost and dstHost), for the analysis, which
   * counts clients and servers by host. Not written to reports; a report read back gets them from
   * the endpoints.
   */
  clientHost: string;
  serverHost: string;
  transport: Transport;
  /** Queried name, lower-cased, no trailing dot; null only for an unsolicited response without a question. */
  name: string | null;
  type: string | null;
  rcode: string | null;
  /** From the first send to the response; null when unanswered. */
  latencyMs: number | null;
  /** From the last send (retransmission) to the response; equals latencyMs when never resent. */
  latencyFromLastMs: number | null;
  queryFrame: number | null;
  responseFrame: number | null;
  status: TransactionStatus;
  queryTimeUs: number | null;
  responseTimeUs: number | null;
  /** Time of the last send of this query (the original or its last retransmission). */
  lastSendUs: number | null;
  /** Frames of further sends of the same query (same id re-sent). */
  retransmissionFrames: number[];
  /** Frames of extra responses to the same query. */
  duplicateResponseFrames: number[];
  answers: DnsRecord[];
  /** A response was seen but the input does not show its records (counts only). */
  answerCount: number;
  flags: DnsFlags | null;
  /** Query frame of the transaction this one retries (dig's new id, glibc's new socket or next server, TCP after TC). */
  retryOf: number | null;
  retryReason: RetryReason | null;
  /** Query frame of the transaction that retried this one. */
  retriedBy: number | null;
  /** Frame of an ICMP port unreachable about this query (or about its response, when the client had closed its socket). */
  icmpFrame: number | null;
  /** Frames of the same packet seen again (`-i any` veth and eth0 copies, pre- and post-DNAT copies): counted once. */
  copyFrames: number[];
  /** The server the query reached after DNAT (a Service IP rewritten to a pod), when both copies were captured. */
  natServer: string | null;
}

/**
 * How a lookup ended: its final step's answer, or `timeout` when that step's queries went
 * unanswered, or `unreachable` when every one of them drew an ICMP unreachable (a dead server:
 * the application is told at once, and glibc gives up the rest of the search list).
 */
export type LookupOutcome = 'answered' | 'nxdomain' | 'nodata' | 'servfail' | 'timeout' | 'unreachable' | 'refused' | 'error';

export type LookupKind = 'externalname' | 'autopath' | 'cname' | 'search-expansion' | 'direct';

export interface LookupAttempt {
  name: string;
  type: string;
  rcode: string | null;
  /** The search suffix appended for this attempt; null for the name as written. */
  suffix: string | null;
  latencyMs: number | null;
  /** Milliseconds from the lookup's first query to this attempt's first send. */
  offsetMs: number;
  queryFrame: number | null;
  responseFrame: number | null;
  /** Could not have helped: a suffix attempt that came back negative. */
  wasted: boolean;
}

export interface Lookup {
  /** The client host ("10.0.0.5", "fd00::5"): a lookup spans the sockets of its attempts. */
  client: string;
  /** The name as the application wrote it (without search suffix). */
  name: string;
  types: string[];
  attempts: LookupAttempt[];
  queries: number;
  wastedQueries: number;
  /** The name that produced the final answer. */
  answeredName: string | null;
  /** The search suffix that answered; null for the bare name (or no answer). */
  suffix: string | null;
  outcome: LookupOutcome;
  kind: LookupKind;
  /** CNAME target of the answer, if any. */
  cname: string | null;
  /** Addresses in the final answer. */
  addresses: string[];
  /** First query to final answer (or last attempt when none answered). */
  elapsedMs: number;
  /** Time spent on attempts that could not help. */
  wastedMs: number;
  /** What the same lookup would have cost as a fully qualified name: queries and milliseconds. */
  fqdnQueries: number;
  fqdnMs: number | null;
  firstFrame: number | null;
  lastFrame: number | null;
  startUs: number;
  /** Search suffixes tried, in the order the resolver tried them. */
  suffixesTried: string[];
  /** Sends beyond one per attempt: same-id retransmissions and new-id retries. */
  retries: number;
}

export type AaaaMode = 'parallel' | 'serial' | 'serial-reopen' | 'a-only';

export interface ResolverProfile {
  client: string;
  searchList: string[];
  ndots: number | null;
  namespace: string | null;
  clusterDomain: string | null;
  nameservers: string[];
  /** How A and AAAA of one step leave: together on one socket, one after the other (single-request), on two sockets (single-request-reopen), or A only. */
  aaaaMode: AaaaMode | null;
  /** Resolver timeout in ms, from the gap before a retransmission; null when nothing was resent. */
  timeoutMs: number | null;
  /** Most sends of one query to one server seen (glibc's attempts). */
  attempts: number | null;
  /** Where each value came from: "inferred from …" or "given on the command line". */
  sources: Record<string, string>;
}

export interface Finding {
  kind: string;
  title: string;
  /** One sentence of what was seen, with numbers. */
  summary: string;
  /** Frame (or line) numbers that show it. */
  evidence: number[];
  impact: { queries: number; ms: number };
  remedy: string;
  /** A ready-to-paste snippet, when there is one. */
  snippet: string | null;
}

export interface Summary {
  frames: number;
  dnsMessages: number;
  queries: number;
  responses: number;
  transactions: number;
  unanswered: number;
  malformed: number;
  lookups: number;
  wastedQueries: number;
  frameAccounting: FrameAccounting;
  firstTimeUs: number | null;
  lastTimeUs: number | null;
  /** Text lines that are not DNS (noise such as "listening on", prompts); 0 for captures. */
  ignoredLines: number;
}

export interface Report {
  schemaVersion: 1;
  input: { format: InputFormat; source: string; linkTypes: number[] };
  summary: Summary;
  transactions: Transaction[];
  lookups: Lookup[];
  resolvers: ResolverProfile[];
  findings: Finding[];
  anomalies: Anomaly[];
  warnings: string[];
  /**
   * Precomputed tables for the renderers (issue 6). Always set by analyze(); absent in a JSON
   * report written before it existed, which `dnstrace diff` may read back.
   */
  aggregates?: Aggregates;
  /** ICMP destination-unreachable errors about DNS datagrams (captures and tcpdump text; absent when none). */
  icmpUnreachable?: IcmpUnreachable[];
}

/**
 * Where stages put what went wrong with the input. Anomalies are per frame or line; warnings are
 * about the input as a whole (a capture cut off mid-record). Collected by the pipeline.
 */
export interface Diagnostics {
  anomaly(a: Anomaly): void;
  warn(message: string): void;
}

// ---- Report aggregates (issue 6) ---------------------------------------------------------------
// Numbers the renderers show but must not compute themselves (DESIGN.md: src/report/ never
// computes a number). Built by src/analyze/build-aggregates.ts. They let a report of a
// 100,000-lookup capture stay short: one row per distinct walk or name, not per lookup.

/** Latency of one server's answered transactions, nearest-rank percentiles in milliseconds. */
export interface ServerLatency {
  server: string;
  transactions: number;
  answered: number;
  unanswered: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** One name as the application wrote it, with what its search-path walks cost in all. */
export interface WastedName {
  name: string;
  lookups: number;
  queries: number;
  wastedQueries: number;
  wastedMs: number;
}

/** Lookups that took exactly the same walk (same name, attempts, answers): one row with a count. */
export interface WalkGroup {
  name: string;
  /** The attempts as "name TYPE RCODE" steps, in order. */
  steps: string[];
  outcome: LookupOutcome;
  lookups: number;
  clients: number;
  queries: number;
  wastedQueries: number;
  totalMs: number;
  maxMs: number;
  /** Index in Report.lookups of the slowest lookup of the group (the example shown). */
  example: number;
}

export interface Aggregates {
  /** Distinct client hosts and server endpoints seen in transactions. */
  clients: number;
  servers: number;
  /** Anomalies per code, most frequent first. */
  anomalyCounts: { code: string; count: number }[];
  serverLatency: ServerLatency[];
  wastedNames: WastedName[];
  walkGroups: WalkGroup[];
  /** The slowest lookups, slowest first (at most 10), with each attempt's start. */
  slowestLookups: LookupTimeline[];
  /**
   * The side-by-side comparison: the first answered search-path walk and the first direct hit
   * (ExternalName, else autopath), as indexes in Report.lookups; null when there is none.
   */
  comparison: { walk: number | null; direct: number | null };
  /**
   * Every lookup the tables above point at (walk examples, slowest lookups, the comparison), by
   * its index in Report.lookups, in index order: a report streamed to its output keeps no
   * other lookup in memory, and a JSON reader finds them here without the whole list.
   */
  shownLookups: { index: number; lookup: Lookup }[];
}

export interface LookupTimeline {
  /** Index in Report.lookups. */
  lookup: number;
  /** Per attempt, in order: milliseconds from the lookup's first query to this attempt's query. */
  offsetsMs: (number | null)[];
}

/**
 * An ICMP or ICMPv6 destination-unreachable error that quotes a DNS datagram: the server (or a
 * router on the way) refused the query, and glibc moves on to the next nameserver at once. The
 * analysis links it to the query it answers by client, server and DNS id.
 */
export interface IcmpUnreachable {
  frame: number;
  timeUs: number;
  /** Address of the host that sent the ICMP error. */
  reporter: string;
  /**
   * The quoted datagram's source: "addr:port" or "[v6addr]:port", as in DnsMessage.src; only the
   * host when tcpdump text without -v cannot tell which query was refused (dnsId is then null).
   */
  client: string;
  /** The quoted datagram's destination. */
  server: string;
  transport: Transport;
  /** ICMP (type 3) or ICMPv6 (type 1) code: 3 resp. 4 is "port unreachable". */
  code: number;
  /** DNS id of the quoted query; null when the quote stops before it (RFC 792 quotes only 8 bytes). */
  dnsId: number | null;
}
