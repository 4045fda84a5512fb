/**
 * Slow, obviously-correct reference of the CPU model's semantics (platform-semantics.md §d.3):
 * time advances in fixed ticks; in each tick the runnable, unthrottled groups share the cores by
 * weighted water-filling (recomputed from scratch every tick with a naive iterative loop), each
 * group's usage is cut off when its period runtime (quota + bucket) runs out, which throttles it
 * until the next period boundary, and threads of a group share its CPU equally.
 * Period boundaries and arrivals must be multiples of the tick.
 */

export interface RefGroup {
  weight: number;
  /** CPU-µs per period, or undefined for no limit. */
  quotaUs?: number;
  periodUs: number;
  burstUs?: number;
  phaseUs?: number;
  cpusetCores?: number;
}

export interface RefJob {
  group: number;
  arrivalUs: number;
  /** core-µs at speed 1 */
  work: number;
  threads: number;
}

export interface RefResult {
  /** Completion time of each job, µs (NaN if unfinished by the horizon). */
  completion: number[];
  nrPeriods: number[];
  nrThrottled: number[];
  throttledTimeUs: number[];
  usageUs: number[];
  /** Largest CPU used by a group in one period, minus its quota + burst cap (≤ 0 expected). */
  maxPeriodExcess: number[];
}

export function referenceRun(
  cores: number,
  speed: number,
  groups: readonly RefGroup[],
  jobs: readonly RefJob[],
  tickUs: number,
  horizonUs: number,
): RefResult {
  const G = groups.length;
  const remaining = jobs.map((j) => j.work);
  const completion = jobs.map(() => NaN);
  const admitted = jobs.map(() => false);
  const used = new Array<number>(G).fill(0);
  const bucket = new Array<number>(G).fill(0);
  const throttled = new Array<boolean>(G).fill(false);
  const activeInPeriod = new Array<boolean>(G).fill(false);
  const periodUse = new Array<number>(G).fill(0);
  const res: RefResult = {
    completion,
    nrPeriods: new Array<number>(G).fill(0),
    nrThrottled: new Array<number>(G).fill(0),
    throttledTimeUs: new Array<number>(G).fill(0),
    usageUs: new Array<number>(G).fill(0),
    maxPeriodExcess: new Array<number>(G).fill(-Infinity),
  };
  let left = jobs.length;
  for (let t = 0; t < horizonUs && left > 0; t += tickUs) {
    // period boundaries at t
    for (let g = 0; g < G; g++) {
      const gr = groups[g];
      if (gr.quotaUs === undefined) continue;
      if (t > 0 && (t - (gr.phaseUs ?? 0)) % gr.periodUs === 0) {
        if (activeInPeriod[g]) res.nrPeriods[g]++;
        if (throttled[g]) res.nrThrottled[g]++;
        const cap = gr.quotaUs + (gr.burstUs ?? 0);
        res.maxPeriodExcess[g] = Math.max(res.maxPeriodExcess[g], periodUse[g] - cap);
        bucket[g] = Math.min(gr.burstUs ?? 0, Math.max(0, bucket[g] + gr.quotaUs - used[g]));
        used[g] = 0;
        periodUse[g] = 0;
        throttled[g] = false;
        activeInPeriod[g] = false;
      }
    }
    // arrivals
    for (let i = 0; i < jobs.length; i++) if (!admitted[i] && jobs[i].arrivalUs <= t) admitted[i] = true;
    // demand per group
    const threads = new Array<number>(G).fill(0);
    for (let i = 0; i < jobs.length; i++) if (admitted[i] && Number.isNaN(completion[i])) threads[jobs[i].group] += jobs[i].threads;
    for (let g = 0; g < G; g++) if (threads[g] > 0 || throttled[g]) activeInPeriod[g] = true;
    const demand = threads.map((n, g) => (throttled[g] ? 0 : Math.min(n, cores, groups[g].cpusetCores ?? cores)));
    // naive water-filling: satisfy every group whose demand is within its fair share, repeat
    const rate = new Array<number>(G).fill(0);
    const open = new Set<number>();
    for (let g = 0; g < G; g++) if (demand[g] > 0) open.add(g);
    let capLeft = cores;
    for (;;) {
      let wsum = 0;
      for (const g of open) wsum += groups[g].weight;
      let changed = false;
      for (const g of [...open]) {
        if (demand[g] <= (capLeft * groups[g].weight) / wsum) {
          rate[g] = demand[g];
          open.delete(g);
          changed = true;
        }
      }
      if (!changed) {
        for (const g of open) rate[g] = (capLeft * groups[g].weight) / wsum;
        break;
      }
      capLeft = cores;
      for (let g = 0; g < G; g++) if (!open.has(g)) capLeft -= rate[g];
    }
    // run the tick
    for (let g = 0; g < G; g++) {
      const gr = groups[g];
      if (throttled[g]) {
        res.throttledTimeUs[g] += tickUs;
        continue;
      }
      if (rate[g] <= 0) continue;
      let cpu = rate[g] * tickUs;
      let activeFrac = 1;
      if (gr.quotaUs !== undefined) {
        const room = gr.quotaUs + bucket[g] - used[g];
        if (cpu >= room) {
          activeFrac = room / cpu;
          cpu = room;
          throttled[g] = true;
          res.throttledTimeUs[g] += (1 - activeFrac) * tickUs;
        }
        used[g] += cpu;
        periodUse[g] += cpu;
      }
      res.usageUs[g] += cpu;
      const perThread = (cpu * speed) / threads[g];
      for (let i = 0; i < jobs.length; i++) {
        if (jobs[i].group !== g || !admitted[i] || !Number.isNaN(completion[i])) continue;
        const prog = perThread * jobs[i].threads;
        if (prog >= remaining[i]) {
          completion[i] = t + (remaining[i] / prog) * activeFrac * tickUs;
          remaining[i] = 0;
          left--;
        } else remaining[i] -= prog;
      }
    }
  }
  return res;
}
