/**
 * `node dist-scripts/generate-capture-cli.js --messages N [--seed S] [--loss-rate P] -o FILE`:
 * writes the realistic capture to FILE (streaming) and its ground truth to FILE.json.
 * `--loss-rate P`: the probability that a query's first send gets no reply (glibc re-sends it
 * after 5 s), for the traffic of a failing server; 1/2000 by default. `--outage EVERY:LENGTH`
 * (seconds): the server answers nothing for LENGTH of every EVERY seconds, as in a restart.
 * `--upstream-down EVERY:LENGTH` (seconds): for LENGTH of every EVERY seconds the server answers
 * SERVFAIL for every name outside the cluster domain, as CoreDNS does when its upstream is down.
 * `--silent-rate P`: the probability that a search step is never answered (glibc gives up the rest
 * of the search list after its second timeout and asks the name as written).
 * `--first-server silent|dead`: every pod lists a failed nameserver (169.254.20.10) before the
 * cluster DNS: every step waits 5 s for a silent one, or draws ICMP port unreachable from a dead
 * one and goes on at once; alone (no lost answers, no other failure).
 * `--go-share P`: the share of pods that resolve with Go's own resolver (two sockets per step, a
 * new id for every try); with every failure.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, generateCapture } from './generate-capture.js';
import { FAILURE_ARGS, FAILURE_USAGE, type Failures, checkFailures, parseFailures } from './failure-options.js';

export function writeCaptureFile(path: string, messages: number, seed = DEFAULT_SEED, lossRate?: number, failures: Failures = {}): ReturnType<typeof generateCapture>['stats'] {
  const { chunks, stats } = generateCapture({ messages, seed, lossRate, ...failures, reuseBuffer: true });
  const fd = openSync(path, 'w');
  try {
    for (const chunk of chunks) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  const options = { requestedMessages: messages, seed, ...(lossRate === undefined ? {} : { lossRate }), ...failures };
  writeFileSync(`${path}.json`, `${JSON.stringify({ ...options, ...stats }, null, 2)}\n`);
  return stats;
}

const USAGE = `usage: generate-capture-cli --messages N [--seed S] [--loss-rate 0..1] ${FAILURE_USAGE} -o FILE\n`;

function runCli(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: { messages: { type: 'string', default: '1000000' }, seed: { type: 'string' }, 'loss-rate': { type: 'string' }, ...FAILURE_ARGS, output: { type: 'string', short: 'o' } },
    }));
  } catch (e) {
    // An unknown option (--help included) or a missing value: say which, then how to call it.
    process.stderr.write(`generate-capture-cli: ${(e as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const messages = Number(values.messages);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  const lossRate = values['loss-rate'] === undefined ? undefined : Number(values['loss-rate']);
  const badLoss = lossRate !== undefined && !(lossRate >= 0 && lossRate <= 1);
  const failures = parseFailures(values);
  const badFailures = typeof failures === 'string' ? failures : checkFailures(failures, lossRate);
  if (!Number.isInteger(messages) || messages <= 0 || !Number.isInteger(seed) || badLoss || badFailures !== null || typeof failures === 'string' || !values.output) {
    if (badFailures !== null) process.stderr.write(`generate-capture-cli: ${badFailures}\n`);
    process.stderr.write(USAGE);
    process.exitCode = 2;
    return;
  }
  const stats = writeCaptureFile(values.output, messages, seed, lossRate, failures);
  process.stdout.write(`${values.output}: ${stats.messages} DNS messages, ${stats.lookups} lookups, ${stats.bytes} bytes\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runCli();
