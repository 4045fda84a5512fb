/**
 * Knative `config-autoscaler` defaults, per-revision annotation overrides, and the resolution of
 * one revision's autoscaling spec (targets, windows, bounds) from both.
 *
 * Sources: platform-semantics.md a.3 (windows), a.4 (target resolution), a.7 (bounds, initial
 * scale), a.10 (progress deadline), a.11 (defaults and valid ranges). Upstream: knative/serving
 * `pkg/autoscaler/config/config.go` (`defaultConfig`, validation), `pkg/apis/autoscaling/register.go`
 * (annotation keys), `pkg/reconciler/autoscaling/resources/{target,metric}.go`.
 *
 * Durations are integer microseconds (src/core/time.ts). Pure: no clock, no simulator.
 */
import { SECOND, HOUR, parseDuration, DurationParseError } from '../../core/time.js';

/** Error raised for an invalid autoscaler config or annotation; the message names the path. */
export class KnativeConfigError extends Error {
  constructor(readonly path: string, expected: string, found: unknown) {
    super(`${path}: expected ${expected}, found ${JSON.stringify(found)}`);
    this.name = 'KnativeConfigError';
  }
}

export type ScalingMetric = 'concurrency' | 'rps';
export type AggregationAlgorithm = 'linear' | 'weighted-exponential';

/** The cluster-wide `config-autoscaler` map, parsed. Fractions are fractions (0.7, not 70). */
export interface KnativeAutoscalerConfig {
  /** container-concurrency-target-percentage as a fraction; default 0.70 [a.11]. */
  readonly containerConcurrencyTargetFraction: number;
  /** container-concurrency-target-default; default 100 [a.11]. */
  readonly containerConcurrencyTargetDefault: number;
  /** requests-per-second-target-default; default 200 [a.11]. */
  readonly rpsTargetDefault: number;
  /** Target utilization for rps (not in the config map); 0.7 [a.11]. */
  readonly rpsTargetUtilization: number;
  /** target-burst-capacity; default 211; -1 = activator always in path [a.11]. */
  readonly targetBurstCapacity: number;
  /** stable-window in µs; default 60 s; [6 s, 1 h], whole seconds [a.11]. */
  readonly stableWindow: number;
  /** panic-window-percentage; default 10 [a.11]. */
  readonly panicWindowPercentage: number;
  /** panic-threshold-percentage; default 200 [a.11]. */
  readonly panicThresholdPercentage: number;
  /** max-scale-up-rate; default 1000 [a.11]. */
  readonly maxScaleUpRate: number;
  /** max-scale-down-rate; default 2 [a.11]. */
  readonly maxScaleDownRate: number;
  /** enable-scale-to-zero; default true [a.11]. */
  readonly enableScaleToZero: boolean;
  /** scale-to-zero-grace-period in µs; default 30 s [a.11]. */
  readonly scaleToZeroGracePeriod: number;
  /** scale-to-zero-pod-retention-period in µs; default 0 [a.11]. */
  readonly scaleToZeroPodRetentionPeriod: number;
  /** activator-capacity; default 100 [a.11]. */
  readonly activatorCapacity: number;
  /** initial-scale; default 1 [a.11]. */
  readonly initialScale: number;
  /** allow-zero-initial-scale; default false [a.11]. */
  readonly allowZeroInitialScale: boolean;
  /** min-scale; default 0 [a.11]. */
  readonly minScale: number;
  /** max-scale; default 0 = unbounded [a.11]. */
  readonly maxScale: number;
  /** max-scale-limit; default 0 = no limit on the max-scale annotation [a.11]. */
  readonly maxScaleLimit: number;
  /** scale-down-delay in µs; default 0; whole seconds, at most 1 h [a.11]. */
  readonly scaleDownDelay: number;
  /** Deployment progress-deadline in µs; default 600 s [a.10]; the activation timeout is this + 30 s [a.7]. */
  readonly progressDeadline: number;
}

/** Defaults of `config-autoscaler` [a.11] (and `config-deployment` progress-deadline [a.10]). */
export const DEFAULT_AUTOSCALER_CONFIG: KnativeAutoscalerConfig = Object.freeze({
  containerConcurrencyTargetFraction: 0.7,
  containerConcurrencyTargetDefault: 100,
  rpsTargetDefault: 200,
  rpsTargetUtilization: 0.7,
  targetBurstCapacity: 211,
  stableWindow: 60 * SECOND,
  panicWindowPercentage: 10,
  panicThresholdPercentage: 200,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  enableScaleToZero: true,
  scaleToZeroGracePeriod: 30 * SECOND,
  scaleToZeroPodRetentionPeriod: 0,
  activatorCapacity: 100,
  initialScale: 1,
  allowZeroInitialScale: false,
  minScale: 0,
  maxScale: 0,
  maxScaleLimit: 0,
  scaleDownDelay: 0,
  progressDeadline: 600 * SECOND,
});

/** Minimum TargetValue (`TargetMin`) [a.4]. */
export const TARGET_MIN = 0.01;
/** Stable window bounds (`WindowMin`, `WindowMax`) [a.11]. */
export const WINDOW_MIN = 6 * SECOND;
export const WINDOW_MAX = HOUR;
/** Metric bucket size [a.3]. */
export const BUCKET_SIZE = SECOND;
/** Annotation prefix [a.11]. */
export const ANNOTATION_PREFIX = 'autoscaling.knative.dev/';

/** Raw config input: numbers for numeric keys, durations as µs numbers or strings ('60s'). */
export type KnativeAutoscalerConfigInput = {
  readonly [K in keyof KnativeAutoscalerConfig]?: KnativeAutoscalerConfig[K] extends number
    ? number | string
    : KnativeAutoscalerConfig[K];
};

const DURATION_KEYS = new Set<keyof KnativeAutoscalerConfig>([
  'stableWindow', 'scaleToZeroGracePeriod', 'scaleToZeroPodRetentionPeriod', 'scaleDownDelay', 'progressDeadline',
]);

function toNumber(v: unknown, path: string, isDuration: boolean): number {
  if (isDuration) {
    if (typeof v === 'string') {
      try {
        return parseDuration(v);
      } catch (e) {
        if (e instanceof DurationParseError) throw new KnativeConfigError(path, 'a duration such as 60s', v);
        throw e;
      }
    }
    if (typeof v === 'number' && Number.isFinite(v) && Number.isInteger(v)) return v;
    throw new KnativeConfigError(path, 'a duration in integer µs or a string such as 60s', v);
  }
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new KnativeConfigError(path, 'a finite number', v);
}

function wholeSeconds(v: number): boolean {
  return v % SECOND === 0;
}

/**
 * Merge `input` over the defaults and validate every key against the ranges of a.11.
 * `path` prefixes error messages (e.g. `scenario.yaml: knative.autoscaler`).
 * container-concurrency-target-percentage may be given as a percentage (70) or a fraction (≤ 1),
 * as upstream reads it.
 */
export function validateAutoscalerConfig(
  input: KnativeAutoscalerConfigInput & { containerConcurrencyTargetPercentage?: number } = {},
  path = 'config-autoscaler',
): KnativeAutoscalerConfig {
  const out: Record<string, number | boolean> = { ...DEFAULT_AUTOSCALER_CONFIG };
  for (const [key, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    if (key === 'containerConcurrencyTargetPercentage') {
      const p = toNumber(raw, `${path}.${key}`, false);
      if (!(p > 0 && p <= 100)) throw new KnativeConfigError(`${path}.${key}`, 'a percentage in (0, 100]', raw);
      out.containerConcurrencyTargetFraction = p <= 1 ? p : p / 100;
      continue;
    }
    if (!(key in DEFAULT_AUTOSCALER_CONFIG)) {
      throw new KnativeConfigError(`${path}.${key}`, `one of ${Object.keys(DEFAULT_AUTOSCALER_CONFIG).join(', ')}`, key);
    }
    const def = (DEFAULT_AUTOSCALER_CONFIG as unknown as Record<string, unknown>)[key];
    if (typeof def === 'boolean') {
      if (typeof raw !== 'boolean') throw new KnativeConfigError(`${path}.${key}`, 'a boolean', raw);
      out[key] = raw;
    } else {
      out[key] = toNumber(raw, `${path}.${key}`, DURATION_KEYS.has(key as keyof KnativeAutoscalerConfig));
    }
  }
  const c = out as unknown as KnativeAutoscalerConfig;
  const bad = (key: string, expected: string): never => {
    throw new KnativeConfigError(`${path}.${key}`, expected, (c as unknown as Record<string, unknown>)[key]);
  };
  if (!(c.containerConcurrencyTargetFraction > 0 && c.containerConcurrencyTargetFraction <= 1)) bad('containerConcurrencyTargetFraction', 'a fraction in (0, 1]');
  if (c.containerConcurrencyTargetDefault * c.containerConcurrencyTargetFraction < TARGET_MIN) bad('containerConcurrencyTargetDefault', `target × fraction ≥ ${TARGET_MIN}`);
  if (c.rpsTargetDefault * c.rpsTargetUtilization < TARGET_MIN) bad('rpsTargetDefault', `target × utilization ≥ ${TARGET_MIN}`);
  if (!(c.targetBurstCapacity >= 0 || c.targetBurstCapacity === -1)) bad('targetBurstCapacity', '≥ 0 or -1');
  if (!(c.stableWindow >= WINDOW_MIN && c.stableWindow <= WINDOW_MAX && wholeSeconds(c.stableWindow))) bad('stableWindow', 'whole seconds in [6s, 1h]');
  if (!(c.panicWindowPercentage >= 1 && c.panicWindowPercentage <= 100)) bad('panicWindowPercentage', 'a percentage in [1, 100]');
  if (!(c.panicThresholdPercentage >= 110 && c.panicThresholdPercentage <= 1000)) bad('panicThresholdPercentage', 'a percentage in [110, 1000]');
  if (!(c.maxScaleUpRate > 1)) bad('maxScaleUpRate', '> 1');
  if (!(c.maxScaleDownRate > 1)) bad('maxScaleDownRate', '> 1');
  if (!(c.scaleToZeroGracePeriod > 0)) bad('scaleToZeroGracePeriod', '> 0');
  if (!(c.scaleToZeroPodRetentionPeriod >= 0)) bad('scaleToZeroPodRetentionPeriod', '≥ 0');
  if (!(c.activatorCapacity >= 1)) bad('activatorCapacity', '≥ 1');
  if (!Number.isInteger(c.initialScale) || c.initialScale < 0 || (c.initialScale === 0 && !c.allowZeroInitialScale)) {
    bad('initialScale', 'an integer ≥ 1 (0 only with allowZeroInitialScale)');
  }
  for (const k of ['minScale', 'maxScale', 'maxScaleLimit'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 0) bad(k, 'an integer ≥ 0');
  }
  if (c.maxScale !== 0 && c.minScale > c.maxScale) bad('minScale', `≤ maxScale (${c.maxScale})`);
  if (c.maxScaleLimit !== 0 && (c.maxScale === 0 || c.maxScale > c.maxScaleLimit)) bad('maxScale', `in [1, maxScaleLimit=${c.maxScaleLimit}]`);
  if (!(c.scaleDownDelay >= 0 && c.scaleDownDelay <= HOUR && wholeSeconds(c.scaleDownDelay))) bad('scaleDownDelay', 'whole seconds in [0, 1h]');
  if (!(c.progressDeadline > 0)) bad('progressDeadline', '> 0');
  return Object.freeze(c);
}

/** Per-revision facts that are not annotations. */
export interface RevisionFacts {
  /** spec.containerConcurrency; 0 = unlimited [a.10]. */
  readonly containerConcurrency: number;
  /** Whether a route references the revision; unreachable revisions get min-scale 0 and retention 0 [a.7]. */
  readonly reachable: boolean;
}

/** The fully resolved autoscaling spec of one revision: what the decider and the scaler read. */
export interface RevisionAutoscalingSpec {
  readonly metric: ScalingMetric;
  readonly aggregation: AggregationAlgorithm;
  /** Per-pod target (TargetValue) [a.4]. */
  readonly targetValue: number;
  /** Per-pod capacity (TotalValue) used for EBC and activator count [a.4]. */
  readonly totalValue: number;
  /** PanicThreshold as a multiple of ready pods (2.0 by default) [a.4]. */
  readonly panicThreshold: number;
  readonly targetBurstCapacity: number;
  readonly activatorCapacity: number;
  /** µs. */
  readonly stableWindow: number;
  /** µs, whole seconds, ≥ 1 s [a.3]. */
  readonly panicWindow: number;
  readonly maxScaleUpRate: number;
  readonly maxScaleDownRate: number;
  /** activation-scale annotation; 1 when unset. */
  readonly activationScale: number;
  readonly minScale: number;
  /** 0 = unbounded. */
  readonly maxScale: number;
  readonly initialScale: number;
  /** µs. */
  readonly scaleDownDelay: number;
  /** µs; 0 for unreachable revisions [a.7]. */
  readonly scaleToZeroPodRetention: number;
  readonly scaleToZeroGracePeriod: number;
  readonly enableScaleToZero: boolean;
  /** progress-deadline + 30 s [a.7]. */
  readonly activationTimeout: number;
  readonly reachable: boolean;
  readonly containerConcurrency: number;
}

/** Buffer added to the progress deadline before a stuck activation may scale to 0 [a.7]. */
export const ACTIVATION_TIMEOUT_BUFFER = 30 * SECOND;

/**
 * Panic window from a stable window and a percentage: round(stable × pct / 100) to the second,
 * at least one bucket (1 s) [a.3].
 */
export function panicWindowFor(stableWindow: number, panicWindowPercentage: number): number {
  const raw = (stableWindow * panicWindowPercentage) / 100;
  return Math.max(BUCKET_SIZE, Math.round(raw / SECOND) * SECOND);
}

type Annotations = Readonly<Record<string, string>>;

function annotation(ann: Annotations, key: string): string | undefined {
  return ann[ANNOTATION_PREFIX + key];
}

function annNumber(ann: Annotations, key: string, path: string, expected: string, ok: (v: number) => boolean): number | undefined {
  const raw = annotation(ann, key);
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || !ok(v)) throw new KnativeConfigError(`${path}["${ANNOTATION_PREFIX}${key}"]`, expected, raw);
  return v;
}

function annDuration(ann: Annotations, key: string, path: string, expected: string, ok: (v: number) => boolean): number | undefined {
  const raw = annotation(ann, key);
  if (raw === undefined) return undefined;
  let v: number;
  try {
    v = parseDuration(raw);
  } catch {
    throw new KnativeConfigError(`${path}["${ANNOTATION_PREFIX}${key}"]`, expected, raw);
  }
  if (!ok(v)) throw new KnativeConfigError(`${path}["${ANNOTATION_PREFIX}${key}"]`, expected, raw);
  return v;
}

const isInt = (v: number): boolean => Number.isInteger(v);

/**
 * Resolve a revision's autoscaling spec from the cluster config, its annotations
 * (`autoscaling.knative.dev/*`) and its facts. Implements the target resolution of a.4
 * exactly, the windows of a.3 and the bounds/initial scale of a.7 (`ScaleBounds`, `GetInitialScale`).
 * Throws KnativeConfigError naming the annotation on any invalid value.
 */
export function resolveRevisionSpec(
  config: KnativeAutoscalerConfig,
  annotations: Annotations,
  facts: RevisionFacts,
  path = 'revision.annotations',
): RevisionAutoscalingSpec {
  const cc = facts.containerConcurrency;
  if (!isInt(cc) || cc < 0) throw new KnativeConfigError(`${path}(containerConcurrency)`, 'an integer ≥ 0', cc);
  const metricRaw = annotation(annotations, 'metric') ?? 'concurrency';
  if (metricRaw !== 'concurrency' && metricRaw !== 'rps') {
    throw new KnativeConfigError(`${path}["${ANNOTATION_PREFIX}metric"]`, '"concurrency" or "rps" (cpu/memory belong to the HPA class)', metricRaw);
  }
  const metric: ScalingMetric = metricRaw;
  const aggRaw = annotation(annotations, 'metric-aggregation-algorithm') ?? 'linear';
  if (aggRaw !== 'linear' && aggRaw !== 'weighted-exponential') {
    throw new KnativeConfigError(`${path}["${ANNOTATION_PREFIX}metric-aggregation-algorithm"]`, '"linear" or "weighted-exponential"', aggRaw);
  }

  // a.4 target resolution.
  let total: number;
  let tu: number;
  if (metric === 'concurrency') {
    total = cc > 0 ? cc : config.containerConcurrencyTargetDefault;
    tu = config.containerConcurrencyTargetFraction;
  } else {
    total = config.rpsTargetDefault;
    tu = config.rpsTargetUtilization;
  }
  const target = annNumber(annotations, 'target', path, `a number ≥ ${TARGET_MIN}`, (v) => v >= TARGET_MIN);
  if (target !== undefined) {
    total = target;
    if (metric === 'concurrency' && cc > 0) total = Math.min(target, cc);
  }
  const tup = annNumber(annotations, 'target-utilization-percentage', path, 'a percentage in [1, 100]', (v) => v >= 1 && v <= 100);
  if (tup !== undefined) tu = tup / 100;
  const targetValue = Math.max(TARGET_MIN, total * tu);

  const pt = annNumber(annotations, 'panic-threshold-percentage', path, 'a percentage in [110, 1000]', (v) => v >= 110 && v <= 1000)
    ?? config.panicThresholdPercentage;
  const tbc = annNumber(annotations, 'target-burst-capacity', path, 'a number ≥ 0 or -1', (v) => v >= 0 || v === -1)
    ?? config.targetBurstCapacity;
  const stableWindow = annDuration(annotations, 'window', path, 'whole seconds in [6s, 1h]', (v) => v >= WINDOW_MIN && v <= WINDOW_MAX && wholeSeconds(v))
    ?? config.stableWindow;
  const pwp = annNumber(annotations, 'panic-window-percentage', path, 'a percentage in [1, 100]', (v) => v >= 1 && v <= 100)
    ?? config.panicWindowPercentage;
  const activationScale = annNumber(annotations, 'activation-scale', path, 'an integer ≥ 1', (v) => isInt(v) && v >= 1) ?? 1;

  // a.7 bounds: min-scale is 0 for unreachable revisions.
  const annMin = annNumber(annotations, 'min-scale', path, 'an integer ≥ 0', (v) => isInt(v) && v >= 0);
  const annMax = annNumber(annotations, 'max-scale', path, 'an integer ≥ 0', (v) => isInt(v) && v >= 0);
  const minScale = facts.reachable ? (annMin ?? config.minScale) : 0;
  const maxScale = annMax ?? config.maxScale;
  if (config.maxScaleLimit > 0 && annMax !== undefined && (annMax === 0 || annMax > config.maxScaleLimit)) {
    throw new KnativeConfigError(`${path}["${ANNOTATION_PREFIX}max-scale"]`, `an integer in [1, ${config.maxScaleLimit}] (max-scale-limit)`, String(annMax));
  }
  if (maxScale !== 0 && (annMin ?? config.minScale) > maxScale) {
    throw new KnativeConfigError(`${path}["${ANNOTATION_PREFIX}min-scale"]`, `≤ max-scale (${maxScale})`, String(annMin ?? config.minScale));
  }
  // GetInitialScale: a revision's 0 is honoured only with allow-zero-initial-scale.
  const annInit = annNumber(annotations, 'initial-scale', path, 'an integer ≥ 0', (v) => isInt(v) && v >= 0);
  const initialScale = annInit === undefined || (annInit === 0 && !config.allowZeroInitialScale) ? config.initialScale : annInit;

  const scaleDownDelay = annDuration(annotations, 'scale-down-delay', path, 'whole seconds in [0, 1h]', (v) => v <= HOUR && wholeSeconds(v))
    ?? config.scaleDownDelay;
  const retention = annDuration(annotations, 'scale-to-zero-pod-retention-period', path, 'a duration ≥ 0', (v) => v >= 0)
    ?? config.scaleToZeroPodRetentionPeriod;

  return Object.freeze({
    metric,
    aggregation: aggRaw,
    targetValue,
    totalValue: total,
    panicThreshold: pt / 100,
    targetBurstCapacity: tbc,
    activatorCapacity: config.activatorCapacity,
    stableWindow,
    panicWindow: panicWindowFor(stableWindow, pwp),
    maxScaleUpRate: config.maxScaleUpRate,
    maxScaleDownRate: config.maxScaleDownRate,
    activationScale,
    minScale,
    maxScale,
    initialScale,
    scaleDownDelay,
    scaleToZeroPodRetention: facts.reachable ? retention : 0,
    scaleToZeroGracePeriod: config.scaleToZeroGracePeriod,
    enableScaleToZero: config.enableScaleToZero,
    activationTimeout: config.progressDeadline + ACTIVATION_TIMEOUT_BUFFER,
    reachable: facts.reachable,
    containerConcurrency: cc,
  });
}
