/**
 * Warm latency of one request at one request per instance (study 4 modelling note: "warm latency
 * is service time at one request per instance … use a narrow distribution"):
 *
 *   latency = overhead_p + W_m · J / (cores_p · speed_p),   J ~ lognormal(0, σ_p) (median 1)
 *
 * overhead_p: the platform's fixed per-request path (front end, HTTP, serialisation), s;
 * W_m: the model's median CPU work, core-seconds at speed 1; cores_p: the instance's CPU;
 * speed_p: the platform's per-core speed (hardware not reported: study 4 Setup suggests a
 * per-platform speed factor); σ_p: the platform's run-to-run spread.
 *
 * With BERT's work = `bertWorkRatio` × DistilBERT's [assumption 2: BERT-base has 12 transformer
 * layers, DistilBERT 6, same width], each platform's (overhead, x = W_D/(cores·speed), σ) follow
 * in closed form from its DistilBERT P50 and P95 and its BERT P95 (CT4-1…CT4-4):
 *   P95_B − P95_D = (r − 1)·x·e^{z95 σ},  P50_D = overhead + x,  P95_D = overhead + x·e^{z95 σ}.
 * DistilBERT P99 is then a prediction checked against CT4-1…CT4-3.
 */
import { Z95, Z99 } from '../../core/distributions.js';

/** Lambda: "at 1,769 MB, a function has the equivalent of one vCPU" (AWS Lambda docs, memory and computing power). */
export const LAMBDA_MB_PER_VCPU = 1769;

/** vCPUs of a Lambda function with `memoryMB` of memory (memory-proportional CPU). */
export function lambdaVcpu(memoryMB: number): number {
  if (!(memoryMB >= 128)) throw new RangeError(`lambda memory: expected ≥ 128 MB, found ${memoryMB}`);
  return memoryMB / LAMBDA_MB_PER_VCPU;
}

/** Per-platform warm-latency parameters. */
export interface WarmFit {
  /** Fixed per-request path, s. */
  overhead: number;
  /** Median compute time of DistilBERT on one instance, s. */
  computeMedian: number;
  /** Lognormal σ of the compute part. */
  sigma: number;
}

/** Fit (overhead, compute median, σ) from DistilBERT P50/P95 and BERT P95 (seconds). */
export function fitWarm(p50D: number, p95D: number, p95B: number, bertWorkRatio: number): WarmFit {
  if (!(bertWorkRatio > 1)) throw new RangeError(`bertWorkRatio: expected > 1, found ${bertWorkRatio}`);
  if (!(p50D > 0 && p95D > p50D && p95B > p95D)) throw new RangeError(`fitWarm: expected 0 < P50_D < P95_D < P95_B, found ${p50D}, ${p95D}, ${p95B}`);
  const x95 = (p95B - p95D) / (bertWorkRatio - 1); // x·e^{z95 σ}
  const overhead = p95D - x95;
  const computeMedian = p50D - overhead;
  if (!(overhead >= 0 && computeMedian > 0 && x95 > computeMedian)) {
    throw new RangeError(`fitWarm: no solution with overhead ≥ 0 and σ > 0 (overhead ${overhead}, compute ${computeMedian}, x95 ${x95})`);
  }
  return { overhead, computeMedian, sigma: Math.log(x95 / computeMedian) / Z95 };
}

/** Quantile q ∈ {0.5, 0.95, 0.99} (or any z) of the warm latency for work ratio `ratio` (DistilBERT = 1). */
export function warmQuantile(f: WarmFit, ratio: number, z: number): number {
  return f.overhead + ratio * f.computeMedian * Math.exp(z * f.sigma);
}

export { Z95, Z99 };
