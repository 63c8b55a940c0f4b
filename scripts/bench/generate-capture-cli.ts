/**
 * `node dist-scripts/generate-capture-cli.js --messages N [--seed S] -o FILE`: writes the
 * realistic capture to FILE (streaming) and its ground truth to FILE.json.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, generateCapture } from './generate-capture.js';

export function writeCaptureFile(path: string, messages: number, seed = DEFAULT_SEED): ReturnType<typeof generateCapture>['stats'] {
  const { chunks, stats } = generateCapture({ messages, seed, reuseBuffer: true });
  const fd = openSync(path, 'w');
  try {
    for (const chunk of chunks) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  writeFileSync(`${path}.json`, `${JSON.stringify({ requestedMessages: messages, seed, ...stats }, null, 2)}\n`);
  return stats;
}

function runCli(): void {
  const { values } = parseArgs({
    options: { messages: { type: 'string', default: '1000000' }, seed: { type: 'string' }, output: { type: 'string', short: 'o' } },
  });
  const messages = Number(values.messages);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isInteger(messages) || messages <= 0 || !Number.isInteger(seed) || !values.output) {
    process.stderr.write('usage: generate-capture-cli --messages N [--seed S] -o FILE\n');
    process.exitCode = 2;
    return;
  }
  const stats = writeCaptureFile(values.output, messages, seed);
  process.stdout.write(`${values.output}: ${stats.messages} DNS messages, ${stats.lookups} lookups, ${stats.bytes} bytes\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runCli();
