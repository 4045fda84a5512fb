/**
 * Issue 8 "Show": the DQN policy (trained offline on SimBackend, saved, loaded with
 * loadPolicy) and the drift monitor run unchanged — the same Policy object, the same adapter,
 * the same monitor setup (examples/live-policies/scenario.ts) — on SimBackend and on
 * LocalBackend (real worker processes under real cgroup quotas). Duration per backend:
 * SERVESIM_LIVE_MINUTES (default 0.25 to keep the realtime pass short; the documented
 * example run uses 3). Realtime pass only (vitest.realtime.config.ts).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECOND } from '../../src/core/time.js';
import { LocalBackend } from '../../src/backend/local/local-backend.js';
import { loadPolicy, type LoadedPolicy } from '../../src/rl/policy.js';
import { ACTIONS, FN_SPEC, NODES, runLive, trainOnSim, type LiveResult } from '../../examples/live-policies/scenario.js';
import { simBackend } from './helpers.js';

const MINUTES = Number(process.env.SERVESIM_LIVE_MINUTES ?? '0.25');
if (!(MINUTES > 0)) throw new Error(`SERVESIM_LIVE_MINUTES: expected a positive number of minutes, found "${process.env.SERVESIM_LIVE_MINUTES}"`);
const DURATION = Math.round(MINUTES * 60 * SECOND);
const TIMEOUT = MINUTES * 60_000 + 120_000;
const SEED = 11;
const skip = LocalBackend.probe();

let dir = '';
let policy: LoadedPolicy;
const results: LiveResult[] = [];
const open: LocalBackend[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'servesim-live-dqn-'));
  const trained = await trainOnSim(() => simBackend(SEED + 1, [1, 1], [FN_SPEC]), dir, 300, SEED);
  console.log(`trained 300 steps on SimBackend: mean reward ${trained.meanReward.toFixed(3)}`);
  policy = await loadPolicy(dir, { backend: 'wasm' });
}, 120_000);

afterAll(async () => {
  for (const b of open) await b.close();
  policy?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
  for (const r of results) console.log(JSON.stringify(r));
});

function expectShown(r: LiveResult): void {
  results.push(r);
  // decisions once per second for the whole run, all legal, from the loaded policy
  expect(r.decisions).toBeGreaterThanOrEqual(Math.floor(DURATION / SECOND) - 2);
  expect(r.illegal).toBe(0);
  expect(r.histogram.length).toBe(ACTIONS.n);
  expect(r.completed).toBeGreaterThan(0.9 * r.sent);
  // the monitor emitted windows (5 s tumbling) and alerted after the drift, at most once before;
  // windows are aligned to event time 0, not to the injection: the window straddling it may hold
  // too few drifted records, so detection is due by the end of the next one + watermark (≤ 10.5 s)
  // + feed tick, with 1 s of slack
  expect(r.windows).toBeGreaterThanOrEqual(Math.floor(DURATION / (5 * SECOND)) - 1);
  expect(r.alertsAfter).toBeGreaterThan(0);
  expect(r.alertsBefore).toBeLessThanOrEqual(1);
  expect(r.firstAlertAfterS).toBeLessThan(11.5);
}

describe('the same DQN policy and drift monitor on SimBackend and LocalBackend', () => {
  it('SimBackend', async () => {
    const b = simBackend(SEED + 2, [1, 1], [FN_SPEC]);
    const r = await runLive(b, policy, DURATION, SEED);
    await b.close();
    expectShown(r);
  }, TIMEOUT);

  it.skipIf(skip !== null)(`LocalBackend${skip ? ` (skipped: ${skip})` : ''}`, async () => {
    const b = await LocalBackend.start({ functions: [FN_SPEC], nodes: NODES.map((name, i) => ({ name, cpus: [i] })) });
    open.push(b);
    const r = await runLive(b, policy, DURATION, SEED);
    await b.close();
    expectShown(r);
    // cleanup: no pods left, the backend's cgroups are gone
    expect(b.observe().pods.filter((p) => p.phase !== 'Terminated' && p.phase !== 'Failed').length).toBe(0);
    // (a cgroup v1/v2 directory cannot be removed while it holds a process: no group = no worker)
    for (const root of ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpuacct', '/sys/fs/cgroup/cpuset', '/sys/fs/cgroup/unified', '/sys/fs/cgroup']) {
      if (existsSync(root)) expect(readdirSync(root).filter((d) => d.startsWith(`servesim-local-${process.pid}-`))).toEqual([]);
    }
  }, TIMEOUT);
});
