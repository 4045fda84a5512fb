/**
 * Lambda-like managed FaaS (study 4 Setup, suggested default: "per-request instance with
 * image/package load + runtime init on cold start, no shared queue"):
 *
 * - one request at a time per instance; a request takes an idle warm instance (most recently
 *   used first), else starts a new instance if the in-flight count (busy + initialising) is
 *   below the account concurrency limit, else it is throttled (429, no queue);
 * - CPU proportional to memory: vCPU = memoryMB / 1769 (warm-latency.ts); the request's work
 *   runs at vCPU × speed, plus the platform's fixed per-request overhead;
 * - cold start = provisioning + package download (libraries up to the package limit, at
 *   packageBandwidth) + runtime init + fetch of the rest of the libraries to /tmp and of the
 *   model into memory (fetchBandwidth) + import + model deserialisation (loadBandwidth); the
 *   first request on the instance then runs warm;
 * - an instance idle for `keepAlive` is reclaimed.
 */
import type { RandomStream } from '../../core/random.js';
import type { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';
import type { Distribution } from '../../core/distributions.js';
import type { ManagedFaasProfile, ServedModel } from './profile.js';
import { requestWork, type ResponseCallback, type ServingPlatform } from './serving-platform.js';
import { lambdaVcpu } from './warm-latency.js';

interface Instance {
  id: number;
  busy: boolean;
  lastUsed: Time;
}

interface Req {
  done: ResponseCallback;
  inst: Instance;
}

/** Cold-start time of one instance for `model`, s (draws from `rng`). */
export function managedColdStartSeconds(p: ManagedFaasProfile, model: ServedModel, rng: RandomStream): number {
  const c = p.coldStart;
  const pkg = Math.min(model.libraryBytes, p.limits.package);
  const fetched = model.libraryBytes - pkg + model.modelBytes;
  return c.provisioning.sample(rng) + pkg / c.packageBandwidth + c.runtimeInit.sample(rng) + fetched / c.fetchBandwidth
    + c.import.sample(rng) + model.modelBytes / c.loadBandwidth;
}

export class ManagedFaas implements ServingPlatform {
  readonly name: string;
  coldStarts = 0;
  readonly rejected: Record<string, number> = { throttled: 0 };
  private readonly idle: Instance[] = [];
  private live = 0;
  private inflight = 0;
  private nextId = 0;
  private readonly vcpu: number;
  private readonly work: Distribution;
  private readonly rngWork: RandomStream;
  private readonly rngCold: RandomStream;
  peakInstances = 0;

  constructor(readonly sim: Simulation, readonly profile: ManagedFaasProfile, readonly model: ServedModel, distilbertWork: number) {
    this.name = profile.name;
    this.vcpu = lambdaVcpu(profile.memoryMB);
    this.work = requestWork(model, distilbertWork, profile.warm.sigma);
    this.rngWork = sim.random.stream(`${profile.name}/work`);
    this.rngCold = sim.random.stream(`${profile.name}/cold-start`);
  }

  get instances(): number {
    return this.live;
  }

  /** Start `n` warm idle instances now (a pre-warmed function). */
  prewarm(n: number): void {
    for (let i = 0; i < n; i++) {
      const inst = this.newInstance();
      this.release(inst);
    }
  }

  submit(done: ResponseCallback): void {
    const inst = this.idle.pop();
    if (inst !== undefined) {
      this.inflight++;
      inst.busy = true;
      this.serve({ done, inst });
      return;
    }
    if (this.inflight >= this.profile.accountConcurrency) {
      this.rejected.throttled++;
      done(false);
      return;
    }
    this.inflight++;
    const fresh = this.newInstance();
    fresh.busy = true;
    this.coldStarts++;
    const cs = managedColdStartSeconds(this.profile, this.model, this.rngCold);
    this.sim.schedule(Math.round(cs * SECOND), this.serve, { done, inst: fresh });
  }

  private newInstance(): Instance {
    this.live++;
    if (this.live > this.peakInstances) this.peakInstances = this.live;
    return { id: this.nextId++, busy: false, lastUsed: this.sim.now };
  }

  private readonly serve = (r: Req): void => {
    const w = this.work.sample(this.rngWork);
    const t = (w / (this.vcpu * this.profile.warm.speed) + this.profile.warm.overhead) * SECOND;
    this.sim.schedule(Math.round(t), this.finish, r);
  };

  private readonly finish = (r: Req): void => {
    this.inflight--;
    this.release(r.inst);
    r.done(true);
  };

  private release(inst: Instance): void {
    inst.busy = false;
    inst.lastUsed = this.sim.now;
    this.idle.push(inst);
    this.sim.schedule(this.profile.keepAlive, this.expire, inst);
  }

  private readonly expire = (inst: Instance): void => {
    if (inst.busy || this.sim.now - inst.lastUsed < this.profile.keepAlive) return;
    const i = this.idle.indexOf(inst);
    if (i >= 0) {
      this.idle.splice(i, 1);
      this.live--;
    }
  };
}
