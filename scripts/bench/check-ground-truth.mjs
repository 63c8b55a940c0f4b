#!/usr/bin/env node
// Holds dnstrace's lookups to the benchmark generator's ground truth over many captures at once:
// for every seed and loss rate, generates a capture in memory, analyses it (analyze() of
// dist/pipeline.js, as `dnstrace analyze` does), and compares the lookups (count, by kind, by
// outcome), the wasted queries, every pod's ndots (5), search list and A/AAAA mode (parallel) with what the generator planned. Prints
// a line per capture and exits 1 if any differs. The tests pin a few of these; a sweep of many
// seeds and loss rates is what found walks glued together across a lost answer's 5 s.
// Run `npm run build && npx tsc -p scripts/bench` first.
// Usage: node scripts/bench/check-ground-truth.mjs [messages=60000] [seeds=1,2,3] [lossRates=0.0005,0.1,0.4]
//          [--outage EVERY:LENGTH | --upstream-down EVERY:LENGTH] [--silent-rate P] [--first-server silent|dead]
//   --outage         the server answers nothing for LENGTH of every EVERY seconds
//   --upstream-down  the server answers SERVFAIL for names outside the cluster for LENGTH of every EVERY seconds
//   --silent-rate    the probability that a search step is never answered
//   --first-server   a silent or dead nameserver listed first (alone: give the loss rate 0)
//   --go-share       the share of pods resolving with Go's own resolver (not with the two above)
//   each applies to every capture of the run; none by default
import { parseArgs } from 'node:util';
import { analyze } from '../../dist/pipeline.js';
import { generateCapture } from '../../dist-scripts/generate-capture.js';
import { FAILURE_ARGS, FAILURE_USAGE, checkFailures, parseFailures } from '../../dist-scripts/failure-options.js';

const USAGE = `usage: check-ground-truth.mjs [messages] [seed,seed,...] [lossRate,lossRate,...] ${FAILURE_USAGE}\n`;
let values;
let positionals;
try {
  ({ values, positionals } = parseArgs({ allowPositionals: true, options: FAILURE_ARGS }));
} catch (e) {
  // An unknown option (--help included) or a missing value: say which, then how to call it.
  process.stderr.write(`check-ground-truth: ${e.message}\n${USAGE}`);
  process.exit(2);
}
const [messagesArg, seedsArg, lossArg] = positionals;
const messages = Number(messagesArg ?? 60_000);
const seeds = (seedsArg ?? '1,2,3').split(',').map(Number);
const lossRates = (lossArg ?? '0.0005,0.1,0.4').split(',').map(Number);
const failures = parseFailures(values);
const badFailures = typeof failures === 'string' ? failures : (lossRates.map((p) => checkFailures(failures, p)).find((why) => why !== null) ?? null);
if (badFailures !== null || positionals.length > 3 || !Number.isInteger(messages) || messages <= 0 || seeds.some((s) => !Number.isInteger(s)) || lossRates.some((p) => !(p >= 0 && p <= 1))) {
  if (badFailures !== null) process.stderr.write(`check-ground-truth: ${badFailures}\n`);
  process.stderr.write(USAGE);
  process.exit(2);
}
const windows = Object.entries(values).map(([k, v]) => ` ${k} ${v}`).join('');

/** Every pod's search list after its namespace's suffix (cluster-catalogue.ts). */
const NODE_SEARCH = 'svc.cluster.local cluster.local us-east-2.compute.internal';

/** Counts by `key`, with the keys sorted, for comparing with the generator's tallies. */
function tally(items, key) {
  const out = {};
  for (const x of items) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return JSON.stringify(Object.entries(out).sort());
}
const planned = (counts) => JSON.stringify(Object.entries(counts).filter(([, n]) => n > 0).sort());

let failed = 0;
for (const seed of seeds) {
  for (const lossRate of lossRates) {
    const { chunks, stats } = generateCapture({ messages, seed, lossRate, ...failures });
    const report = await analyze({ name: `seed-${seed}-loss-${lossRate}.pcap`, chunks: (async function* () { yield* chunks; })() });
    const checks = {
      lookups: report.lookups.length === stats.lookups,
      kinds: tally(report.lookups, (l) => l.kind) === planned(stats.lookupsByKind),
      outcomes: tally(report.lookups, (l) => l.outcome) === planned(stats.lookupsByOutcome),
      wasted: report.summary.wastedQueries === stats.wastedQueries,
      ndots: report.resolvers.every((p) => p.ndots === 5),
      searchLists: report.resolvers.every((p) => p.searchList.join(' ') === `${p.searchList[0]} ${NODE_SEARCH}` && /^[a-z]+\.svc\.cluster\.local$/.test(p.searchList[0])),
      // glibc's pair on one socket and Go's on two both overlap: neither is single-request(-reopen).
      aaaaModes: report.resolvers.every((p) => p.aaaaMode === 'parallel'),
    };
    const wrong = Object.keys(checks).filter((k) => !checks[k]);
    if (wrong.length > 0) failed++;
    process.stdout.write(
      `seed ${seed} loss ${lossRate}${windows}: ${stats.messages} messages, ${stats.lookups} lookups planned, ${report.lookups.length} found: ` +
        `${wrong.length === 0 ? 'as planned' : `DIFFERS in ${wrong.join(', ')}`}\n`,
    );
  }
}
process.exit(failed > 0 ? 1 : 0);
