import type { Lookup, LookupOutcome } from '../model.js';
import { pickPercentile, round3 } from './pick-percentile.js';
import type { NameChange, NameMeasure, NameStats, OneSidedName, RewrittenName, Verdict } from './report-diff.js';

/**
 * A change in waited time counts only when it is at least this many milliseconds and this share
 * of the larger value: a capture's own jitter (a warm BIND answers in 0.1–0.3 ms, the first answer
 * after a pause takes several ms: RESOLVERS.md) must not make a name look better or worse.
 */
const WAITED_MIN_CHANGE_MS = 5;
const WAITED_MIN_CHANGE_SHARE = 0.1;

/** Queries per lookup are means; differences below this are rounding, not change. */
const EPSILON = 1e-9;

export interface NameComparison {
  names: NameChange[];
  rewritten: RewrittenName[];
  beforeOnly: OneSidedName[];
  afterOnly: OneSidedName[];
}

/**
 * Pairs lookups by the name as the application wrote it (Lookup.name), across clients: the pods
 * before and after a fix are usually different pods. A name seen on one side only is listed
 * apart, never compared with something else, unless it was rewritten (pairRewrittenNames), which
 * is listed in its own labelled section.
 */
export function compareLookups(before: readonly Lookup[], after: readonly Lookup[]): NameComparison {
  const b = groupByName(before);
  const a = groupByName(after);
  const names: NameChange[] = [];
  for (const [name, lookups] of b) {
    const other = a.get(name);
    if (other) names.push(compareName(name, summariseName(lookups), summariseName(other)));
  }
  const onlyBefore = [...b].filter(([name]) => !a.has(name));
  const onlyAfter = [...a].filter(([name]) => !b.has(name));
  const rewritten = pairRewrittenNames(onlyBefore, onlyAfter);
  const paired = new Set(rewritten.flatMap((r) => [`b ${r.beforeName}`, `a ${r.name}`]));
  const oneSided = (list: [string, Lookup[]][], side: string) =>
    list.filter(([name]) => !paired.has(`${side} ${name}`)).map(([name, lookups]) => ({ name, stats: summariseName(lookups) }));
  const byName = (x: { name: string }, y: { name: string }) => x.name.localeCompare(y.name);
  return {
    names: names.sort(compareChanges),
    rewritten: rewritten.sort(compareChanges),
    beforeOnly: oneSided(onlyBefore, 'b').sort(byName),
    afterOnly: oneSided(onlyAfter, 'a').sort(byName),
  };
}

/**
 * Pairs a name seen before only with a name seen after only when every lookup of both was
 * answered by the same name: the name that answered before is the one written after (a trailing
 * dot or an FQDN replacing a short name), or the reverse. Only one-to-one matches count; anything
 * ambiguous or unanswered stays on its side.
 */
function pairRewrittenNames(before: [string, Lookup[]][], after: [string, Lookup[]][]): RewrittenName[] {
  const afterByAnswer = new Map<string, [string, Lookup[]][]>();
  for (const [name, lookups] of after) {
    const key = answeredAs(lookups);
    if (key !== null) afterByAnswer.set(key, [...(afterByAnswer.get(key) ?? []), [name, lookups]]);
  }
  const beforeCount = new Map<string, number>();
  for (const [, lookups] of before) {
    const key = answeredAs(lookups);
    if (key !== null) beforeCount.set(key, (beforeCount.get(key) ?? 0) + 1);
  }
  const out: RewrittenName[] = [];
  for (const [name, lookups] of before) {
    const key = answeredAs(lookups);
    if (key === null) continue;
    const candidates = afterByAnswer.get(key) ?? [];
    if (candidates.length !== 1 || beforeCount.get(key) !== 1) continue;
    const [afterName, afterLookups] = candidates[0];
    out.push({ ...compareName(afterName, summariseName(lookups), summariseName(afterLookups)), beforeName: name, answeredName: key });
  }
  return out;
}

/** The one name that answered every lookup of a name; null when any went unanswered or they differ. */
function answeredAs(lookups: readonly Lookup[]): string | null {
  const answered = new Set(lookups.map((l) => (l.outcome === 'answered' ? l.answeredName : null)));
  const [only] = answered;
  return answered.size === 1 && only ? only : null;
}

function groupByName(lookups: readonly Lookup[]): Map<string, Lookup[]> {
  const out = new Map<string, Lookup[]>();
  for (const l of lookups) {
    const list = out.get(l.name);
    if (list) list.push(l);
    else out.set(l.name, [l]);
  }
  return out;
}

export function summariseName(lookups: readonly Lookup[]): NameStats {
  const n = lookups.length;
  const waited = lookups.map((l) => l.elapsedMs);
  const outcomes: Partial<Record<LookupOutcome, number>> = {};
  for (const l of lookups) outcomes[l.outcome] = (outcomes[l.outcome] ?? 0) + 1;
  return {
    lookups: n,
    queriesPerLookup: round3(lookups.reduce((s, l) => s + l.queries, 0) / n),
    wastedQueriesPerLookup: round3(lookups.reduce((s, l) => s + l.wastedQueries, 0) / n),
    waitedMedianMs: pickPercentile(waited, 50) as number,
    waitedP90Ms: pickPercentile(waited, 90) as number,
    outcomes,
    answeredShare: round3((outcomes.answered ?? 0) / n),
  };
}

function compareName(name: string, before: NameStats, after: NameStats): NameChange {
  const better: NameMeasure[] = [];
  const worse: NameMeasure[] = [];
  const judge = (measure: NameMeasure, change: number, lowerIsBetter = true) => {
    if (Math.abs(change) <= EPSILON) return;
    ((change < 0) === lowerIsBetter ? better : worse).push(measure);
  };
  judge('outcome', after.answeredShare - before.answeredShare, false);
  const queries = round3(after.queriesPerLookup - before.queriesPerLookup);
  const wasted = round3(after.wastedQueriesPerLookup - before.wastedQueriesPerLookup);
  const median = round3(after.waitedMedianMs - before.waitedMedianMs);
  judge('queries', queries);
  judge('wastedQueries', wasted);
  if (isWaitedChange(before.waitedMedianMs, after.waitedMedianMs)) judge('waited', median);
  return {
    name,
    before,
    after,
    queriesPerLookupChange: queries,
    wastedQueriesPerLookupChange: wasted,
    waitedMedianChangeMs: median,
    waitedP90ChangeMs: round3(after.waitedP90Ms - before.waitedP90Ms),
    outcomeChanged: !sameOutcomes(before.outcomes, after.outcomes, before.lookups, after.lookups),
    better,
    worse,
    verdict: verdictOf(better, worse),
  };
}

function isWaitedChange(before: number, after: number): boolean {
  const change = Math.abs(after - before);
  return change >= WAITED_MIN_CHANGE_MS && change >= WAITED_MIN_CHANGE_SHARE * Math.max(before, after);
}

/** The same mix of outcomes, as shares (3 of 3 answered equals 1 of 1 answered). */
function sameOutcomes(a: NameStats['outcomes'], b: NameStats['outcomes'], na: number, nb: number): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as LookupOutcome[]);
  return [...keys].every((k) => Math.abs((a[k] ?? 0) / na - (b[k] ?? 0) / nb) <= EPSILON);
}

function verdictOf(better: readonly NameMeasure[], worse: readonly NameMeasure[]): Verdict {
  if (better.length > 0 && worse.length > 0) return 'mixed';
  if (better.length > 0) return 'improved';
  if (worse.length > 0) return 'regressed';
  return 'unchanged';
}

/**
 * Biggest changes first, in either direction: a change of outcome (answered or not) matters
 * most, then a significant change of the median wait, then queries per lookup. Unchanged last.
 */
function compareChanges(x: NameChange, y: NameChange): number {
  const changed = (c: NameChange) => (c.verdict === 'unchanged' ? 1 : 0);
  const outcome = (c: NameChange) => Math.abs(c.after.answeredShare - c.before.answeredShare);
  const waited = (c: NameChange) => (c.better.includes('waited') || c.worse.includes('waited') ? Math.abs(c.waitedMedianChangeMs) : 0);
  return (
    changed(x) - changed(y) ||
    outcome(y) - outcome(x) ||
    waited(y) - waited(x) ||
    Math.abs(y.queriesPerLookupChange) - Math.abs(x.queriesPerLookupChange) ||
    x.name.localeCompare(y.name)
  );
}
