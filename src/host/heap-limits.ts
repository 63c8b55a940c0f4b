import type { ResourceLimits } from 'node:worker_threads';

/** The environment variable that sets the analysis' heap limit, in megabytes. */
export const HEAP_LIMIT_ENV = 'DNSTRACE_MAX_HEAP_MB';

/**
 * The old generation's limit. V8 lets a heap grow by a factor between collections that depends
 * on its limit: 4 at 2 GB and over (Node's default on a 64-bit machine), down to 1.3 at 256 MB.
 * At 1024 MB it is about 1.6, which keeps the old generation of an ordinary run near 40 MB
 * instead of 100 MB, while the worst case the open-state bounds allow (scripts/profile/
 * make-flood.mjs: 400,000 names asked at once and never answered) still fits.
 */
export const DEFAULT_MAX_HEAP_MB = 1024;

/**
 * The young generation's limit. V8 grows its semi-spaces to their 16 MB maximum each when many
 * objects survive a scavenge, as transactions do (they live a second of capture time); 8 MB
 * keeps 24 MB off the peak at a few percent more scavenging.
 */
export const YOUNG_GENERATION_MB = 8;

/** The worker's resourceLimits, from the environment; a string says what is wrong with the variable. */
export function heapLimits(env: NodeJS.ProcessEnv): ResourceLimits | string {
  const value = env[HEAP_LIMIT_ENV];
  let maxHeapMb: number = DEFAULT_MAX_HEAP_MB;
  if (value !== undefined && value !== '') {
    maxHeapMb = Number(value);
    if (!Number.isInteger(maxHeapMb) || maxHeapMb < 0) return `${HEAP_LIMIT_ENV}=${value}: give the heap limit in megabytes, a whole number (0: V8's default)`;
  }
  // 0: V8's own limits (a quarter or so of the machine's memory), for a capture that needs them.
  if (maxHeapMb === 0) return {};
  return { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
}
