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
 * The young generation's limit (its two semi-spaces and its large-object space: about 2.7 MB
 * each). V8 grows the semi-spaces to 16 MB each when many objects survive a scavenge, as
 * transactions do (they live a second of capture time). Measured on the bench's 1M capture:
 * 8 MB peaks at 134-140 MB RSS in every format, 16 MB at 142-156 MB (over 150 for JSON Lines)
 * for about half the extra CPU.
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
