/**
 * The Knative Pod Autoscaler (KPA) decider as a policy: metric buckets, stable/panic window
 * averages and the 2-second decision tick. Never reads a clock: every call takes `now` (µs).
 *
 * Sources: platform-semantics.md a.1 (stats, poke), a.2 (scrape sample size), a.3 (bucketing),
 * a.5 (decision tick, exact algorithm), a.6 (EBC). Checked against upstream knative/serving
 * `pkg/autoscaler/aggregation/bucketing.go`, `pkg/autoscaler/scaling/autoscaler.go`,
 * `multiscaler.go`, `pkg/autoscaler/aggregation/max/window.go` (upstream wins where they differ;
 * see the notes on each function).
 */
import { SECOND } from '../../core/time.js';
import type { AggregationAlgorithm, RevisionAutoscalingSpec, ScalingMetric } from './config.js';
import { BUCKET_SIZE } from './config.js';

/** Decision tick interval `tickInterval = 2s` [a.5]. */
export const KPA_TICK_INTERVAL = 2 * SECOND;
/** Scrape tick and queue-proxy/activator reporting period, 1 s [a.1, a.2]. */
export const SCRAPE_INTERVAL = SECOND;
/** Minimum number of activators per revision (`minActivators`) [a.6]. */
export const MIN_ACTIVATORS = 2;
/** `weightPrecision` and `minExponent` of the weighted-exponential buckets [a.3]. */
export const WEIGHT_PRECISION = 0.9999;
export const MIN_EXPONENT = 0.2;

/** Truncate to 6 decimals as upstream `roundToNDigits` (floor, not round) [a.3]. */
export function floorTo6(f: number): number {
  return Math.floor(f * 1e6) / 1e6;
}

/**
 * Smoothing coefficient of the weighted-exponential buckets:
 * α = max(1 − (1 − 0.9999)^(1/nBuckets), 0.2) [a.3].
 */
export function smoothingCoefficient(nBuckets: number): number {
  return Math.max(1 - Math.pow(1 - WEIGHT_PRECISION, 1 / nBuckets), MIN_EXPONENT);
}

/**
 * Time-bucketed metric over a sliding window (`TimedFloat64Buckets`, and the
 * `WeightedFloat64Buckets` variant) [a.3]. Values recorded in the same bucket are summed.
 * Ring buffer of `ceil(window / granularity)` buckets in a Float64Array; O(gap) per record.
 */
export class MetricBuckets {
  readonly window: number;
  readonly granularity: number;
  readonly algorithm: AggregationAlgorithm;
  private readonly buckets: Float64Array;
  private readonly alpha: number;
  private firstWrite = 0;
  private hasFirstWrite = false;
  /** Truncated time of the last write; -Infinity before any write (Go's zero time). */
  private lastWrite = -Infinity;
  private windowTotal = 0;

  /** @param window µs, @param granularity µs (BUCKET_SIZE = 1 s by default). */
  constructor(window: number, algorithm: AggregationAlgorithm = 'linear', granularity: number = BUCKET_SIZE) {
    if (!(window > 0) || !(granularity > 0)) {
      throw new Error(`MetricBuckets: expected window and granularity > 0 µs, found window=${window}, granularity=${granularity}`);
    }
    this.window = window;
    this.granularity = granularity;
    this.algorithm = algorithm;
    const nb = Math.ceil(window / granularity);
    this.buckets = new Float64Array(nb);
    this.alpha = smoothingCoefficient(nb);
  }

  private trunc(t: number): number {
    return Math.floor(t / this.granularity) * this.granularity;
  }

  private index(t: number): number {
    return Math.floor(t / this.granularity);
  }

  /** Add `value` to the bucket of time `now` (µs) [a.3 "Recording"]. */
  record(now: number, value: number): void {
    const bucketTime = this.trunc(now);
    const writeIdx = this.index(now);
    const n = this.buckets.length;
    if (this.lastWrite !== bucketTime) {
      if (bucketTime + this.window > this.lastWrite) {
        if (!this.hasFirstWrite || this.firstWrite > bucketTime) {
          this.firstWrite = bucketTime;
          this.hasFirstWrite = true;
        }
        if (bucketTime > this.lastWrite) {
          if (bucketTime - this.lastWrite >= this.window) {
            // No writes for a full window: reset all buckets and firstWrite.
            this.firstWrite = bucketTime;
            this.buckets.fill(0);
            this.windowTotal = 0;
          } else {
            for (let i = this.index(this.lastWrite) + 1; i <= writeIdx; i++) {
              const idx = i % n;
              this.windowTotal -= this.buckets[idx];
              this.buckets[idx] = 0;
            }
          }
          this.lastWrite = bucketTime;
        }
      } else {
        return; // older than a window before the last write: ignored
      }
    }
    this.buckets[writeIdx % n] += value;
    this.windowTotal += value;
  }

  /** True when nothing was recorded within the window before `now` (`IsEmpty`). */
  isEmpty(now: number): boolean {
    return this.trunc(now) - this.lastWrite > this.window;
  }

  /** Window average at `now` (`WindowAverage`) with the configured algorithm [a.3]. */
  windowAverage(now: number): number {
    return this.algorithm === 'linear' ? this.linearAverage(now) : this.weightedAverage(now);
  }

  private linearAverage(nowRaw: number): number {
    const now = this.trunc(nowRaw);
    const d = now - this.lastWrite;
    const n = this.buckets.length;
    const span = (this.lastWrite - this.firstWrite) / this.granularity + 1;
    if (d <= 0) {
      return floorTo6(this.windowTotal / Math.min(span, n));
    }
    if (d < this.window) {
      const st = this.index(this.lastWrite);
      const en = this.index(now);
      let ret = this.windowTotal;
      for (let i = st + 1; i <= en; i++) ret -= this.buckets[i % n];
      return floorTo6(ret / Math.min(span, n - (en - st)));
    }
    return 0;
  }

  private weightedAverage(nowRaw: number): number {
    const now = this.trunc(nowRaw);
    if (this.isEmpty(now)) return 0;
    const totalB = this.buckets.length;
    let numB = totalB;
    let multiplier = this.alpha;
    if (now > this.lastWrite) {
      const numZ = Math.floor((now - this.lastWrite) / this.granularity);
      multiplier *= Math.pow(1 - this.alpha, numZ);
      numB -= numZ;
    }
    const start = this.index(this.lastWrite) + totalB;
    let ret = 0;
    for (let i = 0; i < numB; i++) {
      ret += this.buckets[(start - i) % totalB] * multiplier;
      multiplier *= 1 - this.alpha;
    }
    return ret;
  }
}

/**
 * One stat as the collector records it [a.1 "Combining the two"]: values already net of proxied
 * requests at the pod (`concurrency = AverageConcurrentRequests − AverageProxiedConcurrentRequests`,
 * `rps = RequestCount − ProxiedRequestCount`) and revision-wide (the scrape extrapolates).
 */
export interface KpaStat {
  readonly concurrency: number;
  readonly rps: number;
}

/** Stable/panic observation handed to the decider. */
export interface StableAndPanic {
  readonly stable: number;
  readonly panic: number;
}

/**
 * Per-revision metric collection: stable and panic buckets for concurrency and rps [a.3].
 * `record` sums every source (scrape, activator reports) into the same 1 s bucket.
 */
export class KpaMetricCollector {
  readonly concurrencyStable: MetricBuckets;
  readonly concurrencyPanic: MetricBuckets;
  readonly rpsStable: MetricBuckets;
  readonly rpsPanic: MetricBuckets;

  /**
   * @param hasScrapeTarget false when TBC = −1 (upstream `resolveScrapeTarget` returns ""), in
   *   which case empty buckets give 0 rather than "no data".
   */
  constructor(stableWindow: number, panicWindow: number, algorithm: AggregationAlgorithm = 'linear', readonly hasScrapeTarget = true) {
    this.concurrencyStable = new MetricBuckets(stableWindow, algorithm);
    this.concurrencyPanic = new MetricBuckets(panicWindow, algorithm);
    this.rpsStable = new MetricBuckets(stableWindow, algorithm);
    this.rpsPanic = new MetricBuckets(panicWindow, algorithm);
  }

  static forSpec(spec: RevisionAutoscalingSpec): KpaMetricCollector {
    return new KpaMetricCollector(spec.stableWindow, spec.panicWindow, spec.aggregation, spec.targetBurstCapacity !== -1);
  }

  /** Record one stat at `now` (µs). */
  record(now: number, stat: KpaStat): void {
    this.concurrencyStable.record(now, stat.concurrency);
    this.concurrencyPanic.record(now, stat.concurrency);
    this.rpsStable.record(now, stat.rps);
    this.rpsPanic.record(now, stat.rps);
  }

  /** Stable and panic averages of `metric` at `now`, or null for "no data" (`ErrNoData`) [a.5]. */
  stableAndPanic(now: number, metric: ScalingMetric): StableAndPanic | null {
    const s = metric === 'rps' ? this.rpsStable : this.concurrencyStable;
    const p = metric === 'rps' ? this.rpsPanic : this.concurrencyPanic;
    if (this.hasScrapeTarget && s.isEmpty(now)) return null;
    return { stable: s.windowAverage(now), panic: p.windowAverage(now) };
  }
}

/**
 * Number of pods the scraper samples out of `readyPods` [a.2]: all if ≤ 3, else
 * ceil(N·X / (N + X − 1)) with X = 1.96²·100/5² = 15.3664. N=10 → 7, N=100 → 14.
 */
export function scrapeSampleSize(readyPods: number): number {
  if (readyPods <= 3) return Math.max(0, readyPods);
  const x = (1.96 * 1.96 * 100) / 25;
  return Math.ceil((readyPods * x) / (readyPods + x - 1));
}

/** What the decider needs from a revision spec (upstream `DeciderSpec`). */
export interface DeciderSpec {
  readonly maxScaleUpRate: number;
  readonly maxScaleDownRate: number;
  readonly targetValue: number;
  readonly totalValue: number;
  readonly targetBurstCapacity: number;
  readonly activatorCapacity: number;
  readonly panicThreshold: number;
  /** µs. */
  readonly stableWindow: number;
  readonly activationScale: number;
  readonly initialScale: number;
  readonly reachable: boolean;
  /** µs, whole seconds; 0 = no delay. */
  readonly scaleDownDelay: number;
}

/** Observation for one decision tick. `metrics` null means the collector had no data. */
export interface KpaObservation {
  /** Ready pod count from the endpoints (0 when not found). */
  readonly readyPods: number;
  readonly metrics: StableAndPanic | null;
}

export interface KpaDecision {
  /** False when there was no data: the caller keeps its previous decision [a.5]. */
  readonly valid: boolean;
  readonly desiredPodCount: number;
  /** Excess burst capacity (int32-truncated as upstream) [a.5, a.6]. */
  readonly excessBurstCapacity: number;
  readonly numActivators: number;
  /** Diagnostics: the window averages, rate bounds and panic state used. */
  readonly stable: number;
  readonly panic: number;
  readonly inPanic: boolean;
  readonly desiredStable: number;
  readonly desiredPanic: number;
}

/**
 * Excess burst capacity [a.5]: TBC = 0 → 0; TBC > 0 → floor(readyOrig·TotalValue − TBC − panic);
 * TBC = −1 → −1.
 */
export function excessBurstCapacity(readyPods: number, totalValue: number, targetBurstCapacity: number, panicValue: number): number {
  if (targetBurstCapacity === 0) return 0;
  if (targetBurstCapacity > 0) return Math.trunc(Math.floor(readyPods * totalValue - targetBurstCapacity - panicValue));
  return -1;
}

/**
 * Activators per revision [a.6] (`computeNumActivators`): TBC = 0 → 2; otherwise
 * max(2, ceil((ready·TotalValue + max(TBC, 0)) / activatorCapacity)).
 */
export function numActivators(readyPods: number, totalValue: number, targetBurstCapacity: number, activatorCapacity: number): number {
  if (targetBurstCapacity === 0) return MIN_ACTIVATORS;
  const cap = readyPods * totalValue + Math.max(targetBurstCapacity, 0);
  return Math.max(MIN_ACTIVATORS, Math.ceil(cap / activatorCapacity));
}

/**
 * Initial decider status before any valid tick [a.5 notes, upstream `createScaler`]:
 * desired −1 (unknown); EBC = TBC for TBC ∈ {−1, 0}, else trunc(InitialScale·TotalValue − TBC).
 */
export function initialDeciderStatus(spec: Pick<DeciderSpec, 'targetBurstCapacity' | 'totalValue' | 'initialScale'>): { desiredScale: number; excessBurstCapacity: number } {
  const tbc = spec.targetBurstCapacity;
  const ebc = tbc === -1 || tbc === 0 ? tbc : Math.trunc(spec.initialScale * spec.totalValue - tbc);
  return { desiredScale: -1, excessBurstCapacity: ebc };
}

/** Go's int32 sign comparison used by `updateLatestScale` (0 counts as non-negative). */
export function sameSign(a: number, b: number): boolean {
  return (a < 0) === (b < 0);
}

/**
 * Whether a new tick result must wake the PA reconciler (`updateLatestScale`) [a.6]:
 * desired scale or activator count changed, or the EBC sign flipped.
 */
export function deciderStatusChanged(
  prev: { desiredScale: number; excessBurstCapacity: number; numActivators: number },
  next: Pick<KpaDecision, 'desiredPodCount' | 'excessBurstCapacity' | 'numActivators'>,
): boolean {
  return prev.desiredScale !== next.desiredPodCount
    || prev.numActivators !== next.numActivators
    || !sameSign(prev.excessBurstCapacity, next.excessBurstCapacity);
}

/**
 * The scale-from-zero poke [a.1]: run the decider immediately when the latest desired scale is 0
 * and the stat carries non-zero concurrency.
 */
export function shouldPoke(latestDesiredScale: number, statAverageConcurrency: number): boolean {
  return latestDesiredScale === 0 && statAverageConcurrency !== 0;
}

/**
 * Sliding maximum over `duration` with `granularity`-sized buckets (`max.TimeWindow`), used by
 * scale-down-delay. Upstream creates it with granularity = tickInterval (2 s); the spec says 1 s —
 * upstream wins.
 */
export class MaxTimeWindow {
  private readonly size: number;
  private readonly idx: number[] = [];
  private readonly val: number[] = [];

  constructor(duration: number, readonly granularity: number = KPA_TICK_INTERVAL) {
    this.size = Math.ceil(duration / granularity);
  }

  record(now: number, value: number): void {
    const index = Math.floor(now / this.granularity);
    // Descending-maxima deque: drop tail entries not greater than the new value…
    while (this.val.length > 0 && this.val[this.val.length - 1] <= value) {
      this.val.pop();
      this.idx.pop();
    }
    // …and expired head entries.
    while (this.idx.length > 0 && this.idx[0] + this.size <= index) {
      this.idx.shift();
      this.val.shift();
    }
    this.idx.push(index);
    this.val.push(value);
  }

  current(): number {
    return this.val.length > 0 ? this.val[0] : 0;
  }
}

/** Build a DeciderSpec from a resolved revision spec. */
export function deciderSpecFrom(spec: RevisionAutoscalingSpec): DeciderSpec {
  return {
    maxScaleUpRate: spec.maxScaleUpRate,
    maxScaleDownRate: spec.maxScaleDownRate,
    targetValue: spec.targetValue,
    totalValue: spec.totalValue,
    targetBurstCapacity: spec.targetBurstCapacity,
    activatorCapacity: spec.activatorCapacity,
    panicThreshold: spec.panicThreshold,
    stableWindow: spec.stableWindow,
    activationScale: spec.activationScale,
    initialScale: spec.initialScale,
    reachable: spec.reachable,
    scaleDownDelay: spec.scaleDownDelay,
  };
}

/**
 * The per-revision KPA decider (upstream `autoscaler`): holds only the panic state
 * (panicTime, maxPanicPods) and the scale-down-delay window. `scale(now, obs)` is the exact
 * algorithm of a.5. Min/max scale, initial scale and scale-to-zero are the scaler's job
 * (scale-to-zero.ts), as upstream.
 */
export class KpaDecider {
  private panicTime: number | null;
  private maxPanicPods: number;
  private readonly delayWindow: MaxTimeWindow | null;

  /**
   * @param now creation time (µs).
   * @param readyPodsAtCreation ready pods when the decider is created: if > 1 it starts in panic
   *   mode with maxPanicPods = ready, so an autoscaler restart keeps the scale [a.5 notes].
   */
  constructor(readonly spec: DeciderSpec, now: number, readyPodsAtCreation = 0) {
    validateDeciderSpec(spec);
    this.panicTime = readyPodsAtCreation > 1 ? now : null;
    this.maxPanicPods = readyPodsAtCreation;
    this.delayWindow = spec.scaleDownDelay > 0 ? new MaxTimeWindow(spec.scaleDownDelay) : null;
  }

  /** True while in panic mode. */
  get inPanic(): boolean {
    return this.panicTime !== null;
  }

  /** One decision tick at `now` (µs) [a.5]. */
  scale(now: number, obs: KpaObservation): KpaDecision {
    const s = this.spec;
    const readyOrig = obs.readyPods;
    if (obs.metrics === null) {
      return {
        valid: false, desiredPodCount: -1, excessBurstCapacity: 0, numActivators: MIN_ACTIVATORS,
        stable: 0, panic: 0, inPanic: this.inPanic, desiredStable: 0, desiredPanic: 0,
      };
    }
    const { stable, panic } = obs.metrics;
    const ready = Math.max(1, readyOrig);
    const maxScaleUp = Math.ceil(s.maxScaleUpRate * ready);
    const maxScaleDown = s.reachable ? Math.floor(ready / s.maxScaleDownRate) : 0;
    const dspc = Math.ceil(stable / s.targetValue);
    const dppc = Math.ceil(panic / s.targetValue);
    let desiredStable = Math.trunc(Math.min(Math.max(dspc, maxScaleDown), maxScaleUp));
    let desiredPanic = Math.trunc(Math.min(Math.max(dppc, maxScaleDown), maxScaleUp));
    if (s.activationScale > 1) {
      if (dspc > 0 && s.activationScale > desiredStable) desiredStable = s.activationScale;
      if (dppc > 0 && s.activationScale > desiredPanic) desiredPanic = s.activationScale;
    }
    const overPanic = dppc / ready >= s.panicThreshold;
    if (this.panicTime === null && overPanic) {
      this.panicTime = now; // enter panic
    } else if (overPanic) {
      this.panicTime = now; // extend
    } else if (this.panicTime !== null && this.panicTime + s.stableWindow < now) {
      this.panicTime = null; // exit after a full stable window below threshold
      this.maxPanicPods = 0;
    }
    let desired = desiredStable;
    if (this.panicTime !== null) {
      if (desired < desiredPanic) desired = desiredPanic;
      if (desired > this.maxPanicPods) this.maxPanicPods = desired;
      desired = this.maxPanicPods; // never scale down in panic
    }
    if (this.delayWindow !== null) {
      this.delayWindow.record(now, desired);
      desired = this.delayWindow.current();
    }
    return {
      valid: true,
      desiredPodCount: desired,
      excessBurstCapacity: excessBurstCapacity(readyOrig, s.totalValue, s.targetBurstCapacity, panic),
      numActivators: numActivators(readyOrig, s.totalValue, s.targetBurstCapacity, s.activatorCapacity),
      stable,
      panic,
      inPanic: this.panicTime !== null,
      desiredStable,
      desiredPanic,
    };
  }
}

function validateDeciderSpec(s: DeciderSpec): void {
  const bad = (k: string, exp: string, v: unknown): never => {
    throw new Error(`KpaDecider spec.${k}: expected ${exp}, found ${JSON.stringify(v)}`);
  };
  if (!(s.targetValue > 0)) bad('targetValue', '> 0', s.targetValue);
  if (!(s.totalValue > 0)) bad('totalValue', '> 0', s.totalValue);
  if (!(s.maxScaleUpRate > 1)) bad('maxScaleUpRate', '> 1', s.maxScaleUpRate);
  if (!(s.maxScaleDownRate > 1)) bad('maxScaleDownRate', '> 1', s.maxScaleDownRate);
  if (!(s.panicThreshold > 0)) bad('panicThreshold', '> 0', s.panicThreshold);
  if (!(s.stableWindow > 0)) bad('stableWindow', '> 0 µs', s.stableWindow);
  if (!(s.scaleDownDelay >= 0)) bad('scaleDownDelay', '≥ 0 µs', s.scaleDownDelay);
}

/**
 * Convenience: collector + decider for one revision, advanced by explicit calls.
 * `record(now, stat)` on every scrape/activator report; `tick(now, readyPods)` every 2 s and on a poke.
 */
export class KpaAutoscaler {
  readonly collector: KpaMetricCollector;
  readonly decider: KpaDecider;
  /** Latest decider status (`DeciderStatus`), −1 desired before the first valid tick. */
  readonly status: { desiredScale: number; excessBurstCapacity: number; numActivators: number };

  constructor(readonly spec: RevisionAutoscalingSpec, now: number, readyPodsAtCreation = 0) {
    this.collector = KpaMetricCollector.forSpec(spec);
    const ds = deciderSpecFrom(spec);
    this.decider = new KpaDecider(ds, now, readyPodsAtCreation);
    const init = initialDeciderStatus(ds);
    this.status = { desiredScale: init.desiredScale, excessBurstCapacity: init.excessBurstCapacity, numActivators: MIN_ACTIVATORS };
  }

  record(now: number, stat: KpaStat): void {
    this.collector.record(now, stat);
  }

  /** Run a tick; returns the decision and whether the reconciler must be informed. */
  tick(now: number, readyPods: number): { decision: KpaDecision; changed: boolean } {
    const decision = this.decider.scale(now, { readyPods, metrics: this.collector.stableAndPanic(now, this.spec.metric) });
    if (!decision.valid) return { decision, changed: false };
    const changed = deciderStatusChanged(this.status, decision);
    this.status.desiredScale = decision.desiredPodCount;
    this.status.excessBurstCapacity = decision.excessBurstCapacity;
    this.status.numActivators = decision.numActivators;
    return { decision, changed };
  }
}
