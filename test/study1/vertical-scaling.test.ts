/**
 * Reproduction test of study 1 Exp. 2 (vertical scaling) at reduced scale: 1 run per CPU limit,
 * the full replay schedule, through the whole stack (Knative data path, runtime, CFS model).
 * Asserts CT1-1…CT1-11 (single-run means stay within ±10 %: the full 3-run experiment gives the
 * same means, see the report) and the setup checks CT1-12…CT1-18 in every configuration.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/experiment/run.js';
import { study1Schema, runStudy1, exp2Checks, setupChecks, configStats } from '../../src/scenario/kinds/study1-burst-replay.js';
import { REPLAY_SCHEDULE } from '../../src/scenario/kinds/study1-replay.js';

const LIMITS = ['ded-c0.5-s1', 'ded-c1-s1', 'ded-c2-s1', 'ded-c4-s1', 'ded-c8-s1'];

describe('study 1 Exp. 2 vertical scaling (reduced: 1 run per limit)', () => {
  const body = study1Schema.parse({ configurations: LIMITS, runs: 1 });
  const results = runStudy1(body, 7);
  const checks = [...exp2Checks(results), ...results.flatMap((r) => setupChecks(r, body, { dedicated: 8, generic: 32 }))];
  console.log(['', 'check | simulated | reported | pass', ...checks.map((c) => `${c.name.slice(0, 70)} | ${c.simulated} | ${c.reported} | ${c.pass}`)].join('\n'));

  it('the replay schedule has 13 instants, 388 requests, spanning 1888.8 s', () => {
    expect(REPLAY_SCHEDULE.length).toBe(13);
    expect(REPLAY_SCHEDULE.reduce((a, s) => a + s.requests, 0)).toBe(388);
    expect(REPLAY_SCHEDULE[12].offsetS).toBe(1888.8);
  });

  it('CT1-1…CT1-11 hold', () => {
    const exp2 = checks.filter((c) => /^CT1-(\d|1[01]) /.test(c.name));
    expect(exp2.length).toBe(11);
    for (const c of exp2) expect(c.pass, `${c.name}: ${c.simulated} vs ${c.reported}`).toBe(true);
  });

  it('CT1-12…CT1-18 hold in every configuration', () => {
    const setup = checks.filter((c) => /^CT1-1[2-8] \[/.test(c.name));
    expect(setup.length).toBe(7 * LIMITS.length);
    for (const c of setup) expect(c.pass, `${c.name}: ${c.simulated}`).toBe(true);
  });

  it('durations fall monotonically with the limit and latency includes the activator wait', () => {
    const s = results.map(configStats);
    for (let i = 1; i < s.length; i++) expect(s[i].duration.mean).toBeLessThan(s[i - 1].duration.mean);
    for (const x of s) expect(x.latency.mean).toBeGreaterThan(x.duration.mean);
  });

  it('the experiment files load, and a run is deterministic', () => {
    const sc = loadScenario('experiments/vertical-scaling.yaml', { set: ['runs=1', 'configurations=[ded-c1-s1]'] });
    const a = runScenario(sc);
    const b = runScenario(sc);
    expect(JSON.stringify(a.metrics)).toBe(JSON.stringify(b.metrics));
    expect(a.checks.every((c) => c.pass)).toBe(true);
    expect(() => loadScenario('experiments/knative-burst-replay.yaml', { set: ['configurations=[ded-c3-x]'] })).toThrow(/configuration ID/);
  });
});
