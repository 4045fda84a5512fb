/** The common scenario header: fields every scenario has, whatever its kind. */
import { z } from 'zod';
import { SECOND } from '../core/time.js';
import { duration } from './fields.js';

/** Default of output.sampleInterval: 1 s of simulated time. */
export const DEFAULT_SAMPLE_INTERVAL = SECOND;

export const outputSchema = z.strictObject({
  requests: z.boolean().default(false),
  sampleInterval: duration({ positive: true }).default(DEFAULT_SAMPLE_INTERVAL),
});

/** Header fields; a kind's body fields are merged beside them. */
export const headerShape = {
  name: z.string().min(1),
  description: z.string().optional(),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  duration: duration({ positive: true }),
  kind: z.string(),
  output: outputSchema.default({ requests: false, sampleInterval: DEFAULT_SAMPLE_INTERVAL }),
};
