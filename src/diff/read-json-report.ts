import { InputError } from '../input/input-error.js';
import { hostOf } from '../host-of-endpoint.js';
import type {
  AaaaMode,
  Aggregates,
  Anomaly,
  DnsFlags,
  DnsRecord,
  Finding,
  FrameAccounting,
  IcmpUnreachable,
  InputFormat,
  Lookup,
  LookupAttempt,
  LookupKind,
  LookupOutcome,
  LookupTimeline,
  Report,
  ResolverProfile,
  RetryReason,
  ServerLatency,
  Summary,
  Transaction,
  TransactionStatus,
  Transport,
  WalkGroup,
  WastedName,
} from '../model.js';

/**
 * Reads a JSON report that `dnstrace analyze --format json` wrote and gives the Report back,
 * after checking every field the contract (schemaVersion 1, src/model.ts) promises. The file is
 * as untrusted as a capture: a hand-edited or foreign JSON file is refused with the path of the
 * first field that is wrong, never half-read. Fields added by a later dnstrace are kept.
 */
export function readJsonReport(text: string, source: string): Report {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new InputError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (isObject(value) && value.kind === 'dnstrace-diff') {
    throw new InputError(`${source}: a dnstrace diff, not a report: give the captures, or reports from dnstrace analyze --format json`);
  }
  if (!isObject(value) || !('schemaVersion' in value)) {
    throw new InputError(`${source}: JSON, but not a report written by dnstrace analyze --format json`);
  }
  if (value.schemaVersion !== 1) {
    throw new InputError(`${source}: dnstrace report schemaVersion ${JSON.stringify(value.schemaVersion)} is not supported (this dnstrace reads 1)`);
  }
  try {
    checkReport(value, 'report');
  } catch (e) {
    if (e instanceof ShapeError) throw new InputError(`${source}: not a valid dnstrace report: ${e.message}`);
    throw e;
  }
  const report = value as unknown as Report;
  for (const t of report.transactions) {
    t.clientHost = hostOf(t.client);
    t.serverHost = hostOf(t.server);
  }
  return report;
}

class ShapeError extends Error {}

type Check = (v: unknown, path: string) => void;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(path: string, want: string, v: unknown): never {
  const got = v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
  throw new ShapeError(`${path} must be ${want}, not ${got}`);
}

const str: Check = (v, p) => {
  if (typeof v !== 'string') fail(p, 'a string', v);
};
const num: Check = (v, p) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(p, 'a number', v);
};
const count: Check = (v, p) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(p, 'a whole number', v);
};
const bool: Check = (v, p) => {
  if (typeof v !== 'boolean') fail(p, 'true or false', v);
};
const nullable =
  (check: Check): Check =>
  (v, p) => {
    if (v !== null) check(v, p);
  };
/** A field a report may leave out (the model marks it optional). */
const optional =
  (check: Check): Check =>
  (v, p) => {
    if (v !== undefined) check(v, p);
  };
const arrayOf =
  (check: Check): Check =>
  (v, p) => {
    if (!Array.isArray(v)) fail(p, 'an array', v);
    v.forEach((x, i) => check(x, `${p}[${i}]`));
  };
const oneOf =
  (...allowed: readonly (string | number)[]): Check =>
  (v, p) => {
    if (!allowed.includes(v as string | number)) fail(p, `one of ${allowed.join(', ')}`, v);
  };
const recordOf =
  (check: Check): Check =>
  (v, p) => {
    if (!isObject(v)) fail(p, 'an object', v);
    for (const [k, x] of Object.entries(v)) check(x, `${p}.${k}`);
  };
/** The mapped type makes the compiler demand a check for every field of T. */
function objectOf<T>(shape: { [K in keyof T]-?: Check }): Check {
  return (v, p) => {
    if (!isObject(v)) fail(p, 'an object', v);
    for (const [k, check] of Object.entries(shape) as [string, Check][]) check(v[k], `${p}.${k}`);
  };
}

/**
 * The values of each union in the model. A Record keyed by the union makes the compiler demand
 * every member, so a value added to model.ts cannot be refused here by omission.
 */
const TRANSPORTS: Record<Transport, true> = { udp: true, tcp: true };
const FORMATS: Record<InputFormat, true> = { pcap: true, pcapng: true, text: true };
const STATUSES: Record<TransactionStatus, true> = {
  answered: true,
  'answered-after-retry': true,
  unanswered: true,
  'unanswered-near-capture-end': true,
  'unsolicited-response': true,
  'ignored-response': true,
  'truncated-retried-tcp': true,
  unreachable: true,
};
const RETRY_REASONS: Record<RetryReason, true> = { timeout: true, servfail: true, refused: true, 'icmp-unreachable': true, truncated: true, failover: true };
const AAAA_MODES: Record<AaaaMode, true> = { parallel: true, serial: true, 'serial-reopen': true, 'a-only': true };
const OUTCOMES: Record<LookupOutcome, true> = { answered: true, nxdomain: true, nodata: true, servfail: true, timeout: true, unreachable: true, refused: true, error: true };
const KINDS: Record<LookupKind, true> = { externalname: true, autopath: true, cname: true, 'search-expansion': true, direct: true };
const member = (values: Record<string, true>) => oneOf(...Object.keys(values));

const record = objectOf<DnsRecord>({ name: str, type: str, class: str, ttl: nullable(num), data: str });
const flags = objectOf<DnsFlags>({ aa: bool, tc: bool, rd: bool, ra: bool, ad: bool, cd: bool });
const frame = nullable(count);

// The hosts are the analysis's, not the report's: made from the endpoints once read.
const transaction = objectOf<Omit<Transaction, 'clientHost' | 'serverHost'>>({
  id: count,
  client: str,
  server: str,
  transport: member(TRANSPORTS),
  name: nullable(str),
  type: nullable(str),
  rcode: nullable(str),
  latencyMs: nullable(num),
  latencyFromLastMs: nullable(num),
  queryFrame: frame,
  responseFrame: frame,
  status: member(STATUSES),
  queryTimeUs: nullable(num),
  responseTimeUs: nullable(num),
  retransmissionFrames: arrayOf(count),
  duplicateResponseFrames: arrayOf(count),
  answers: arrayOf(record),
  answerCount: count,
  flags: nullable(flags),
  lastSendUs: nullable(num),
  retryOf: frame,
  retryReason: nullable(member(RETRY_REASONS)),
  retriedBy: frame,
  icmpFrame: frame,
  copyFrames: arrayOf(count),
  natServer: nullable(str),
});

const attempt = objectOf<LookupAttempt>({
  // Absent in reports written before it existed.
  offsetMs: optional(num),
  name: str,
  type: str,
  rcode: nullable(str),
  suffix: nullable(str),
  latencyMs: nullable(num),
  queryFrame: frame,
  responseFrame: frame,
  wasted: bool,
});

const lookup = objectOf<Lookup>({
  client: str,
  name: str,
  types: arrayOf(str),
  attempts: arrayOf(attempt),
  queries: count,
  wastedQueries: count,
  answeredName: nullable(str),
  suffix: nullable(str),
  outcome: member(OUTCOMES),
  kind: member(KINDS),
  cname: nullable(str),
  addresses: arrayOf(str),
  elapsedMs: num,
  wastedMs: num,
  fqdnQueries: count,
  fqdnMs: nullable(num),
  firstFrame: frame,
  lastFrame: frame,
  startUs: num,
  suffixesTried: arrayOf(str),
  retries: count,
});

const profile = objectOf<ResolverProfile>({
  client: str,
  searchList: arrayOf(str),
  ndots: nullable(count),
  namespace: nullable(str),
  clusterDomain: nullable(str),
  nameservers: arrayOf(str),
  aaaaMode: nullable(member(AAAA_MODES)),
  timeoutMs: nullable(num),
  attempts: nullable(count),
  sources: recordOf(str),
});

const finding = objectOf<Finding>({
  kind: str,
  title: str,
  summary: str,
  evidence: arrayOf(count),
  impact: objectOf<Finding['impact']>({ queries: count, ms: num }),
  remedy: str,
  snippet: nullable(str),
});

const anomaly = objectOf<Anomaly>({ code: str, frame, detail: str });

const accounting = objectOf<FrameAccounting>({
  frames: count,
  dns: count,
  notDns: count,
  malformed: count,
  truncated: count,
  unsupportedLinkType: count,
  ipFragmentsPending: count,
});

const icmp = objectOf<IcmpUnreachable>({
  frame: count,
  timeUs: num,
  reporter: str,
  client: str,
  server: str,
  transport: member(TRANSPORTS),
  code: count,
  dnsId: nullable(count),
});

const summary = objectOf<Summary>({
  frames: count,
  dnsMessages: count,
  queries: count,
  responses: count,
  transactions: count,
  unanswered: count,
  malformed: count,
  lookups: count,
  wastedQueries: count,
  frameAccounting: accounting,
  firstTimeUs: nullable(num),
  lastTimeUs: nullable(num),
  ignoredLines: count,
});

// Report.aggregates (issue 6): the renderers' precomputed tables; absent in older reports.
const serverLatency = objectOf<ServerLatency>({
  server: str,
  transactions: count,
  answered: count,
  unanswered: count,
  p50Ms: nullable(num),
  p90Ms: nullable(num),
  p99Ms: nullable(num),
  maxMs: nullable(num),
});
const wastedName = objectOf<WastedName>({ name: str, lookups: count, queries: count, wastedQueries: count, wastedMs: num });
const walkGroup = objectOf<WalkGroup>({
  name: str,
  steps: arrayOf(str),
  outcome: member(OUTCOMES),
  lookups: count,
  clients: count,
  queries: count,
  wastedQueries: count,
  totalMs: num,
  maxMs: num,
  example: count,
});
const aggregates = objectOf<Aggregates>({
  clients: count,
  servers: count,
  anomalyCounts: arrayOf(objectOf<Aggregates['anomalyCounts'][number]>({ code: str, count })),
  serverLatency: arrayOf(serverLatency),
  wastedNames: arrayOf(wastedName),
  walkGroups: arrayOf(walkGroup),
  slowestLookups: arrayOf(objectOf<LookupTimeline>({ lookup: count, offsetsMs: arrayOf(nullable(num)) })),
  // Absent in reports written before the report was streamed.
  comparison: optional(objectOf<Aggregates['comparison']>({ walk: nullable(count), direct: nullable(count) })),
  shownLookups: optional(arrayOf(objectOf<Aggregates['shownLookups'][number]>({ index: count, lookup }))),
});

const checkReport = objectOf<Report>({
  schemaVersion: oneOf(1),
  input: objectOf<Report['input']>({ format: member(FORMATS), source: str, linkTypes: arrayOf(count) }),
  summary,
  transactions: arrayOf(transaction),
  lookups: arrayOf(lookup),
  resolvers: arrayOf(profile),
  findings: arrayOf(finding),
  anomalies: arrayOf(anomaly),
  warnings: arrayOf(str),
  icmpUnreachable: optional(arrayOf(icmp)),
  aggregates: optional(aggregates),
});
