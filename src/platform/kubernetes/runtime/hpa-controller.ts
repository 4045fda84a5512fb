/**
 * The HPA controller loop on the runtime: every sync period (15 s, §c.6) it reads each pod's CPU
 * usage over the last period (a rate, like metrics-server's window), asks the replica calculator
 * (`resourceReplicas`) for a proposal at the target CPU utilization, runs the stabilization and
 * rate limits of `HorizontalPodAutoscaler.reconcile`, and sets the Deployment's replicas.
 */
import type { Simulation } from '../../../core/simulation.js';
import type { Time } from '../../../core/time.js';
import {
  HorizontalPodAutoscaler, HPA_DEFAULT_CPU_UTILIZATION, HPA_SYNC_PERIOD, resourceReplicas,
  type HpaPod, type HpaSpec, type PodMetric,
} from '../hpa.js';
import type { Deployment } from './deployment.js';
import type { Pod } from './pod.js';

export interface HpaControllerOptions extends HpaSpec {
  /** Target average CPU utilization, percent of request (default 80, §c.6). */
  targetCpuUtilization?: number;
  /** Sync period, µs (default 15 s). */
  syncPeriod?: Time;
}

/** One HPA driving one Deployment. */
export class HpaController {
  readonly hpa: HorizontalPodAutoscaler;
  readonly target: number;
  readonly syncPeriod: Time;
  /** Decisions so far: time, current, desired. */
  readonly history: { time: Time; current: number; desired: number }[] = [];
  private stopTimer: (() => void) | null = null;
  private readonly lastUsage = new Map<Pod, { t: Time; usage: number }>();

  constructor(readonly sim: Simulation, readonly deployment: Deployment, opts: HpaControllerOptions) {
    this.hpa = new HorizontalPodAutoscaler(opts);
    this.target = opts.targetCpuUtilization ?? HPA_DEFAULT_CPU_UTILIZATION;
    this.syncPeriod = opts.syncPeriod ?? HPA_SYNC_PERIOD;
  }

  start(): void {
    if (this.stopTimer !== null) return;
    this.stopTimer = this.sim.every(this.syncPeriod, (now) => this.sync(now));
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** One reconcile at `now`. */
  sync(now: Time): void {
    const d = this.deployment;
    const pods: HpaPod[] = [];
    const metrics = new Map<string, PodMetric>();
    const req = d.template.resources.cpuRequestMilli ?? d.template.resources.cpuLimitMilli;
    if (req === undefined || req === 0) throw new Error(`HPA on deployment "${d.name}": expected a CPU request on the pod template, found none`);
    for (const p of d.pods) {
      pods.push({
        name: p.name, phase: p.phase === 'Pending' ? 'Pending' : 'Running', ready: p.phase === 'Ready',
        startTime: p.scheduledAt >= 0 ? p.scheduledAt : undefined, readyTransitionTime: p.readyAt >= 0 ? p.readyAt : undefined, request: req,
      });
      const g = p.cpuGroup;
      if (g !== null && p.node !== null) {
        const u = p.node.cpu.usageOf(g);
        const prev = this.lastUsage.get(p);
        if (prev !== undefined && now > prev.t) {
          metrics.set(p.name, { value: Math.round(((u - prev.usage) / (now - prev.t)) * 1000), timestamp: now, window: now - prev.t });
        }
        this.lastUsage.set(p, { t: now, usage: u });
      }
    }
    for (const p of [...this.lastUsage.keys()]) if (!p.alive) this.lastUsage.delete(p);
    const current = d.replicas;
    let proposal = current;
    if (pods.length > 0 && metrics.size > 0) {
      try {
        proposal = resourceReplicas(current, this.target, pods, metrics, now).replicas;
      } catch {
        proposal = current; // no usable metrics yet (all pods unready): keep the scale
      }
    }
    const dec = this.hpa.reconcile(now, current, [proposal]);
    this.history.push({ time: now, current, desired: dec.desiredReplicas });
    if (dec.rescale) d.setReplicas(dec.desiredReplicas);
  }
}
