/**
 * HorizontalPodAutoscaler v2 as a policy: replica calculation (resource utilization and plain
 * per-pod metrics, with tolerance, missing-metric and unready-pod handling) and the controller's
 * stabilization and rate limits (with and without `behavior`).
 *
 * Sources: platform-semantics.md c.6; upstream kubernetes
 * `pkg/controller/podautoscaler/replica_calculator.go` (GetResourceReplicas, calcPlainMetricReplicas,
 * groupPods), `horizontal.go` (stabilizeRecommendation[WithBehaviors],
 * convertDesiredReplicasWithRules / WithBehaviorRate, calculateScale{Up,Down}Limit*, storeScaleEvent).
 * Upstream details kept: without behavior a recommendation counts while age ≤ window
 * (`!Before(cutoff)`); with behavior only while strictly younger (`After(cutoff)`); the first
 * reconcile seeds the history with the current replica count.
 * Times are integer µs; never reads a clock.
 */
import { SECOND } from '../../core/time.js';

/** Controller defaults [c.6]. */
export const HPA_SYNC_PERIOD = 15 * SECOND;
export const HPA_TOLERANCE = 0.1;
export const HPA_DOWNSCALE_STABILIZATION = 300 * SECOND;
export const HPA_CPU_INITIALIZATION_PERIOD = 300 * SECOND;
export const HPA_INITIAL_READINESS_DELAY = 30 * SECOND;
export const HPA_DEFAULT_CPU_UTILIZATION = 80;
/** Scale-up limit without behavior: max(2·current, 4) [c.6]. */
export const SCALE_UP_LIMIT_FACTOR = 2;
export const SCALE_UP_LIMIT_MINIMUM = 4;

/** A pod as the replica calculator sees it. */
export interface HpaPod {
  readonly name: string;
  readonly phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  readonly deleted?: boolean;
  /** Ready condition status; undefined = no Ready condition. */
  readonly ready?: boolean;
  /** Pod start time, µs; undefined = not started. */
  readonly startTime?: number;
  /** LastTransitionTime of the Ready condition, µs. */
  readonly readyTransitionTime?: number;
  /** Request of the scaled resource (e.g. milli-CPU); required for resource metrics. */
  readonly request?: number;
}

/** A metric sample of one pod: value (same unit as request), sample time and window (µs). */
export interface PodMetric {
  readonly value: number;
  readonly timestamp: number;
  readonly window: number;
}

export interface Tolerance {
  readonly scaleUp: number;
  readonly scaleDown: number;
}

/** Symmetric tolerance (default 0.1) [c.6]. */
export function tolerance(t: number = HPA_TOLERANCE): Tolerance {
  return { scaleUp: t, scaleDown: t };
}

/** Whether a usage ratio lies within the tolerance band: 1 − down ≤ ratio ≤ 1 + up. */
export function withinTolerance(ratio: number, t: Tolerance): boolean {
  return 1 - t.scaleDown <= ratio && ratio <= 1 + t.scaleUp;
}

export interface GroupedPods {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/**
 * `groupPods` [c.6]: deleted/failed → ignored; Pending → unready; no metric → missing; for CPU,
 * unready when no Ready condition or start time, or (inside the cpu-initialization period) not
 * ready or the sample predates readiness + one metric window, or (after it) not ready and the
 * readiness changed within the initial-readiness delay of start.
 */
export function groupPods(
  pods: readonly HpaPod[],
  metrics: ReadonlyMap<string, PodMetric>,
  now: number,
  isCpu: boolean,
  cpuInitializationPeriod = HPA_CPU_INITIALIZATION_PERIOD,
  initialReadinessDelay = HPA_INITIAL_READINESS_DELAY,
): GroupedPods {
  const g: GroupedPods = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const p of pods) {
    if (p.deleted === true || p.phase === 'Failed') {
      g.ignored.add(p.name);
      continue;
    }
    if (p.phase === 'Pending') {
      g.unready.add(p.name);
      continue;
    }
    const m = metrics.get(p.name);
    if (m === undefined) {
      g.missing.add(p.name);
      continue;
    }
    if (isCpu) {
      let unready: boolean;
      if (p.ready === undefined || p.startTime === undefined) unready = true;
      else {
        const lt = p.readyTransitionTime ?? p.startTime;
        if (p.startTime + cpuInitializationPeriod > now) unready = !p.ready || m.timestamp < lt + m.window;
        else unready = !p.ready && p.startTime + initialReadinessDelay > lt;
      }
      if (unready) {
        g.unready.add(p.name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

export interface ReplicaCalculation {
  readonly replicas: number;
  /** Resource: integer utilization percent; plain metric: integer average usage per pod. */
  readonly usage: number;
  readonly usageRatio: number;
}

/** Resource utilization ratio (integer percent as upstream) over pods that have both a metric and a request. */
export function resourceUtilizationRatio(metrics: ReadonlyMap<string, number>, requests: ReadonlyMap<string, number>, targetUtilization: number): { ratio: number; utilization: number } {
  let mt = 0;
  let rt = 0;
  for (const [name, v] of metrics) {
    const r = requests.get(name);
    if (r === undefined) continue;
    mt += v;
    rt += r;
  }
  if (rt === 0) throw new Error('HPA: no metrics returned matched known pods (total request is 0)');
  const utilization = Math.trunc((mt * 100) / rt);
  return { ratio: utilization / targetUtilization, utilization };
}

/**
 * `GetResourceReplicas` [c.6]: desired replicas for a resource metric (e.g. CPU) with a target
 * average utilization (percent of request). `metrics` maps pod name → usage (same unit as request).
 */
export function resourceReplicas(
  currentReplicas: number,
  targetUtilization: number,
  pods: readonly HpaPod[],
  metrics: ReadonlyMap<string, PodMetric>,
  now: number,
  opts: { tolerance?: Tolerance; isCpu?: boolean; cpuInitializationPeriod?: number; initialReadinessDelay?: number } = {},
): ReplicaCalculation {
  if (pods.length === 0) throw new Error('HPA: no pods returned by selector while calculating replica count');
  if (!(targetUtilization > 0)) throw new Error(`HPA: expected targetUtilization > 0, found ${targetUtilization}`);
  const tol = opts.tolerance ?? tolerance();
  const g = groupPods(pods, metrics, now, opts.isCpu ?? true, opts.cpuInitializationPeriod, opts.initialReadinessDelay);
  const values = new Map<string, number>();
  for (const [name, m] of metrics) if (!g.ignored.has(name) && !g.unready.has(name)) values.set(name, m.value);
  // Metrics for pods not in the pod list are dropped by the request lookup below.
  const requests = new Map<string, number>();
  for (const p of pods) {
    if (p.request === undefined) throw new Error(`HPA: pod "${p.name}": missing request for the scaled resource`);
    requests.set(p.name, p.request);
  }
  for (const name of [...values.keys()]) if (!requests.has(name)) values.delete(name);
  if (values.size === 0) throw new Error('HPA: did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, utilization } = resourceUtilizationRatio(values, requests, targetUtilization);
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (withinTolerance(ratio, tol)) return { replicas: currentReplicas, usage: utilization, usageRatio: ratio };
    return { replicas: Math.ceil(ratio * g.readyPodCount), usage: utilization, usageRatio: ratio };
  }
  if (g.missing.size > 0) {
    if (ratio < 1) {
      const fallback = Math.max(100, targetUtilization);
      for (const name of g.missing) values.set(name, Math.trunc((requests.get(name)! * fallback) / 100));
    } else if (ratio > 1) {
      for (const name of g.missing) values.set(name, 0);
    }
  }
  if (scaleUpWithUnready) for (const name of g.unready) values.set(name, 0);
  const nr = resourceUtilizationRatio(values, requests, targetUtilization).ratio;
  if (withinTolerance(nr, tol) || (ratio < 1 && nr > 1) || (ratio > 1 && nr < 1)) {
    return { replicas: currentReplicas, usage: utilization, usageRatio: ratio };
  }
  const newReplicas = Math.ceil(nr * values.size);
  if ((nr < 1 && newReplicas > currentReplicas) || (nr > 1 && newReplicas < currentReplicas)) {
    return { replicas: currentReplicas, usage: utilization, usageRatio: ratio };
  }
  return { replicas: newReplicas, usage: utilization, usageRatio: ratio };
}

/**
 * `calcPlainMetricReplicas` [c.6]: Pods-type metric with a target average value per pod. Readiness
 * is ignored; only Pending pods are set aside. Average usage is integer-divided as upstream.
 */
export function plainMetricReplicas(
  currentReplicas: number,
  targetAverage: number,
  pods: readonly HpaPod[],
  metrics: ReadonlyMap<string, PodMetric>,
  now: number,
  tol: Tolerance = tolerance(),
): ReplicaCalculation {
  if (pods.length === 0) throw new Error('HPA: no pods returned by selector while calculating replica count');
  if (!(targetAverage > 0)) throw new Error(`HPA: expected targetAverage > 0, found ${targetAverage}`);
  const g = groupPods(pods, metrics, now, false);
  const names = new Set(pods.map((p) => p.name));
  const values = new Map<string, number>();
  for (const [name, m] of metrics) if (names.has(name) && !g.ignored.has(name) && !g.unready.has(name)) values.set(name, m.value);
  if (values.size === 0) throw new Error('HPA: did not receive metrics for targeted pods (pods might be unready)');
  const ratioOf = (v: Map<string, number>): { ratio: number; usage: number } => {
    let t = 0;
    for (const x of v.values()) t += x;
    const usage = Math.trunc(t / v.size);
    return { ratio: usage / targetAverage, usage };
  };
  const { ratio, usage } = ratioOf(values);
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (withinTolerance(ratio, tol)) return { replicas: currentReplicas, usage, usageRatio: ratio };
    return { replicas: Math.ceil(ratio * g.readyPodCount), usage, usageRatio: ratio };
  }
  if (g.missing.size > 0) {
    if (ratio < 1) for (const n of g.missing) values.set(n, targetAverage);
    else for (const n of g.missing) values.set(n, 0);
  }
  if (scaleUpWithUnready) for (const n of g.unready) values.set(n, 0);
  const nr = ratioOf(values).ratio;
  if (withinTolerance(nr, tol) || (ratio < 1 && nr > 1) || (ratio > 1 && nr < 1)) return { replicas: currentReplicas, usage, usageRatio: ratio };
  const newReplicas = Math.ceil(nr * values.size);
  if ((nr < 1 && newReplicas > currentReplicas) || (nr > 1 && newReplicas < currentReplicas)) return { replicas: currentReplicas, usage, usageRatio: ratio };
  return { replicas: newReplicas, usage, usageRatio: ratio };
}

/**
 * Object/External metrics [c.6]: ceil(usageRatio × readyPods), or current within tolerance;
 * `Value` targets with currentReplicas 0 → ceil(usageRatio).
 */
export function usageRatioReplicas(currentReplicas: number, readyPods: number, usage: number, target: number, tol: Tolerance = tolerance()): number {
  const ratio = usage / target;
  if (currentReplicas === 0) return Math.ceil(ratio);
  if (withinTolerance(ratio, tol)) return currentReplicas;
  return Math.ceil(ratio * readyPods);
}

export type ScalingPolicyType = 'Pods' | 'Percent';
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

export interface ScalingPolicy {
  readonly type: ScalingPolicyType;
  readonly value: number;
  /** µs (upstream periodSeconds). */
  readonly period: number;
}

export interface ScalingRules {
  /** µs; undefined for scaleDown = the controller's downscale-stabilization flag. */
  readonly stabilizationWindow?: number;
  readonly selectPolicy?: SelectPolicy;
  readonly policies: readonly ScalingPolicy[];
}

export interface HpaBehavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

/** `autoscaling/v2` behavior defaults [c.6]. */
export function defaultBehavior(partial: { scaleUp?: Partial<ScalingRules>; scaleDown?: Partial<ScalingRules> } = {}): HpaBehavior {
  return {
    scaleUp: {
      stabilizationWindow: partial.scaleUp?.stabilizationWindow ?? 0,
      selectPolicy: partial.scaleUp?.selectPolicy ?? 'Max',
      policies: partial.scaleUp?.policies ?? [
        { type: 'Pods', value: 4, period: 15 * SECOND },
        { type: 'Percent', value: 100, period: 15 * SECOND },
      ],
    },
    scaleDown: {
      stabilizationWindow: partial.scaleDown?.stabilizationWindow,
      selectPolicy: partial.scaleDown?.selectPolicy ?? 'Max',
      policies: partial.scaleDown?.policies ?? [{ type: 'Percent', value: 100, period: 15 * SECOND }],
    },
  };
}

interface ScaleEvent {
  change: number;
  time: number;
}

function changeInPeriod(events: readonly ScaleEvent[], period: number, now: number): number {
  const cutoff = now - period;
  let r = 0;
  for (const e of events) if (e.time > cutoff) r += e.change;
  return r;
}

/** `calculateScaleUpLimitWithScalingRules` [c.6]: percent limits round up. */
export function scaleUpLimit(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: ScalingRules, now: number): number {
  const sel = rules.selectPolicy ?? 'Max';
  if (sel === 'Disabled') return current;
  let result = sel === 'Min' ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(up, p.period, now) + changeInPeriod(down, p.period, now);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = sel === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** `calculateScaleDownLimitWithBehaviors` [c.6]: percent limits truncate. */
export function scaleDownLimit(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: ScalingRules, now: number): number {
  const sel = rules.selectPolicy ?? 'Max';
  if (sel === 'Disabled') return current;
  let result = sel === 'Min' ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(up, p.period, now) + changeInPeriod(down, p.period, now);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = sel === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

export interface HpaSpec {
  /** Default 1 [c.6]. */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  readonly behavior?: HpaBehavior;
  /** Controller flag, µs (default 300 s). */
  readonly downscaleStabilization?: number;
}

export interface HpaDecision {
  readonly desiredReplicas: number;
  readonly rescale: boolean;
  readonly reason: string;
}

/**
 * The HPA controller state for one HPA: recommendation history and scale events. Call
 * `reconcile(now, currentReplicas, metricProposals)` every sync period (15 s); proposals are the
 * per-metric replica counts (the maximum is used) [c.6]. Assumes a decided rescale is applied.
 */
export class HorizontalPodAutoscaler {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  private readonly behavior: HpaBehavior | undefined;
  private readonly downWindow: number;
  private recs: { rec: number; time: number }[] | null = null;
  private readonly upEvents: ScaleEvent[] = [];
  private readonly downEvents: ScaleEvent[] = [];

  constructor(spec: HpaSpec) {
    const min = spec.minReplicas ?? 1;
    if (!Number.isInteger(min) || min < 0) throw new Error(`HPA spec.minReplicas: expected an integer ≥ 0, found ${min}`);
    if (!Number.isInteger(spec.maxReplicas) || spec.maxReplicas < Math.max(1, min)) {
      throw new Error(`HPA spec.maxReplicas: expected an integer ≥ max(1, minReplicas=${min}), found ${spec.maxReplicas}`);
    }
    this.minReplicas = min;
    this.maxReplicas = spec.maxReplicas;
    this.downWindow = spec.downscaleStabilization ?? HPA_DOWNSCALE_STABILIZATION;
    this.behavior = spec.behavior;
  }

  reconcile(now: number, currentReplicas: number, metricProposals: readonly number[]): HpaDecision {
    if (this.recs === null) this.recs = [{ rec: currentReplicas, time: now }];
    const min = this.minReplicas;
    let desired: number;
    let reason: string;
    if (currentReplicas === 0 && min !== 0) {
      return { desiredReplicas: 0, rescale: false, reason: 'ScalingDisabled' };
    } else if (currentReplicas > this.maxReplicas) {
      desired = this.maxReplicas;
      reason = 'Current number of replicas above Spec.MaxReplicas';
    } else if (currentReplicas < min) {
      desired = min;
      reason = 'Current number of replicas below Spec.MinReplicas';
    } else {
      if (metricProposals.length === 0) throw new Error('HPA reconcile: expected at least one metric proposal, found none');
      let pre = 0;
      for (const p of metricProposals) if (p > pre) pre = p;
      desired = this.behavior === undefined
        ? this.normalize(now, currentReplicas, pre)
        : this.normalizeWithBehavior(now, currentReplicas, pre, this.behavior);
      reason = 'metrics';
    }
    const rescale = desired !== currentReplicas;
    if (rescale) this.storeScaleEvent(now, currentReplicas, desired);
    return { desiredReplicas: desired, rescale, reason };
  }

  private record(now: number, rec: number, cutoffTest: (t: number) => boolean): void {
    const recs = this.recs!;
    let old = -1;
    for (let i = 0; i < recs.length; i++) if (cutoffTest(recs[i].time)) old = i;
    if (old >= 0) recs[old] = { rec, time: now };
    else recs.push({ rec, time: now });
  }

  private normalize(now: number, current: number, pre: number): number {
    const cutoff = now - this.downWindow;
    let max = pre;
    for (const r of this.recs!) if (!(r.time < cutoff) && r.rec > max) max = r.rec;
    this.record(now, pre, (t) => t < cutoff);
    const upLimit = Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
    const maxAllowed = Math.min(this.maxReplicas, upLimit);
    if (max < this.minReplicas) return this.minReplicas;
    if (max > maxAllowed) return maxAllowed;
    return max;
  }

  private normalizeWithBehavior(now: number, current: number, pre: number, b: HpaBehavior): number {
    const upWin = b.scaleUp.stabilizationWindow ?? 0;
    const downWin = b.scaleDown.stabilizationWindow ?? this.downWindow;
    const upCut = now - upWin;
    const downCut = now - downWin;
    let upRec = pre;
    let downRec = pre;
    for (const r of this.recs!) {
      if (r.time > upCut) upRec = Math.min(upRec, r.rec);
      if (r.time > downCut) downRec = Math.max(downRec, r.rec);
    }
    let rec = current;
    if (rec < upRec) rec = upRec;
    if (rec > downRec) rec = downRec;
    this.record(now, pre, (t) => t < upCut && t < downCut);
    // Rate limits.
    if (rec > current) {
      let lim = scaleUpLimit(current, this.upEvents, this.downEvents, b.scaleUp, now);
      if (lim < current) lim = current;
      const maxAllowed = Math.min(this.maxReplicas, lim);
      return rec > maxAllowed ? maxAllowed : rec;
    }
    if (rec < current) {
      let lim = scaleDownLimit(current, this.upEvents, this.downEvents, b.scaleDown, now);
      if (lim > current) lim = current;
      const minAllowed = Math.max(this.minReplicas, lim);
      return rec < minAllowed ? minAllowed : rec;
    }
    return rec;
  }

  private storeScaleEvent(now: number, prev: number, next: number): void {
    if (this.behavior === undefined) return;
    const up = next > prev;
    const events = up ? this.upEvents : this.downEvents;
    const rules = up ? this.behavior.scaleUp : this.behavior.scaleDown;
    let longest = 0;
    for (const p of rules.policies) longest = Math.max(longest, p.period);
    const cutoff = now - longest;
    const ev = { change: up ? next - prev : prev - next, time: now };
    const i = events.findIndex((e) => e.time < cutoff);
    if (i >= 0) events[i] = ev;
    else events.push(ev);
  }
}
