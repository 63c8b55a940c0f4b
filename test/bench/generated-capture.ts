import { createHash } from 'node:crypto';
import { analyze } from '../../src/pipeline.js';
import type { Report } from '../../src/model.js';
import { type CaptureOptions, type CaptureStats, generateCapture } from '../../scripts/bench/generate-capture.js';

/** Generates a capture with `options` and analyses it as the CLI would, hashing its bytes on the way. */
export async function analyzeGenerated(options: CaptureOptions): Promise<{ report: Report; stats: CaptureStats; sha256: string; chunks: number }> {
  const { chunks, stats } = generateCapture(options);
  const hash = createHash('sha256');
  let count = 0;
  const source = (async function* () {
    for (const c of chunks) {
      hash.update(c);
      count++;
      yield c;
    }
  })();
  const report = await analyze({ name: 'generated.pcap', chunks: source });
  return { report, stats, sha256: hash.digest('hex'), chunks: count };
}

/** Every pod's search list after its namespace's suffix (cluster-catalogue.ts). */
export const POD_SEARCH_AFTER_NAMESPACE = ['svc.cluster.local', 'cluster.local', 'us-east-2.compute.internal'];

/**
 * The report's lookups counted by `key` (kind, outcome), as the generator tallies its plan: every
 * key of `planned` is there, with 0 when no lookup has it.
 */
export function countLookups(report: Report, key: (l: Report['lookups'][number]) => string, planned: Record<string, number>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(Object.keys(planned).map((k) => [k, 0]));
  for (const l of report.lookups) counts[key(l)] = (counts[key(l)] ?? 0) + 1;
  return counts;
}
