/** The common scenario header: fields every scenario has, whatever its kind. */
import { z } from 'zod';
import { SECOND } from '../core/time.js';
import { duration, pushProblem } from './fields.js';
import { parsePath, PathSyntaxError } from './path.js';

/** Default of output.sampleInterval: 1 s of simulated time. */
export const DEFAULT_SAMPLE_INTERVAL = SECOND;

export const outputSchema = z.strictObject({
  requests: z.boolean().default(false),
  sampleInterval: duration({ positive: true }).default(DEFAULT_SAMPLE_INTERVAL),
});

/** Most seeds a sweep may ask for (a guard against typos such as `seeds: 50000`). */
export const MAX_SWEEP_SEEDS = 10_000;

/** Top-level fields a sweep axis may not set: seeds come from `sweep.seeds`, and a sweep cannot sweep itself. */
const RESERVED_AXIS_ROOTS = new Set(['sweep', 'seed']);

/**
 * `sweep:` block of the header (issue 8): `axes` maps a `--set`-style path to the list of
 * values it takes; the runner takes the cartesian product of the axes × `seeds` seeds.
 * Paths and values are checked against the kind's schema by the sweep expander.
 */
export const sweepSchema = z.strictObject({
  axes: z
    .record(z.string(), z.array(z.unknown()).min(1))
    .default({})
    .superRefine((axes, ctx) => {
      for (const key of Object.keys(axes)) {
        try {
          const path = parsePath(key);
          if (typeof path[0] === 'string' && RESERVED_AXIS_ROOTS.has(path[0])) {
            pushProblem(ctx, key, `an axis path outside ${[...RESERVED_AXIS_ROOTS].join(' and ')} (use sweep.seeds for seeds)`, `"${key}"`, [key]);
          }
        } catch (e) {
          if (!(e instanceof PathSyntaxError)) throw e;
          pushProblem(ctx, key, 'an axis path such as functions[0].replicas or output.requests', `"${key}"`, [key]);
        }
      }
    }),
  seeds: z.number().int().min(1).max(MAX_SWEEP_SEEDS).default(1),
});

/** Header fields; a kind's body fields are merged beside them. */
export const headerShape = {
  name: z.string().min(1),
  description: z.string().optional(),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  duration: duration({ positive: true }),
  kind: z.string(),
  output: outputSchema.default({ requests: false, sampleInterval: DEFAULT_SAMPLE_INTERVAL }),
  sweep: sweepSchema.optional(),
};
