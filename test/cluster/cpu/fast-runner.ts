/** Runs a reference-model workload through the fast NodeCpu model (test helper). */
import { Simulation } from '../../../src/core/simulation.js';
import { NodeCpu, type CpuGroup, type CpuStat } from '../../../src/cluster/cpu/node-cpu.js';
import type { RefGroup, RefJob } from './reference-model.js';

export interface FastResult {
  completion: number[];
  stats: CpuStat[];
  events: number;
  /** Per group, largest per-period CPU use minus quota + burst (sampled at every boundary). */
  maxPeriodExcess: number[];
  /** Largest observed group rate minus its runnable threads (≤ 0 expected). */
  maxRateExcess: number;
  /** Largest observed node busy cores minus cores (≤ 0 expected). */
  maxBusyExcess: number;
  end: number;
}

export function fastRun(
  cores: number,
  speed: number,
  groups: readonly RefGroup[],
  jobs: readonly RefJob[],
  opts: { checkPeriods?: boolean } = {},
): FastResult {
  const sim = new Simulation({ seed: 1 });
  const cpu = new NodeCpu(sim, { cores, speed });
  const gs: CpuGroup[] = groups.map((g, i) =>
    cpu.addGroup({ name: `g${i}`, weight: g.weight, quotaUs: g.quotaUs, periodUs: g.periodUs, burstUs: g.burstUs, phaseUs: g.phaseUs ?? 0, cpusetCores: g.cpusetCores }),
  );
  const completion = jobs.map(() => NaN);
  let left = jobs.length;
  let maxRateExcess = -Infinity;
  let maxBusyExcess = -Infinity;
  const check = (): void => {
    for (const g of gs) maxRateExcess = Math.max(maxRateExcess, g.currentRate - g.jobs.reduce((s, j) => s + j.threads, 0));
    maxBusyExcess = Math.max(maxBusyExcess, cpu.busyCores() - cores);
  };
  jobs.forEach((j, i) => {
    sim.scheduleAt(j.arrivalUs, () => {
      gs[j.group].submit(j.work, {
        threads: j.threads,
        arg: i,
        onDone: (k: number) => {
          completion[k] = sim.now;
          left--;
          check();
          if (left === 0) sim.stop();
        },
      });
      check();
    }, undefined);
  });
  const maxPeriodExcess = groups.map(() => -Infinity);
  if (opts.checkPeriods) {
    groups.forEach((g, i) => {
      if (g.quotaUs === undefined) return;
      let prev = 0;
      const cap = g.quotaUs + (g.burstUs ?? 0);
      sim.every(g.periodUs, () => {
        const u = cpu.usageOf(gs[i]);
        maxPeriodExcess[i] = Math.max(maxPeriodExcess[i], u - prev - cap);
        prev = u;
      }, (g.phaseUs ?? 0) > 0 ? (g.phaseUs as number) : g.periodUs);
    });
  }
  sim.run();
  return { completion, stats: gs.map((g) => g.stats()), events: cpu.events, maxPeriodExcess, maxRateExcess, maxBusyExcess, end: sim.now };
}
