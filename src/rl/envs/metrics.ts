/**
 * The DRL study's metrics (calibration-targets.md, "DRL scheduler design", Metrics; §6.4):
 * QoS quotient q = L_a / L_t (q ≤ 1 success, q > 1 violation), success/violation counts and the
 * violation ratio (violations / steps; per QoS level and per phase), compliance per level,
 * cumulative reward, 5-step average reward, and time to convergence (spec suggested default: the
 * first step after which the 20-step moving success rate stays ≥ 0.8 until the end of the QoS
 * period, reported per QoS level as steps from the start of the period).
 */

/** The per-step quantities the metrics need. */
export interface MetricStep {
  readonly phase: number;
  /** QoS target, s. */
  readonly target: number;
  readonly q: number;
  readonly reward: number;
  readonly success: boolean;
  /** Decoded action name (for the action histogram). */
  readonly actionName: string;
}

/** Summary of a group of steps (all, one QoS level, or one phase). */
export interface GroupMetrics {
  readonly steps: number;
  readonly successes: number;
  readonly violations: number;
  /** successes / steps (the "% of the times" of §6.4.6). */
  readonly compliance: number;
  /** violations / steps. */
  readonly violationRatio: number;
  readonly meanQ: number;
  /** Mean q over successful steps (closeness to 1 = regulation without over-allocation). */
  readonly meanQSuccess: number | null;
  readonly meanReward: number;
  readonly sumReward: number;
}

/** Metrics of a run. */
export interface RunMetrics {
  readonly overall: GroupMetrics;
  /** Keyed by the target in seconds, e.g. "35", "26". */
  readonly byTarget: Readonly<Record<string, GroupMetrics & { readonly convergenceStep: number | null }>>;
  /** One entry per phase index present. */
  readonly byPhase: readonly (GroupMetrics & { readonly phase: number; readonly target: number; readonly actions: Readonly<Record<string, number>> })[];
  readonly cumulativeReward: number;
  /** Mean reward over the steps after the last target switch (study: steps 300–500). */
  readonly meanRewardLastTarget: number;
}

/** Group metrics of `steps` (NaN means when empty). */
export function groupMetrics(steps: readonly MetricStep[]): GroupMetrics {
  let succ = 0;
  let qs = 0;
  let qsSucc = 0;
  let rs = 0;
  for (const s of steps) {
    if (s.success) {
      succ++;
      qsSucc += s.q;
    }
    qs += s.q;
    rs += s.reward;
  }
  const n = steps.length;
  return {
    steps: n,
    successes: succ,
    violations: n - succ,
    compliance: n > 0 ? succ / n : NaN,
    violationRatio: n > 0 ? (n - succ) / n : NaN,
    meanQ: n > 0 ? qs / n : NaN,
    meanQSuccess: succ > 0 ? qsSucc / succ : null,
    meanReward: n > 0 ? rs / n : NaN,
    sumReward: rs,
  };
}

/**
 * Time to convergence within one period: the smallest offset k (steps from the period start) such
 * that the moving success rate over the last `window` steps (fewer at the period start) is ≥
 * `threshold` at every step from k to the end of the period; null when it never holds at the end.
 */
export function timeToConvergence(successes: readonly boolean[], window = 20, threshold = 0.8): number | null {
  if (!Number.isInteger(window) || window <= 0) throw new RangeError(`timeToConvergence: window must be a positive integer, found ${window}`);
  const n = successes.length;
  const rate = new Float64Array(n);
  let inWin = 0;
  for (let i = 0; i < n; i++) {
    if (successes[i]) inWin++;
    if (i >= window && successes[i - window]) inWin--;
    rate[i] = inWin / Math.min(window, i + 1);
  }
  let k: number | null = null;
  for (let i = n - 1; i >= 0; i--) {
    if (rate[i] >= threshold) k = i;
    else break;
  }
  return k;
}

/** Mean of consecutive `w`-step windows (Fig 6.5: "average on 5 steps"); the last may be shorter. */
export function windowAverages(values: readonly number[], w = 5): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += w) {
    const part = values.slice(i, i + w);
    out.push(part.reduce((a, b) => a + b, 0) / part.length);
  }
  return out;
}

/** All metrics of a run's steps. Convergence is computed on each contiguous period of one target. */
export function runMetrics(steps: readonly MetricStep[], window = 20, threshold = 0.8): RunMetrics {
  const byTarget: Record<string, GroupMetrics & { convergenceStep: number | null }> = {};
  const targets = [...new Set(steps.map((s) => s.target))];
  for (const t of targets) {
    const sel = steps.filter((s) => s.target === t);
    // The last contiguous period at this target decides convergence.
    let end = steps.length - 1;
    while (end >= 0 && steps[end].target !== t) end--;
    let start = end;
    while (start > 0 && steps[start - 1].target === t) start--;
    const period = steps.slice(start, end + 1).map((s) => s.success);
    byTarget[String(t)] = { ...groupMetrics(sel), convergenceStep: timeToConvergence(period, window, threshold) };
  }
  const phases = [...new Set(steps.map((s) => s.phase))].sort((a, b) => a - b);
  const byPhase = phases.map((p) => {
    const sel = steps.filter((s) => s.phase === p);
    const actions: Record<string, number> = {};
    for (const s of sel) actions[s.actionName] = (actions[s.actionName] ?? 0) + 1;
    return { phase: p, target: sel[0].target, ...groupMetrics(sel), actions };
  });
  let lastSwitch = 0;
  for (let i = 1; i < steps.length; i++) if (steps[i].target !== steps[i - 1].target) lastSwitch = i;
  const tail = steps.slice(lastSwitch);
  return {
    overall: groupMetrics(steps),
    byTarget,
    byPhase,
    cumulativeReward: steps.reduce((a, s) => a + s.reward, 0),
    meanRewardLastTarget: tail.length > 0 ? tail.reduce((a, s) => a + s.reward, 0) / tail.length : NaN,
  };
}

/** mean, sd (sample), min, max of finite values (NaNs and nulls ignored; all NaN when none). */
export function seedStats(values: readonly (number | null)[]): { mean: number; sd: number; min: number; max: number; n: number } {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: NaN, sd: NaN, min: NaN, max: NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, min: Math.min(...v), max: Math.max(...v), n };
}
