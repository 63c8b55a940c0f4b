import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // Every core: the runner's default leaves one idle, which on a 2-core machine (CI's) runs
    // the files one at a time and doubles the suite's wall time.
    maxWorkers: '100%',
  },
});
