import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/core/time.js';
import { evaluationSchedule, occupiedCores, phaseAt, phaseIndexAt, repeatSchedule, trainingSchedule, validateSchedule } from '../../src/rl/envs/schedule.js';

const NODES = ['w01', 'w02', 'w03', 'w04'];

describe('study schedules (Eqs. 6.1–6.4, CT5-21)', () => {
  it('training: 500 steps, target 35 s then 26 s from step 300, five 100-step pressure phases', () => {
    const s = trainingSchedule();
    validateSchedule(s, NODES);
    expect(s.steps).toBe(500);
    expect(s.phases.map((p) => [p.from, p.to])).toEqual([[0, 100], [100, 200], [200, 300], [300, 400], [400, 500]]);
    expect(phaseAt(s, 299).target).toBe(35 * SECOND);
    expect(phaseAt(s, 300).target).toBe(26 * SECOND);
    expect(phaseAt(s, 0).pressure).toEqual({ w01: 25, w04: 50 });
    expect(phaseAt(s, 100).pressure).toEqual({ w01: 50, w04: 25 });
    expect(phaseAt(s, 250).pressure).toEqual({ w02: 50, w03: 25 });
    expect(phaseAt(s, 399).pressure).toEqual({});
    expect(phaseAt(s, 499).pressure).toEqual({ w01: 50, w02: 25, w03: 75 });
    // Half-open boundaries: step 100 belongs to the second phase.
    expect(phaseIndexAt(s, 99)).toBe(0);
    expect(phaseIndexAt(s, 100)).toBe(1);
  });

  it('evaluation: the 250-step half-scale copy, QoS switch at step 150', () => {
    const s = evaluationSchedule();
    validateSchedule(s, NODES);
    expect(s.steps).toBe(250);
    expect(s.phases.map((p) => p.to)).toEqual([50, 100, 150, 200, 250]);
    expect(phaseAt(s, 149).target).toBe(35 * SECOND);
    expect(phaseAt(s, 150).target).toBe(26 * SECOND);
    const t = trainingSchedule();
    s.phases.forEach((p, i) => expect(p.pressure).toEqual(t.phases[i].pressure));
  });

  it('occupied cores per the derived table (CT5-2)', () => {
    expect(occupiedCores(50, 8)).toBe(4);
    expect(occupiedCores(50, 16)).toBe(8);
    expect(occupiedCores(50, 4)).toBe(2);
    expect(occupiedCores(25, 8)).toBe(2);
    expect(occupiedCores(25, 4)).toBe(1);
    expect(occupiedCores(25, 16)).toBe(4);
    expect(occupiedCores(75, 16)).toBe(12);
    expect(occupiedCores(0, 8)).toBe(0);
    expect(occupiedCores(1, 4)).toBe(1);
    expect(() => occupiedCores(120, 4)).toThrow(/level in \[0, 100\]/);
  });

  it('repeat for multi-episode training; wraps past the end', () => {
    const r = repeatSchedule(trainingSchedule(), 3);
    validateSchedule(r, NODES);
    expect(r.steps).toBe(1500);
    expect(phaseAt(r, 1300).target).toBe(26 * SECOND);
    expect(phaseIndexAt(trainingSchedule(), 500)).toBe(0);
  });

  it('rejects gaps, bad levels and unknown nodes, naming the phase', () => {
    const s = trainingSchedule();
    expect(() => validateSchedule({ ...s, phases: [s.phases[0], s.phases[2]] }, NODES)).toThrow(/phases\[1\]\.from: expected 100/);
    expect(() => validateSchedule({ ...s, phases: [{ ...s.phases[0], to: 500, pressure: { w09: 10 } }] }, NODES)).toThrow(/phases\[0\]\.pressure\.w09: unknown node/);
    expect(() => validateSchedule({ ...s, phases: [{ ...s.phases[0], to: 500, pressure: { w01: 130 } }] }, NODES)).toThrow(/percentage in \[0, 100\], found 130/);
    expect(() => validateSchedule({ ...s, steps: 400 }, NODES)).toThrow(/end at step 500, expected steps = 400/);
  });
});
