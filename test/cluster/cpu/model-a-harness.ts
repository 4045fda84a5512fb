/**
 * Study 1 Exp. 2 on the CPU model alone: Model A on the dedicated node (8 cores + daemon load),
 * CPU request 0.25 (weight from the request), quota = limit × 100 ms, served one request at a
 * time back to back (max scale 1, containerConcurrency 1, a burst queued in the activator),
 * with a small random hand-off gap between requests. Returns the mean duration per limit.
 */
import { Simulation } from '../../../src/core/simulation.js';
import { NodeCpu } from '../../../src/cluster/cpu/node-cpu.js';
import { addDaemonLoad } from '../../../src/cluster/cpu/daemon-load.js';
import { requestDemand, type WorkloadCpuProfile } from '../../../src/cluster/cpu/workload-profile.js';
import { milliCpuToQuota, milliCpuToShares, sharesToWeightLog } from '../../../src/cluster/k8s-resources.js';

export interface VsOptions {
  cores: number;
  daemonCores: number;
  requests: number;
  seed: number;
}

export const STUDY1_DEDICATED: VsOptions = { cores: 8, daemonCores: 0.15, requests: 60, seed: 1 };

export function meanDuration(profile: WorkloadCpuProfile, limit: number, o: VsOptions = STUDY1_DEDICATED): number {
  const sim = new Simulation({ seed: o.seed });
  const cpu = new NodeCpu(sim, { cores: o.cores, name: 'dedicated' });
  addDaemonLoad(cpu, o.daemonCores);
  const g = cpu.addGroup({
    name: 'model-a',
    weight: sharesToWeightLog(milliCpuToShares(250)),
    quotaUs: milliCpuToQuota(Math.round(limit * 1000)),
    phaseUs: 0,
  });
  const { threads, workCoreUs } = requestDemand(profile, o.cores, limit);
  const gap = sim.random.stream('handoff-gap');
  let n = 0;
  let sum = 0;
  let start = 0;
  const begin = (): void => {
    start = sim.now;
    g.submit(workCoreUs, { threads, onDone: finish });
  };
  const finish = (): void => {
    sum += sim.now - start;
    if (++n < o.requests) sim.schedule(Math.round(gap.uniform(500, 5000)), begin, undefined);
    else sim.stop();
  };
  sim.schedule(Math.round(gap.uniform(0, 100_000)), begin, undefined);
  sim.run();
  return sum / n / 1e6;
}
