/**
 * The `monitor:` section of a scenario file, mirroring the study's ModelMonitor
 * `monitoring` fields (calibration-targets.md study 3, "ModelMonitor configuration (all
 * fields)"), plus servesim's extensions: feature order, compatibility mode, watermark mode,
 * outlier k, the extra drift measures of platform-semantics.md g and streaming detectors.
 *
 * Durations are numbers in milliseconds (the ModelMonitor's unit, e.g. 15000) or duration
 * strings ("15s"); they are converted to integer µs. Validation errors carry the path.
 */
import { z } from 'zod';
import { parseDuration, type Time } from '../core/time.js';

const dispersion = z.enum(['sample', 'population']);
const empty = z.strictObject({});

/** Duration in ms (number) or a duration string, to integer µs. */
const duration = z.union([z.number(), z.string()]).transform((v, ctx): Time => {
  try {
    return parseDuration(v, 'ms');
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `expected a duration (ms number or e.g. "15s"): ${(e as Error).message}` });
    return z.NEVER;
  }
});

const distanceMeasure = z.strictObject({
  /** Alert threshold; omitted = the library default for compat 'correct', no alerts for 'reference'. */
  threshold: z.number().nonnegative().optional(),
  /** Output every coefficient, not only those over the threshold. */
  showAll: z.boolean().default(false),
});

const pValueMeasure = z.strictObject({
  /** Significance level; default 0.05 (alibi-detect p_val). */
  pValue: z.number().gt(0).lt(1).optional(),
  /** Correction across features; default Bonferroni (alibi-detect). */
  correction: z.enum(['bonferroni', 'fdr', 'none']).default('bonferroni'),
  showAll: z.boolean().default(false),
});

const signal = z.union([z.enum(['prediction', 'outlier']), z.strictObject({ feature: z.string() })]);

const streamingDetector = z.discriminatedUnion('detector', [
  z.strictObject({
    detector: z.literal('adwin'),
    signal,
    delta: z.number().gt(0).lt(1).optional(),
    clock: z.int().positive().optional(),
    maxBuckets: z.int().positive().optional(),
    minWindowLength: z.int().positive().optional(),
    gracePeriod: z.int().nonnegative().optional(),
  }),
  z.strictObject({
    detector: z.literal('pageHinkley'),
    signal,
    minInstances: z.int().positive().optional(),
    delta: z.number().nonnegative().optional(),
    threshold: z.number().positive().optional(),
    alpha: z.number().gt(0).lte(1).optional(),
    mode: z.enum(['both', 'up', 'down', 'legacy-up']).optional(),
  }),
  z.strictObject({
    detector: z.literal('ddm'),
    signal,
    warmStart: z.int().positive().optional(),
    warningThreshold: z.number().positive().optional(),
    driftThreshold: z.number().positive().optional(),
  }),
]);

const distribution = z.union([
  z.record(z.string(), z.number().nonnegative()),
  z.strictObject({ edges: z.array(z.number()), counts: z.array(z.number().nonnegative()) }),
]);

export const baselineSchema = z.strictObject({
  descriptive: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  distributions: z.record(z.string(), distribution).optional(),
  samples: z.record(z.string(), z.array(z.number())).optional(),
});

export const monitorSpecSchema = z
  .strictObject({
    /** Feature names in the order of the record's values. */
    features: z.array(z.string().min(1)).min(1),
    compat: z.enum(['correct', 'reference']).default('correct'),
    trigger: z.strictObject({
      window: z.strictObject({
        duration,
        /** Omitted = tumbling (slide = duration). */
        slide: duration.optional(),
        watermarkDelay: duration,
      }),
      watermark: z.enum(['per-record', 'on-advance']).default('per-record'),
    }),
    stats: z
      .strictObject({
        max: empty.optional(),
        min: empty.optional(),
        count: empty.optional(),
        avg: empty.optional(),
        mean: empty.optional(),
        distr: empty.optional(),
        stddev: z.strictObject({ type: dispersion.default('sample') }).optional(),
        perc: z.strictObject({ percentiles: z.array(z.number().min(0).max(100)).default([]), iqr: z.boolean().default(false) }).optional(),
        cov: z.strictObject({ type: dispersion.default('sample') }).optional(),
        corr: z.strictObject({ type: dispersion.default('sample') }).optional(),
      })
      .default({}),
    outliers: z
      .strictObject({
        descriptive: z.array(z.enum(['avg', 'min', 'max'])).default([]),
        k: z.number().positive().default(3),
      })
      .optional(),
    drift: z
      .strictObject({
        wasserstein: distanceMeasure
          .extend({
            on: z.enum(['histogram', 'samples']).default('histogram'),
            /** Divide by the baseline standard deviation (Evidently's normed Wasserstein); default true for compat 'correct'. */
            normed: z.boolean().optional(),
          })
          .optional(),
        kullbackLeibler: distanceMeasure.optional(),
        jensenShannon: distanceMeasure
          .extend({ form: z.enum(['distance', 'divergence']).default('distance'), base: z.number().gt(1).optional() })
          .optional(),
        hellinger: distanceMeasure.optional(),
        psi: distanceMeasure.optional(),
        kolmogorovSmirnov: pValueMeasure.optional(),
        chiSquare: pValueMeasure.extend({ form: z.enum(['goodness-of-fit', 'contingency']).default('goodness-of-fit') }).optional(),
        mmd: pValueMeasure
          .extend({
            permutations: z.int().nonnegative().default(100),
            /** At most this many rows of the window and of the baseline enter the test (seeded subsample). */
            maxSamples: z.int().min(2).default(256),
          })
          .optional(),
      })
      .default({}),
    streaming: z.array(streamingDetector).default([]),
    baseline: baselineSchema.optional(),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.features.forEach((f, i) => {
      if (seen.has(f)) ctx.addIssue({ code: 'custom', path: ['features', i], message: `expected unique feature names, found "${f}" twice` });
      seen.add(f);
    });
    const w = s.trigger.window;
    if (w.duration <= 0) ctx.addIssue({ code: 'custom', path: ['trigger', 'window', 'duration'], message: `expected a duration > 0, found ${w.duration} µs` });
    if (w.slide !== undefined && (w.slide <= 0 || w.slide > w.duration)) {
      ctx.addIssue({ code: 'custom', path: ['trigger', 'window', 'slide'], message: `expected 0 < slide <= duration (${w.duration} µs), found ${w.slide} µs` });
    }
    s.streaming.forEach((d, i) => {
      if (typeof d.signal === 'object' && !seen.has(d.signal.feature)) {
        ctx.addIssue({ code: 'custom', path: ['streaming', i, 'signal', 'feature'], message: `expected one of [${s.features.join(', ')}], found "${d.signal.feature}"` });
      }
    });
    if (s.baseline) {
      for (const part of ['descriptive', 'distributions', 'samples'] as const) {
        for (const key of Object.keys(s.baseline[part] ?? {})) {
          if (!seen.has(key)) ctx.addIssue({ code: 'custom', path: ['baseline', part, key], message: `expected one of the features [${s.features.join(', ')}], found "${key}"` });
        }
      }
    }
  });

export type MonitorSpec = z.output<typeof monitorSpecSchema>;
export type MonitorSpecInput = z.input<typeof monitorSpecSchema>;
export type StreamingDetectorSpec = MonitorSpec['streaming'][number];

export class MonitorSpecError extends Error {
  override name = 'MonitorSpecError';
  constructor(readonly problems: string[]) {
    super(`invalid monitor spec:\n  ${problems.join('\n  ')}`);
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/**
 * Validate and normalise a `monitor:` section. Throws MonitorSpecError listing every
 * problem as `<path>: <what was expected>, found <what>`; `root` prefixes the paths.
 */
export function parseMonitorSpec(input: unknown, root = 'monitor'): MonitorSpec {
  const r = monitorSpecSchema.safeParse(input, { reportInput: true });
  if (r.success) return r.data;
  const problems = r.error.issues.map((iss) => {
    const path = [root, ...iss.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))].join('.').replace(/\.\[/g, '[');
    const found = 'input' in iss && iss.code !== 'custom' ? `, found ${describe(iss.input)}` : '';
    return `${path}: ${iss.message}${found}`;
  });
  throw new MonitorSpecError(problems);
}
