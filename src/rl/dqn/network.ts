/**
 * The Q-network: an MLP obsDim → hidden… (ReLU) → nActions (linear), the study's
 * 35 → 256 → 128 → 64 → |A| (calibration-targets.md DQN table). Every initialiser gets an
 * explicit seed so the same seed builds the same weights on any backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { RandomStream } from '../../core/random.js';

/** Initialisation scheme: see `DqnConfig.init`. */
export type InitScheme = 'torch' | 'glorot';

/** A seed for a tfjs initialiser drawn from `rng` (integer in [0, 2^31)). */
function drawSeed(rng: RandomStream): number {
  return rng.int(2 ** 31);
}

/**
 * Build an MLP Q-network. 'torch' init draws weights and biases from U(±1/√fan_in) (PyTorch
 * nn.Linear default, which SB3 uses); 'glorot' uses Glorot-uniform weights and zero biases.
 * Layer names are `${prefix}_dense{i}`.
 */
export function buildQNetwork(obsDim: number, nActions: number, hidden: readonly number[], init: InitScheme, rng: RandomStream, prefix = 'q'): tf.Sequential {
  const model = tf.sequential({ name: `${prefix}_net` });
  const widths = [...hidden, nActions];
  let fanIn = obsDim;
  widths.forEach((units, i) => {
    const last = i === widths.length - 1;
    const bound = 1 / Math.sqrt(fanIn);
    const kernelInitializer =
      init === 'torch'
        ? tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed: drawSeed(rng) })
        : tf.initializers.glorotUniform({ seed: drawSeed(rng) });
    const biasInitializer = init === 'torch' ? tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: drawSeed(rng) }) : tf.initializers.zeros();
    model.add(
      tf.layers.dense({
        units,
        activation: last ? 'linear' : 'relu',
        kernelInitializer,
        biasInitializer,
        name: `${prefix}_dense${i}`,
        ...(i === 0 ? { inputShape: [obsDim] } : {}),
      }),
    );
    fanIn = units;
  });
  return model;
}

/** Copy of every weight of `model` as Float32Arrays (layer order: kernel, bias, …). */
export function weightArrays(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
}

/** Set every weight of `model` from Float32Arrays in `weightArrays` order. */
export function setWeightArrays(model: tf.LayersModel, arrays: readonly ArrayLike<number>[]): void {
  const current = model.getWeights();
  if (arrays.length !== current.length) throw new RangeError(`setWeightArrays: expected ${current.length} arrays, found ${arrays.length}`);
  const tensors = current.map((w, i) => {
    if (arrays[i].length !== w.size) throw new RangeError(`setWeightArrays: weight ${i} expects ${w.size} values (shape [${w.shape.join(', ')}]), found ${arrays[i].length}`);
    return tf.tensor(Float32Array.from(arrays[i]), w.shape, 'float32');
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/**
 * Move `target` towards `online`: θ⁻ ← τ·θ + (1 − τ)·θ⁻ (SB3 `polyak_update`); τ = 1 is the
 * hard copy used by the study (sync every 60 steps).
 */
export function polyakUpdate(online: tf.LayersModel, target: tf.LayersModel, tau: number): void {
  const src = online.getWeights();
  if (tau >= 1) {
    target.setWeights(src);
    return;
  }
  const dst = target.getWeights();
  const mixed = tf.tidy(() => src.map((w, i) => tf.add(tf.mul(w, tau), tf.mul(dst[i], 1 - tau))));
  target.setWeights(mixed);
  tf.dispose(mixed);
}
