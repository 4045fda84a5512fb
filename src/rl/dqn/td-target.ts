/**
 * Pure formulas of the DQN update (issue 7 item 3; platform-semantics.md f.1, f.2;
 * calibration-targets.md DQN table):
 * - 1-step TD target y = r + γ·(1 − done)·Q_target(s', a*), where a* = argmax over LEGAL a' of
 *   Q_online(s', a') (Double DQN, van Hasselt et al. 2016) or of Q_target(s', a') (Nature/SB3 DQN);
 * - Huber (smooth-L1) loss with δ = 1 (SB3 `F.smooth_l1_loss`, mean reduction);
 * - clipping by global norm (PyTorch `clip_grad_norm_`: scale = min(1, maxNorm/(‖g‖ + 1e-6))).
 * The agent computes its targets with `tdTargets`, so these tests cover the code it runs.
 */

/** Index of the largest `q[row*n + a]` over actions with `mask[row*n + a] !== 0`; ties → lowest index. Returns -1 if none legal. */
export function maskedArgmax(q: ArrayLike<number>, n: number, row = 0, mask?: ArrayLike<number>): number {
  let best = -1;
  let bestV = -Infinity;
  const o = row * n;
  for (let a = 0; a < n; a++) {
    if (mask !== undefined && mask[o + a] === 0) continue;
    const v = q[o + a];
    if (best < 0 || v > bestV) {
      best = a;
      bestV = v;
    }
  }
  return best;
}

/**
 * TD targets for a batch, written into `out` (length = batch size).
 * `qOnlineNext` and `qTargetNext` are batch × n row-major; `nextMasks` (optional, batch × n)
 * restricts the max/argmax to legal next actions. A next state with no legal action (only
 * possible when terminal) contributes no bootstrap term.
 */
export function tdTargets(
  rewards: ArrayLike<number>,
  dones: ArrayLike<number>,
  qOnlineNext: ArrayLike<number>,
  qTargetNext: ArrayLike<number>,
  n: number,
  gamma: number,
  double: boolean,
  nextMasks: ArrayLike<number> | undefined,
  out: Float32Array | Float64Array,
): Float32Array | Float64Array {
  const b = rewards.length;
  for (let i = 0; i < b; i++) {
    let boot = 0;
    if (dones[i] === 0) {
      const aStar = maskedArgmax(double ? qOnlineNext : qTargetNext, n, i, nextMasks);
      if (aStar >= 0) boot = qTargetNext[i * n + aStar];
    }
    out[i] = rewards[i] + gamma * boot;
  }
  return out;
}

/** Huber loss of one residual x = y − q with threshold δ: ½x² if |x| ≤ δ, else δ(|x| − ½δ). */
export function huber(x: number, delta = 1): number {
  const a = Math.abs(x);
  return a <= delta ? 0.5 * x * x : delta * (a - 0.5 * delta);
}

/** Mean Huber loss over paired arrays (SB3 `smooth_l1_loss`, reduction 'mean', β = 1). */
export function meanHuber(pred: ArrayLike<number>, target: ArrayLike<number>, delta = 1): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += huber(target[i] - pred[i], delta);
  return s / pred.length;
}

/**
 * The factor that clips gradients to global norm ≤ maxNorm, PyTorch `clip_grad_norm_`
 * (SB3 `max_grad_norm` = 10): min(1, maxNorm / (norm + 1e-6)).
 */
export function clipFactor(globalNorm: number, maxNorm: number): number {
  const c = maxNorm / (globalNorm + 1e-6);
  return c < 1 ? c : 1;
}
