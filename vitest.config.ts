import { defineConfig } from 'vitest/config';

// Unit, property and reproduction tests run in parallel. Tests that measure wall-clock
// behaviour of real processes under real cgroups (*.realtime.test.ts) are excluded here and
// run alone afterwards with vitest.realtime.config.ts, so that parallel test files cannot
// steal their CPU.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.realtime.test.ts', '**/node_modules/**'],
    benchmark: { include: ['test/**/*.bench.ts'] },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
