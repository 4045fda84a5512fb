/**
 * One inference record as the monitor sees it (study 3, data flow step 4: the Inference
 * Logger's `{type, id, time, payload}` message reduced to what the monitor uses).
 */
import type { Time } from '../core/time.js';

export interface InferenceRecord {
  /** Event time = request timestamp, integer µs (calibration-targets.md study 3, windowing). */
  eventTime: Time;
  /** Feature values in the monitor spec's feature order. */
  features: Float64Array | readonly number[];
  /** Model output, when the caller has one (a class index or a score). */
  prediction?: number;
  /** Model revision that served the request. */
  revision?: string;
}

/** Thrown for malformed records or inputs: says what was expected and what was found. */
export class MonitorInputError extends Error {
  override name = 'MonitorInputError';
}
