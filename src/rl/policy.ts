/**
 * Deployable policies (issue 7 item 6; DESIGN.md rule 3: policies never read a clock). A
 * policy is a plain object called with `(now, observation, mask?)` that returns an action; the
 * live backends call it unchanged. This module must not import the simulator (core/simulation,
 * platform/…): a test walks its module graph.
 *
 * Baselines (calibration-targets.md, "Sanity baselines"): seeded uniform random, greedy by a
 * user-supplied score, and a fixed action (e.g. the "Static" no-op baseline).
 */
import * as tf from '@tensorflow/tfjs';
import { RandomStream } from '../core/random.js';
import { initBackend, type BackendChoice } from './dqn/backend.js';
import { maskedArgmax } from './dqn/td-target.js';
import { loadModelFromDir } from './model-io.js';
import { checkNormalization, normalize } from './normalization.js';
import { readPolicySpec, type PolicySpec } from './policy-spec.js';
import { boxSpaceFromJson, discreteSpaceFromJson, validateMask, validateObservation, type ActionMask, type BoxSpace, type DiscreteSpace, type Observation } from './spaces.js';

/** A decision rule: given the time (integer µs, or any monotone clock) and an observation, an action. */
export interface Policy {
  readonly name: string;
  /** Number of actions (actions are 0..nActions-1). */
  readonly nActions: number;
  /** Choose an action; never returns an action masked out by `mask`. */
  act(now: number, observation: Observation, mask?: ActionMask): number;
}

/** A policy loaded from a saved directory. */
export interface LoadedPolicy extends Policy {
  readonly spec: PolicySpec;
  readonly observationSpace: BoxSpace;
  readonly actionSpace: DiscreteSpace;
  /** Q-values of one raw observation (after the saved normalisation). */
  qValues(observation: Observation): Float32Array;
  /** Release the model's tensors. */
  dispose(): void;
}

function checkMaskFor(n: number, mask: ActionMask | undefined, who: string): void {
  if (mask === undefined) return;
  if (mask.length !== n) throw new RangeError(`${who}: expected an action mask of ${n} entries, found ${mask.length}`);
  for (let a = 0; a < n; a++) if (mask[a] !== 0) return;
  throw new RangeError(`${who}: every action is masked; expected at least one legal action`);
}

/**
 * Load a trained policy from `dir` (`model.json`, `weights.bin`, `spec.json`). `act` applies
 * the saved normalisation to the raw observation, runs the network and returns the greedy legal
 * action (ties → lowest index): SB3 `predict(deterministic=True)`, parameters frozen
 * (calibration-targets.md DQN table, "inference"). With `validate` (default true) an
 * observation outside the saved space throws, naming the component.
 */
export async function loadPolicy(dir: string, opts: { backend?: BackendChoice; validate?: boolean } = {}): Promise<LoadedPolicy> {
  const spec = readPolicySpec(dir);
  const observationSpace = boxSpaceFromJson(spec.observationSpace);
  const actionSpace = discreteSpaceFromJson(spec.actionSpace);
  const norm = spec.normalization ?? undefined;
  if (norm !== undefined) checkNormalization(norm, observationSpace.size, `${dir}/spec.json: normalization`);
  await initBackend(opts.backend ?? 'auto');
  const model = await loadModelFromDir(dir);
  const inShape = model.inputs[0].shape;
  const outShape = model.outputs[0].shape;
  if (inShape[inShape.length - 1] !== observationSpace.size || outShape[outShape.length - 1] !== actionSpace.n) {
    model.dispose();
    throw new Error(`${dir}: the model maps ${String(inShape[inShape.length - 1])} inputs to ${String(outShape[outShape.length - 1])} outputs, but spec.json declares ${observationSpace.size} observation components and ${actionSpace.n} actions`);
  }
  const validate = opts.validate ?? true;
  const d = observationSpace.size;
  const input = new Float32Array(d);
  const qValues = (observation: Observation): Float32Array => {
    if (validate) validateObservation(observationSpace, observation);
    else if (observation.length !== d) throw new RangeError(`observation: expected ${d} components, found ${observation.length}`);
    if (norm !== undefined) normalize(norm, observation, input);
    else for (let i = 0; i < d; i++) input[i] = observation[i];
    const t = tf.tidy(() => model.predict(tf.tensor2d(input, [1, d])) as tf.Tensor);
    const q = t.dataSync() as Float32Array;
    t.dispose();
    return q;
  };
  return {
    name: `${spec.algorithm}:${dir}`,
    nActions: actionSpace.n,
    spec,
    observationSpace,
    actionSpace,
    qValues,
    act(_now: number, observation: Observation, mask?: ActionMask): number {
      if (mask !== undefined) validateMask(actionSpace, mask);
      return maskedArgmax(qValues(observation), actionSpace.n, 0, mask);
    },
    dispose(): void {
      model.dispose();
    },
  };
}

/** Uniformly random legal actions from a seeded stream (the "Random" baseline). */
export function randomPolicy(nActions: number, seed: number | RandomStream): Policy {
  if (!Number.isInteger(nActions) || nActions <= 0) throw new RangeError(`randomPolicy: nActions must be a positive integer, found ${nActions}`);
  const rng = typeof seed === 'number' ? new RandomStream('policy:random', `servesim:${seed}:policy:random`) : seed;
  const legal = new Int32Array(nActions);
  return {
    name: 'random',
    nActions,
    act(_now: number, _observation: Observation, mask?: ActionMask): number {
      if (mask === undefined) return rng.int(nActions);
      checkMaskFor(nActions, mask, 'randomPolicy');
      let k = 0;
      for (let a = 0; a < nActions; a++) if (mask[a] !== 0) legal[k++] = a;
      return legal[rng.int(k)];
    },
  };
}

/**
 * The legal action with the highest `score(now, observation, action)` (ties → lowest index):
 * e.g. "move to the node with the lowest C0".
 */
export function greedyPolicy(nActions: number, score: (now: number, observation: Observation, action: number) => number, name = 'greedy'): Policy {
  if (!Number.isInteger(nActions) || nActions <= 0) throw new RangeError(`greedyPolicy: nActions must be a positive integer, found ${nActions}`);
  const scores = new Float64Array(nActions);
  return {
    name,
    nActions,
    act(now: number, observation: Observation, mask?: ActionMask): number {
      checkMaskFor(nActions, mask, name);
      for (let a = 0; a < nActions; a++) {
        const s = mask !== undefined && mask[a] === 0 ? -Infinity : score(now, observation, a);
        if (Number.isNaN(s)) throw new RangeError(`${name}: score of action ${a} is NaN`);
        scores[a] = s;
      }
      return maskedArgmax(scores, nActions, 0, mask);
    },
  };
}

/** Always `action` (e.g. the no-op "Static" baseline); throws if a mask forbids it. */
export function fixedActionPolicy(nActions: number, action: number, name = `fixed:${action}`): Policy {
  if (!Number.isInteger(action) || action < 0 || action >= nActions) {
    throw new RangeError(`fixedActionPolicy: expected an action in [0, ${nActions - 1}], found ${action}`);
  }
  return {
    name,
    nActions,
    act(_now: number, _observation: Observation, mask?: ActionMask): number {
      checkMaskFor(nActions, mask, name);
      if (mask !== undefined && mask[action] === 0) throw new RangeError(`${name}: the fixed action ${action} is masked in this state`);
      return action;
    },
  };
}
