import { defineConfig } from 'vitest/config';

// Wall-clock tests against the real kernel (cgroup CPU quotas, LocalBackend): one file at a
// time, after the main suite, so nothing else competes for the 2 cores while they measure.
export default defineConfig({
  test: {
    include: ['test/**/*.realtime.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
