import type { Finding, Lookup } from '../../model.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { formatMs } from '../../format-ms.js';
import { MAX_REPORT_NAMES } from '../report-limits.js';
import { type FindingDetector, roundMs } from './context.js';
import { EvidenceFrames } from './evidence-frames.js';

/** What the walks of one name cost, summed lookup by lookup as they come. */
interface NameWaste {
  lookups: number;
  wasted: number;
  queries: number;
  wastedMs: number;
  /** The wasted suffixes of every lookup, in the order first walked (pods of several namespaces walk several lists). */
  suffixes: string[];
  /** The fewest and most suffixes one lookup walked. */
  fewest: number;
  most: number;
  /** How many lookups ended answered, by the name that answered, and how many ended otherwise, by outcome. */
  answeredBy: Map<string | null, number>;
  failedAs: Map<string, number>;
  fqdnQueries: number;
  /** Sum of fqdnMs; null once a lookup had none. */
  fqdnMs: number | null;
  answeredAsWritten: boolean;
  /** What went wrong on the steps of lookups that got no address (see stepFailure), the first few. */
  failures: StepFailure[];
  evidence: EvidenceFrames;
}

/** Names and step failures a remedy lists; past these it says how many more, or "and more". */
const LISTED = 3;

/**
 * Lookups that walked the search list before the answer (or before failing). Grouped per
 * name so that a name looked up a thousand times is one finding with a thousand times the cost,
 * each with what the same lookups would have cost another way; plus one finding for the total.
 */
export class SearchPathWasteDetector implements FindingDetector {
  private readonly byName = new Map<string, NameWaste>();
  /** Lookups of names past MAX_REPORT_NAMES: in the total, without a finding of their own. */
  private untracked = 0;
  private all = 0;
  private allQueries = 0;
  private walked = 0;
  private walkedWasted = 0;
  /** Summed in the order lookups come (a pass over the names, one name after the other, would add the same numbers in another order). */
  private walkedWastedMs = 0;
  private fqdn = 0;

  lookup(l: Lookup): void {
    this.all++;
    this.allQueries += l.queries;
    if (l.wastedQueries === 0) {
      this.fqdn += l.queries;
      return;
    }
    this.walked++;
    this.walkedWasted += l.wastedQueries;
    this.walkedWastedMs += l.wastedMs;
    this.fqdn += l.fqdnQueries;
    let w = this.byName.get(l.name);
    if (!w) {
      if (this.byName.size >= MAX_REPORT_NAMES) {
        this.untracked++;
        return;
      }
      w = {
        lookups: 0,
        wasted: 0,
        queries: 0,
        wastedMs: 0,
        suffixes: [],
        fewest: Number.POSITIVE_INFINITY,
        most: 0,
        answeredBy: new Map(),
        failedAs: new Map(),
        fqdnQueries: 0,
        fqdnMs: 0,
        answeredAsWritten: true,
        failures: [],
        evidence: new EvidenceFrames(),
      };
      this.byName.set(l.name, w);
    }
    const walked = addWastedSuffixes(l, w.suffixes);
    w.fewest = Math.min(w.fewest, walked);
    w.most = Math.max(w.most, walked);
    if (l.outcome === 'answered') w.answeredBy.set(l.answeredName, (w.answeredBy.get(l.answeredName) ?? 0) + 1);
    else w.failedAs.set(l.outcome, (w.failedAs.get(l.outcome) ?? 0) + 1);
    w.lookups++;
    w.wasted += l.wastedQueries;
    w.queries += l.queries;
    w.wastedMs += l.wastedMs;
    w.fqdnQueries += l.fqdnQueries;
    w.fqdnMs = w.fqdnMs !== null && l.fqdnMs !== null ? w.fqdnMs + l.fqdnMs : null;
    if (!(l.outcome === 'answered' && l.suffix === null)) w.answeredAsWritten = false;
    if (l.outcome !== 'answered' && w.failures.length <= LISTED) {
      for (const a of l.attempts) {
        const f = stepFailure(a);
        if (f !== null && !w.failures.some((g) => sameFailure(f, g)) && w.failures.length <= LISTED) w.failures.push(f);
      }
    }
    for (const a of l.attempts) {
      if (!a.wasted) continue;
      w.evidence.add(a.queryFrame);
      w.evidence.add(a.responseFrame);
    }
  }

  finish(): Finding[] {
    const findings: Finding[] = [];
    for (const [name, w] of this.byName) {
      findings.push({
        kind: 'search-path-waste',
        title: `${FINDING_KINDS['search-path-waste'].title}: ${name}`,
        summary:
          `${describeWalks(name, w.lookups, w.suffixes, w.fewest, w.most, walkEndings(w.answeredBy, w.failedAs))}: ${w.queries} queries of which ${w.wasted} wasted, ` +
          `${formatMs(w.wastedMs)} spent on suffixes that could not answer. ${whatIfs(name, w)}`,
        evidence: w.evidence.list(),
        impact: { queries: w.wasted, ms: roundMs(w.wastedMs) },
        ...searchPathRemedy(name, [...w.answeredBy.keys()].filter((n): n is string => n !== null), w.answeredAsWritten, w.failures),
      });
    }
    if (this.byName.size + (this.untracked > 0 ? 1 : 0) > 1) findings.push(this.total());
    return findings.sort((a, b) => b.impact.queries - a.impact.queries || a.title.localeCompare(b.title));
  }

  retained(): number {
    let n = this.byName.size;
    for (const w of this.byName.values()) n += w.evidence.size + w.suffixes.length;
    return n;
  }

  private total(): Finding {
    const names = this.untracked > 0 ? `more than ${this.byName.size} names` : `${this.byName.size} names`;
    const untracked =
      this.untracked > 0
        ? ` ${this.untracked} lookup${this.untracked === 1 ? '' : 's'} of names past the first ${MAX_REPORT_NAMES} count in this total but have no finding of their own.`
        : '';
    return {
      kind: 'search-path-waste-total',
      title: FINDING_KINDS['search-path-waste-total'].title,
      summary:
        `${this.walked} of ${this.all} lookups (${names}) walked the search list: ${this.walkedWasted} of ${this.allQueries} queries were wasted ` +
        `(${Math.round((100 * this.walkedWasted) / Math.max(1, this.allQueries))}%), ${formatMs(this.walkedWastedMs)} in all. ` +
        `Fully qualified, the same lookups would have taken about ${this.fqdn} queries.${untracked}`,
      evidence: [],
      impact: { queries: this.walkedWasted, ms: roundMs(this.walkedWastedMs) },
      remedy: FINDING_KINDS['search-path-waste-total'].remedy,
      snippet: null,
    };
  }
}

/**
 * The same lookups another way. A trailing dot asks the final name once. With ndots N in the
 * pod's dnsConfig a name with at least N dots is tried as written first (glibc, musl), which
 * helps only names that answer as written. CoreDNS autopath and an ExternalName Service both
 * answer the first suffix in one round trip per query type.
 */
function whatIfs(name: string, w: NameWaste): string {
  const fqdnQ = w.fqdnQueries;
  const dots = name.split('.').length - 1;
  const fqdnQueries = `${fqdnQ} quer${fqdnQ === 1 ? 'y' : 'ies'}`;
  const ndots = (n: number) =>
    dots >= n && w.answeredAsWritten ? fqdnQueries : dots >= n ? 'no better (it does not answer as written)' : `no change (${dots} dot${dots === 1 ? '' : 's'})`;
  return (
    `What if: with a trailing dot ${fqdnQueries}${w.fqdnMs !== null ? ` (${formatMs(w.fqdnMs)})` : ''} instead of ${w.queries}; ` +
    `ndots 2: ${ndots(2)}; ndots 1: ${ndots(1)}; CoreDNS autopath or an ExternalName Service: ${fqdnQueries}, one round trip each.`
  );
}

/**
 * Adds to `suffixes` those `l` walked in vain that it does not hold yet; returns how many `l`
 * walked (its A and AAAA of one step count once). No list is made: this runs for every lookup.
 */
function addWastedSuffixes(l: Lookup, suffixes: string[]): number {
  const attempts = l.attempts;
  let walked = 0;
  for (let i = 0; i < attempts.length; i++) {
    const s = attempts[i].suffix;
    if (!attempts[i].wasted || s === null || walkedBefore(attempts, i, s)) continue;
    walked++;
    if (!suffixes.includes(s)) suffixes.push(s);
  }
  return walked;
}

function walkedBefore(attempts: Lookup['attempts'], i: number, suffix: string): boolean {
  for (let j = 0; j < i; j++) if (attempts[j].wasted && attempts[j].suffix === suffix) return true;
  return false;
}

/**
 * What went wrong on a step of a lookup that got no address: an rcode other than NXDOMAIN
 * (NOERROR there is NODATA) or "no answer", and where: the suffix (".svc.cluster.local"), or ''
 * for the name as written.
 */
export interface StepFailure {
  what: string;
  where: string;
}

/** The step's failure; null for NXDOMAIN, which only says the name tried does not exist. searchPathRemedy puts them in words. */
export function stepFailure(a: Lookup['attempts'][number]): StepFailure | null {
  if (a.rcode === 'NXDOMAIN') return null;
  return { what: a.rcode === null ? 'no answer' : a.rcode === 'NOERROR' ? 'NODATA' : a.rcode, where: a.suffix === null ? '' : `.${a.suffix}` };
}

function sameFailure(a: StepFailure, b: StepFailure): boolean {
  return a.what === b.what && a.where === b.where;
}

/** stepFailure's findings in words, each kind once with its places: "no answer on .a, .b and as written". */
function describeFailures(failures: readonly StepFailure[]): string {
  const shown = failures.slice(0, LISTED);
  const byKind = new Map<string, string[]>();
  for (const { what, where } of shown) {
    const places = byKind.get(what);
    if (places) places.push(where);
    else byKind.set(what, [where]);
  }
  const parts = [...byKind].map(([what, places]) => {
    const suffixes = places.filter((p) => p !== '');
    const on = suffixes.length > 0 ? `on ${suffixes.join(', ')}` : '';
    const bare = suffixes.length < places.length ? 'as written' : '';
    return `${what} ${on}${on && bare ? ' and ' : ''}${bare}`;
  });
  return `${parts.join('; ')}${failures.length > LISTED ? ', and more' : ''}`;
}

/**
 * The remedy for the walks of `name`, from how they ended: the name that answered (`answered`,
 * in the order first seen) is the one to write with a trailing dot, not the name as the
 * application wrote it (`kubernetes.default` answered as `kubernetes.default.svc.cluster.local`:
 * `kubernetes.default.` does not exist); lowering ndots helps only a name that answers as written
 * (`asWritten`); and a name no lookup resolved has nothing to write yet: what failed on its steps
 * (`failures`, see stepFailure) comes first, or, when every step said NXDOMAIN, the name itself.
 */
export function searchPathRemedy(name: string, answered: readonly string[], asWritten: boolean, failures: readonly StepFailure[]): { remedy: string; snippet: string | null } {
  const externalName = 'or, inside Kubernetes, point the application at an ExternalName Service in its own namespace, which is answered on the first suffix in one round trip.';
  if (answered.length > 0) {
    const shown = answered.slice(0, LISTED).map((n) => `${n}.`);
    const names = `${shown.join(', ')}${answered.length > shown.length ? ` and ${answered.length - shown.length} more` : ''}`;
    const write =
      answered.length === 1
        ? `Write the name fully qualified with a trailing dot (${names}) so the resolver asks it once; `
        : `Write the name fully qualified with a trailing dot, as it answered for each client (${names}), so the resolver asks it once; `;
    if (asWritten) {
      return {
        remedy: `${write}or lower ndots in the pod's dnsConfig so names with dots are tried as written first; ${externalName}`,
        snippet: ['# pod spec', 'spec:', '  dnsConfig:', '    options:', '      - name: ndots', '        value: "2"', `# or in the application's configuration: ${shown[0]}`].join('\n'),
      };
    }
    return { remedy: `${write}${externalName}`, snippet: `# in the application's configuration: ${shown[0]}` };
  }
  if (failures.length === 0) {
    return {
      remedy:
        `No lookup of ${name} got an address: every suffix and the name as written answered NXDOMAIN. Check the name the application asks for ` +
        '(a typo, a Service in another namespace or not created yet); written fully qualified it would only fail sooner.',
      snippet: null,
    };
  }
  return {
    remedy:
      `No lookup of ${name} got an address, and NXDOMAIN is not all its steps met: ${describeFailures(failures)}. Look at that first (see the findings on it); ` +
      'then write the name that answers fully qualified, with a trailing dot, so the resolver asks it once.',
    snippet: null,
  };
}

/** How the lookups of a name ended, for describeWalks: `answered as NAME` first, then `ended OUTCOME`. */
function walkEndings(answeredBy: ReadonlyMap<string | null, number>, failedAs: ReadonlyMap<string, number>): [string, number][] {
  return [...[...answeredBy].map(([n, c]): [string, number] => [`answered as ${n}`, c]), ...[...failedAs].map(([o, c]): [string, number] => [`ended ${o}`, c])];
}

/**
 * "NAME was looked up N times and each lookup walked K search suffixes (...) before X answered";
 * lookups that walked more or fewer suffixes (a step given up), other lists (pods of several
 * namespaces) or ended differently (a server failing for some of them) are said to, with how
 * many ended each way.
 */
export function describeWalks(name: string, lookups: number, suffixes: readonly string[], fewest: number, most: number, endings: readonly [string, number][]): string {
  const times = lookups === 1 ? 'once' : `${lookups} times`;
  const walked = fewest === most ? `each lookup walked ${most} search suffix${most === 1 ? '' : 'es'}` : `its lookups walked ${fewest} to ${most} search suffixes`;
  const listed = suffixes.map((s) => `.${s}`).join(', ');
  const which = suffixes.length === most ? `(${listed})` : `(${suffixes.length} in all: ${listed})`;
  if (endings.length === 1) {
    const [ending] = endings[0];
    const said = ending.startsWith('answered as ') ? `before ${ending.slice('answered as '.length)} answered` : `and still ${ending}`;
    return `${name} was looked up ${times} and ${walked} ${which} ${said}`;
  }
  return `${name} was looked up ${times} and ${walked} ${which}; ${endings.map(([ending, n]) => `${n} ${ending}`).join(', ')}`;
}
