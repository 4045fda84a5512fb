/**
 * Kubernetes CPU resource mapping: how a container's CPU request and limit become cgroup
 * settings (CFS shares / cgroup v2 weight, CFS quota and period) and how a pod's QoS class
 * follows from requests and limits.
 *
 * Source: platform-semantics.md §d.2 [CODE kubelet `milliCPUToShares`/`milliCPUToQuota`;
 * runc `ConvertCPUSharesToCgroupV2Value`] and §d.1 (cgroup file ranges). All arithmetic is
 * integer arithmetic as in Go (truncating division) unless noted.
 */

/** cgroup v1 `cpu.shares` bounds used by the kubelet (§d.2). */
export const MIN_SHARES = 2;
export const MAX_SHARES = 262144;
/** Shares of one full CPU (§d.2). */
export const SHARES_PER_CPU = 1024;
/** Smallest CFS quota the kubelet writes, µs (§d.1/§d.2: `cpu.cfs_quota_us` min 1 ms). */
export const MIN_QUOTA_US = 1000;
/** Default CFS period, µs (§d.1: `cpu.cfs_period_us` default 100 ms; kubelet cpuCFSQuotaPeriod). */
export const DEFAULT_PERIOD_US = 100_000;
/** CFS period bounds, µs (§d.1: min 1 ms, max 1 s). */
export const MIN_PERIOD_US = 1000;
export const MAX_PERIOD_US = 1_000_000;
/** cgroup v2 `cpu.weight` range and default (§d.2). */
export const MIN_WEIGHT = 1;
export const MAX_WEIGHT = 10000;
export const DEFAULT_WEIGHT = 100;
/** Quota value meaning "no limit" (cgroup v1 `-1`; v2 `max`). */
export const NO_QUOTA = -1;

function checkMilli(what: string, v: number): void {
  if (!Number.isFinite(v) || v < 0 || !Number.isInteger(v)) {
    throw new RangeError(`${what}: expected a non-negative integer milliCPU value, found ${v}`);
  }
}

/**
 * CPU request (milliCPU) → cgroup v1 `cpu.shares`: `max(2, m·1024/1000)`, capped at 262144.
 * A request of 0 (none) gives 2, the BestEffort value. (§d.2, kubelet `milliCPUToShares`.)
 */
export function milliCpuToShares(milliCpu: number): number {
  checkMilli('milliCpuToShares', milliCpu);
  if (milliCpu === 0) return MIN_SHARES;
  const shares = Math.floor((milliCpu * SHARES_PER_CPU) / 1000);
  if (shares < MIN_SHARES) return MIN_SHARES;
  if (shares > MAX_SHARES) return MAX_SHARES;
  return shares;
}

/**
 * CPU limit (milliCPU) → CFS quota in µs per `periodUs`: `max(1000, m·period/1000)`.
 * A limit of 0 or undefined means "no limit" and returns NO_QUOTA (−1).
 * (§d.2, kubelet `milliCPUToQuota`; period default 100 000 µs.)
 */
export function milliCpuToQuota(milliCpu: number | undefined, periodUs: number = DEFAULT_PERIOD_US): number {
  checkPeriod('milliCpuToQuota', periodUs);
  if (milliCpu === undefined || milliCpu === 0) return NO_QUOTA;
  checkMilli('milliCpuToQuota', milliCpu);
  const quota = Math.floor((milliCpu * periodUs) / 1000);
  return quota < MIN_QUOTA_US ? MIN_QUOTA_US : quota;
}

/** Throws unless `periodUs` is an integer in [1000, 1 000 000] µs (§d.1). */
export function checkPeriod(what: string, periodUs: number): void {
  if (!Number.isInteger(periodUs) || periodUs < MIN_PERIOD_US || periodUs > MAX_PERIOD_US) {
    throw new RangeError(`${what}: expected a CFS period in integer µs within [${MIN_PERIOD_US}, ${MAX_PERIOD_US}], found ${periodUs}`);
  }
}

function checkShares(what: string, shares: number): void {
  if (!Number.isInteger(shares) || shares < 0) {
    throw new RangeError(`${what}: expected a non-negative integer cpu.shares value, found ${shares}`);
  }
}

/**
 * cgroup v1 shares → cgroup v2 `cpu.weight`, classic runc linear map:
 * `1 + ((shares − 2)·9999) / 262142` (integer division); 0 means unset and stays 0.
 * shares 1024 ⇒ 39, shares 2 ⇒ 1, shares 262144 ⇒ 10000. (§d.2.)
 */
export function sharesToWeightLinear(shares: number): number {
  checkShares('sharesToWeightLinear', shares);
  if (shares === 0) return 0;
  const s = Math.min(Math.max(shares, MIN_SHARES), MAX_SHARES);
  return 1 + Math.floor(((s - 2) * 9999) / 262142);
}

/**
 * cgroup v1 shares → cgroup v2 `cpu.weight`, newer runc log-quadratic map:
 * `l = log2(shares); weight = ceil(10^((l² + 125·l)/612 − 7/34))`, with shares ≤ 2 ⇒ 1 and
 * shares ≥ 262144 ⇒ 10000; 0 means unset and stays 0. shares 1024 ⇒ 100 (the v2 default). (§d.2.)
 */
export function sharesToWeightLog(shares: number): number {
  checkShares('sharesToWeightLog', shares);
  if (shares === 0) return 0;
  if (shares <= MIN_SHARES) return MIN_WEIGHT;
  if (shares >= MAX_SHARES) return MAX_WEIGHT;
  const l = Math.log2(shares);
  const exponent = (l * l + 125 * l) / 612 - 7 / 34;
  return Math.ceil(Math.pow(10, exponent));
}

/** Requests and limits of one container; CPU in milliCPU, memory in bytes; undefined = not set. */
export interface ContainerResources {
  cpuRequestMilli?: number;
  cpuLimitMilli?: number;
  memoryRequestBytes?: number;
  memoryLimitBytes?: number;
}

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/**
 * Pod QoS class from its containers' requests and limits (Kubernetes `GetPodQOS` semantics):
 * - BestEffort: no container sets any CPU or memory request or limit;
 * - Guaranteed: every container sets CPU and memory limits, and each request is unset
 *   (defaults to the limit) or equal to the limit;
 * - Burstable: everything else.
 * A value of 0 counts as "not set", as in Kubernetes (zero quantities are ignored).
 */
export function qosClass(containers: readonly ContainerResources[]): QosClass {
  if (containers.length === 0) throw new RangeError('qosClass: expected at least one container, found none');
  let anySet = false;
  let guaranteed = true;
  for (let i = 0; i < containers.length; i++) {
    const c = containers[i];
    const cr = nz(c.cpuRequestMilli), cl = nz(c.cpuLimitMilli);
    const mr = nz(c.memoryRequestBytes), ml = nz(c.memoryLimitBytes);
    for (const [name, v] of [['cpuRequestMilli', cr], ['cpuLimitMilli', cl], ['memoryRequestBytes', mr], ['memoryLimitBytes', ml]] as const) {
      if (v !== undefined && (!Number.isFinite(v) || v < 0)) {
        throw new RangeError(`qosClass: containers[${i}].${name}: expected a non-negative number, found ${v}`);
      }
    }
    if (cr !== undefined || cl !== undefined || mr !== undefined || ml !== undefined) anySet = true;
    if (cl === undefined || ml === undefined) guaranteed = false;
    else if ((cr !== undefined && cr !== cl) || (mr !== undefined && mr !== ml)) guaranteed = false;
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function nz(v: number | undefined): number | undefined {
  return v === undefined || v === 0 ? undefined : v;
}

/** The cgroup CPU settings a container gets from its request and limit (§d.2). */
export interface CgroupCpuSettings {
  shares: number;
  /** cgroup v2 weight; `weightMap` chooses the runc map (default 'log', newer runtimes). */
  weight: number;
  /** µs per period, or NO_QUOTA (−1) without a limit. */
  quotaUs: number;
  periodUs: number;
}

/** Request/limit (milliCPU) → shares, weight, quota and period, as the kubelet + runc write them. */
export function cgroupCpuSettings(
  cpuRequestMilli: number | undefined,
  cpuLimitMilli: number | undefined,
  opts: { periodUs?: number; weightMap?: 'linear' | 'log' } = {},
): CgroupCpuSettings {
  const periodUs = opts.periodUs ?? DEFAULT_PERIOD_US;
  // Kubernetes defaults an unset request to the limit when a limit is set.
  const req = cpuRequestMilli ?? cpuLimitMilli ?? 0;
  const shares = milliCpuToShares(req);
  const weight = opts.weightMap === 'linear' ? sharesToWeightLinear(shares) : sharesToWeightLog(shares);
  return { shares, weight, quotaUs: milliCpuToQuota(cpuLimitMilli, periodUs), periodUs };
}
