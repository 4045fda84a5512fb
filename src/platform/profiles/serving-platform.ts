/**
 * The interface the serving benchmark drives every platform profile through, and helpers shared
 * by the three platform models.
 */
import type { NodeProfile } from '../../cluster/node-profile.js';
import type { nodeProfileFileSchema } from '../../cluster/node-profile.js';
import { makeDistribution, type Distribution } from '../../core/distributions.js';
import type { z } from 'zod';
import type { ServedModel } from './profile.js';

/** Called once per request: `ok` = a successful response reached the client (at sim.now). */
export type ResponseCallback = (ok: boolean) => void;

/** One platform serving one model. */
export interface ServingPlatform {
  readonly name: string;
  /** A request from the client arrives now. */
  submit(done: ResponseCallback): void;
  /** Instances (pods / sandboxes) that exist now, warm or starting. */
  readonly instances: number;
  /** Instances started so far (each a cold start). */
  readonly coldStarts: number;
  /** Requests rejected so far, by reason. */
  readonly rejected: Readonly<Record<string, number>>;
}

/** A validated node-profile block (inline in a platform profile) as a NodeProfile, at `speed`. */
export function inlineNodeProfile(p: z.output<typeof nodeProfileFileSchema>, speed: number): NodeProfile {
  return {
    name: p.name, description: p.description, cores: p.cores,
    speed: { default: speed, classes: {} },
    memoryBytes: p.memory, l3Bytes: p.l3, memoryBandwidth: p.memoryBandwidth, diskBandwidth: p.diskBandwidth,
    networkBandwidth: p.networkBandwidth, imageCacheBytes: p.imageCache, labels: p.labels, taints: p.taints, provenance: p.provenance,
  };
}

/**
 * Per-request CPU work of `model`, core-seconds at speed 1: lognormal with median
 * `distilbertWork × workRatio` and the platform's σ (warm-latency.ts).
 */
export function requestWork(model: ServedModel, distilbertWork: number, sigma: number): Distribution {
  const median = distilbertWork * model.workRatio;
  return sigma === 0 ? makeDistribution(median) : makeDistribution({ type: 'lognormal', mu: Math.log(median), sigma });
}
