/**
 * The same policy and monitor as policy-portability.test.ts, unchanged, on LocalBackend: real
 * worker processes under real cgroups and the wall clock (skipped with the reason where cgroups
 * are not writable). Runs in the realtime pass (vitest.realtime.config.ts), alone.
 */
import { afterAll, describe, it } from 'vitest';
import { LocalBackend } from '../../src/backend/local/local-backend.js';
import { exercise, expectSameBehaviour, FN } from './portable-scenario.js';

const skip = LocalBackend.probe();
const open: LocalBackend[] = [];
afterAll(async () => {
  for (const b of open) await b.close();
});

describe.skipIf(skip !== null)(`the same policy and monitor on LocalBackend${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('scales up under a burst and down after it; the monitor sees every record', async () => {
    const b = await LocalBackend.start({ functions: [FN] });
    open.push(b);
    expectSameBehaviour(await exercise(b));
  }, 30_000);
});
