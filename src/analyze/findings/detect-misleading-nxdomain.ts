import type { Finding, Lookup, LookupAttempt } from '../../model.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { MAX_FINDINGS_PER_KIND } from '../report-limits.js';
import { type FindingDetector, count, roundMs } from './context.js';
import { EvidenceFrames } from './evidence-frames.js';

/**
 * glibc after a timeout (two sends unanswered) abandons the remaining suffixes and still tries the
 * name as written; after SERVFAIL it moves on. When that last try is NXDOMAIN, getaddrinfo says
 * "Name or service not known" (EAI_NONAME) although the suffix that failed may well have existed.
 * Go's own resolver walks on after SERVFAIL too and says "no such host", for A+AAAA as well.
 *
 * One finding per lookup: the MAX_FINDINGS_PER_KIND with most impact are kept (those a report
 * ranks first), the others counted in the last one listed.
 */
export class MisleadingNxdomainDetector implements FindingDetector {
  /** Ranked as detectFindings ranks findings: impact, then the order they came in. */
  private readonly kept: { finding: Finding; index: number }[] = [];
  private seen = 0;
  private dropped = 0;

  constructor(private readonly limit = MAX_FINDINGS_PER_KIND) {}

  lookup(l: Lookup, _index: number, attemptTx: AttemptTransaction): void {
    if (l.outcome !== 'nxdomain') return;
    const failed = failedAttempts(l);
    if (failed.length === 0) return;
    // Measured in the fixture lab (glibc 2.36): after SERVFAIL an A-only getaddrinfo says
    // EAI_NONAME, but an A+AAAA one says EAI_AGAIN ("try again"), which is not misleading. Go
    // (1.19, pure Go), which sends the pair from two sockets at once, says "no such host".
    if (!failed.some((a) => a.rcode === null) && l.types.includes('AAAA') && !pairOnTwoSockets(l, failed[0].name, attemptTx)) return;
    const index = this.seen++;
    const impact = { queries: l.wastedQueries, ms: roundMs(l.wastedMs) };
    const k = this.kept;
    if (k.length === this.limit && !outranks(impact, k[k.length - 1].finding.impact)) {
      this.dropped++;
      return;
    }
    const steps = [...new Set(failed.map((a) => a.name))];
    const how = failed.some((a) => a.rcode === null) ? 'timed out' : 'answered SERVFAIL';
    const skipped = failed.some((a) => a.rcode === null) ? ' The resolver then gave up the rest of the search list.' : '';
    const evidence = new EvidenceFrames();
    for (const a of l.attempts) {
      evidence.add(a.queryFrame);
      evidence.add(a.responseFrame);
    }
    const finding: Finding = {
      kind: 'misleading-nxdomain',
      title: `${FINDING_KINDS['misleading-nxdomain'].title}: ${l.name}`,
      summary:
        `The lookup of ${l.name} ended NXDOMAIN on ${l.attempts[l.attempts.length - 1].name} after ${steps.join(', ')} ${how}.${skipped} ` +
        `The application was told the name does not exist (${count(l.queries, 'query', 'queries')}, ${roundMs(l.elapsedMs)} ms), although ${steps[0]} may exist.`,
      evidence: evidence.list(),
      impact,
      remedy: `Find out why ${steps[0]} ${how} (server logs, a silent or failing upstream); the "name not found" in the application is a consequence.`,
      snippet: null,
    };
    // After every finding it does not outrank: a later one loses ties, as in a stable sort.
    let at = k.length;
    while (at > 0 && outranks(impact, k[at - 1].finding.impact)) at--;
    k.splice(at, 0, { finding, index });
    if (k.length > this.limit) {
      k.pop();
      this.dropped++;
    }
  }

  finish(): Finding[] {
    if (this.dropped > 0) {
      // On the one with least impact, which a report lists last of them.
      this.kept[this.kept.length - 1].finding.summary +=
        ` (${count(this.dropped, 'more lookup')} ended NXDOMAIN after a timeout or SERVFAIL and ${this.dropped === 1 ? 'is' : 'are'} not listed: ` +
        `a report lists the ${this.limit} with most impact.)`;
    }
    return [...this.kept].sort((a, b) => a.index - b.index).map((k) => k.finding);
  }

  retained(): number {
    return this.kept.length;
  }
}

/** Ranked before: more wasted queries, then more milliseconds (detectFindings' order). */
function outranks(a: Finding['impact'], b: Finding['impact']): boolean {
  return a.queries > b.queries || (a.queries === b.queries && a.ms > b.ms);
}

/**
 * Whether the first A and AAAA of step `name` left from two sockets, the second before the first
 * was answered: Go's resolver (glibc sends a pair on one socket, or with single-request-reopen
 * the AAAA from a new socket once the A is answered).
 */
function pairOnTwoSockets(l: Lookup, name: string, attemptTx: AttemptTransaction): boolean {
  let a: LookupAttempt | undefined;
  let aaaa: LookupAttempt | undefined;
  for (const at of l.attempts) {
    if (at.name !== name || at.queryFrame === null) continue;
    if (at.type === 'A') a ??= at;
    else if (at.type === 'AAAA') aaaa ??= at;
  }
  if (a === undefined || aaaa === undefined) return false;
  const ta = attemptTx(a.queryFrame as number, 'A');
  const t6 = attemptTx(aaaa.queryFrame as number, 'AAAA');
  if (ta === undefined || t6 === undefined || ta.client === t6.client || ta.queryTimeUs === null || t6.queryTimeUs === null) return false;
  const [first, second] = ta.queryTimeUs <= t6.queryTimeUs ? [ta, t6] : [t6, ta];
  return first.responseTimeUs === null || (second.queryTimeUs as number) < first.responseTimeUs;
}

/**
 * The suffix attempts that failed for good: the last of their name and type, unanswered or
 * SERVFAIL. A query that a dead or silent first nameserver left unanswered and the next server
 * answered, later in the same step, is no failure: that step went on as it would have.
 */
function failedAttempts(l: Lookup): LookupAttempt[] {
  const attempts = l.attempts;
  const out: LookupAttempt[] = [];
  for (let i = 0; i < attempts.length; i++) {
    const a = attempts[i];
    if (!a.wasted || (a.rcode !== null && a.rcode !== 'SERVFAIL')) continue;
    let last = true;
    for (let j = i + 1; j < attempts.length && last; j++) if (attempts[j].name === a.name && attempts[j].type === a.type) last = false;
    if (last) out.push(a);
  }
  return out;
}
