import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boxSpace,
  boxSpaceFromJson,
  boxSpaceToJson,
  discreteSpace,
  discreteSpaceFromJson,
  discreteSpaceToJson,
  validateAction,
  validateMask,
  validateObservation,
} from '../../src/rl/spaces.js';
import { normalize, normalizationFromSpace } from '../../src/rl/normalization.js';
import { CheckedEnv, EpisodeStatistics, NormalizeObservation, observationPipeline } from '../../src/rl/wrappers.js';
import { TwoNodeEnv } from './toy-envs.js';

const box = boxSpace([
  { name: 'w01.ipc', meaning: 'IPC × 5', low: 0, high: 20 },
  { name: 'w01.c0', meaning: 'C0 residency × 20', low: 0, high: 20 },
  { name: 'latency', meaning: 'last L_a (s) / 5', low: -1, high: 4 },
]);
const actions = discreteSpace([
  { name: 'FR->w01', meaning: 'move Framer to w01' },
  { name: 'scale-up', meaning: '+1 replica of FaceAnalyzer and Mobilenet' },
  { name: 'noop', meaning: 'do nothing' },
]);

describe('declared spaces', () => {
  it('builds a Box with bounds, size and shape', () => {
    expect(box.size).toBe(3);
    expect(box.shape).toEqual([3]);
    expect(Array.from(box.low)).toEqual([0, 0, -1]);
    expect(Array.from(box.high)).toEqual([20, 20, 4]);
    expect(boxSpace(box.components, [3, 1]).shape).toEqual([3, 1]);
  });

  it('rejects malformed declarations with errors naming the component', () => {
    expect(() => boxSpace([])).toThrow(/at least one component/);
    expect(() => boxSpace([{ name: 'x', meaning: '', low: 2, high: 1 }])).toThrow(/component 0 'x' needs low <= high, found low=2 high=1/);
    expect(() => boxSpace([{ name: 'x', meaning: '', low: 0, high: NaN }])).toThrow(/'x'/);
    expect(() => boxSpace([{ name: 'x', meaning: '', low: 0, high: 1 }, { name: 'x', meaning: '', low: 0, high: 1 }])).toThrow(/component 1 repeats the name 'x'/);
    expect(() => boxSpace(box.components, [2, 2])).toThrow(/product is the number of components \(3\)/);
    expect(() => discreteSpace([{ name: 'a', meaning: '' }, { name: 'a', meaning: '' }])).toThrow(/action 1 repeats/);
  });

  it('validateObservation names the component, its meaning, the bounds and the value', () => {
    expect(() => validateObservation(box, [1, 2, 3])).not.toThrow();
    expect(() => validateObservation(box, [1, 21, 3])).toThrow("observation[1] 'w01.c0' (C0 residency × 20): expected a value in [0, 20], found 21");
    expect(() => validateObservation(box, [1, 2, NaN])).toThrow(/\[2\] 'latency'.*found NaN/);
    expect(() => validateObservation(box, [1, 2])).toThrow(/expected 3 components, found 2/);
  });

  it('validateAction rejects out-of-range and masked actions, naming the action', () => {
    expect(() => validateAction(actions, 2)).not.toThrow();
    expect(() => validateAction(actions, 3)).toThrow(/expected an integer in \[0, 2\], found 3/);
    expect(() => validateAction(actions, 1.5)).toThrow(/found 1.5/);
    expect(() => validateAction(actions, 1, [1, 0, 1])).toThrow("action 1 'scale-up' (+1 replica of FaceAnalyzer and Mobilenet) is masked (illegal) in this state");
    expect(() => validateMask(actions, [0, 0, 0])).toThrow(/every action is masked/);
    expect(() => validateMask(actions, [1, 1])).toThrow(/expected 3 entries, found 2/);
  });

  it('round-trips through JSON, including unbounded components', () => {
    const s = boxSpace([{ name: 'u', meaning: 'unbounded', low: -Infinity, high: Infinity }, ...box.components]);
    const j = JSON.parse(JSON.stringify(boxSpaceToJson(s)));
    expect(j.components[0].low).toBeNull();
    const back = boxSpaceFromJson(j);
    expect(Array.from(back.low)).toEqual(Array.from(s.low));
    expect(Array.from(back.high)).toEqual(Array.from(s.high));
    expect(discreteSpaceFromJson(JSON.parse(JSON.stringify(discreteSpaceToJson(actions))))).toEqual(actions);
  });
});

describe('normalisation from declared bounds', () => {
  it('maps [low, high] linearly onto the range (hand-computed) and clips', () => {
    const n = normalizationFromSpace(box, [0, 1]);
    expect(Array.from(normalize(n, [5, 20, 1.5]))).toEqual([0.25, 1, 0.5]);
    expect(Array.from(normalize(n, [-5, 40, 4]))).toEqual([0, 1, 1]);
    const m = normalizationFromSpace(box, [-1, 1]);
    expect(Array.from(normalize(m, [10, 0, -1]))).toEqual([0, -1, -1]);
  });

  it('property: every in-bounds observation lands inside the range', () => {
    const n = normalizationFromSpace(box, [0, 1]);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: -1, max: 4, noNaN: true }), (a, b, c) => {
        for (const y of normalize(n, [a, b, c])) expect(y >= 0 && y <= 1).toBe(true);
      }),
    );
  });

  it('refuses infinite bounds, naming the component', () => {
    const s = boxSpace([{ name: 'u', meaning: '', low: 0, high: Infinity }]);
    expect(() => normalizationFromSpace(s)).toThrow(/component 0 'u' needs finite bounds/);
  });
});

describe('wrappers', () => {
  it('CheckedEnv rejects masked actions, out-of-bounds observations and steps after done', () => {
    const env = new CheckedEnv(new TwoNodeEnv(true, 2));
    env.reset(1);
    // After reset t=0, so the no-op (action 2) is masked.
    expect(() => env.step(2)).toThrow(/action 2 'noop'.*masked/);
    expect(() => env.step(7)).toThrow(/\[0, 2\], found 7/);
    env.step(0);
    env.step(2); // t=1: legal
    expect(() => env.step(0)).toThrow(/call reset/);
    const bad = new CheckedEnv({ ...new TwoNodeEnv(), observationSpace: new TwoNodeEnv().observationSpace, actionSpace: new TwoNodeEnv().actionSpace, reset: () => [2, 0], step: () => ({ observation: [0, 0], reward: 0, done: false, info: {} }) });
    expect(() => bad.reset(0)).toThrow("reset observation[0] 'last_latency' (last latency (s) / 5): expected a value in [0, 1], found 2");
  });

  it('NormalizeObservation rescales and declares the normalised space; observationPipeline recovers the raw space', () => {
    const inner = new TwoNodeEnv();
    const env = new EpisodeStatistics(new NormalizeObservation(inner, [-1, 1]));
    const o = env.reset(0);
    expect(Array.from(o)).toEqual([0.6 * 2 - 1, -1]);
    expect(Array.from(env.observationSpace.low)).toEqual([-1, -1]);
    const p = observationPipeline(env);
    expect(p.rawSpace).toBe(inner.observationSpace);
    expect(p.normalization?.range).toEqual([-1, 1]);
    expect(observationPipeline(inner).normalization).toBeUndefined();
  });

  it('EpisodeStatistics records return and length of each finished episode', () => {
    const env = new EpisodeStatistics(new TwoNodeEnv(false, 3));
    env.reset(0);
    env.step(0);
    env.step(1);
    const last = env.step(0);
    expect(last.info.episode).toEqual({ episode: 0, return: 1, length: 3, truncated: true });
    env.reset(1);
    env.step(1);
    expect(env.currentReturn).toBe(-1);
    expect(env.currentLength).toBe(1);
    expect(env.episodes).toHaveLength(1);
  });
});
