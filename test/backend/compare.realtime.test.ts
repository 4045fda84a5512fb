/**
 * A short servesim compare run end to end on LocalBackend and SimBackend (skipped where cgroups
 * are not writable). Runs in the realtime pass (vitest.realtime.config.ts), alone.
 */
import { describe, expect, it } from 'vitest';
import { runCompare } from '../../src/backend/compare/compare-run.js';
import { LocalBackend } from '../../src/backend/local/local-backend.js';
import { loadScenario } from '../../src/scenario/load.js';

const skip = LocalBackend.probe();
describe.skipIf(skip !== null)(`a short comparison on both backends${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('replays the same requests on both and reports every percentile', async () => {
    const s = loadScenario('experiments/compare-unthrottled.yaml', { set: ['duration=3s', 'arrivals.rate=8'] });
    const r = await runCompare(s.header, s.body as Parameters<typeof runCompare>[1], { seed: 3 });
    expect(r.requests).toBeGreaterThan(10);
    expect(r.comparison.measuredCount).toBe(r.requests);
    expect(r.comparison.simulatedCount).toBe(r.requests);
    expect(r.local.cpu.usageUs).toBeGreaterThan(0);
    expect(r.matchedSpeed).toBeGreaterThan(0.5);
    expect(r.matchedSpeed).toBeLessThan(1.5);
    // a loose sanity bound on ~24 samples (the 15 % target is for the full experiments)
    expect(Math.abs(r.comparison.rows[0].relativeError)).toBeLessThan(0.5);
  }, 30_000);
});
