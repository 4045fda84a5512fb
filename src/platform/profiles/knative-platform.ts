/**
 * Cloud Run-like platform: a Knative revision (src/platform/knative/data-path) on its own pool
 * of nodes (study 4 Setup, suggested default "Cloud Run = Knative KPA with containerConcurrency
 * 1"): min-scale 0 (the service starts scaled to zero), max-scale from the profile, the
 * activator holds requests during a cold start, the KPA panics under a step. CPU is allocated
 * only while a request runs: with one request per instance and no background work this needs
 * no separate model (an idle instance does no work). The platform's fixed per-request overhead
 * is added after the revision answers.
 */
import type { Simulation } from '../../core/simulation.js';
import { SECOND } from '../../core/time.js';
import { KubeCluster } from '../kubernetes/runtime/cluster.js';
import { COMPLETED, KnativeRevision, type KnRequest } from '../knative/data-path/index.js';
import type { KnativePlatformProfile, ServedModel } from './profile.js';
import { inlineNodeProfile, requestWork, type ResponseCallback, type ServingPlatform } from './serving-platform.js';

export class KnativePlatform implements ServingPlatform {
  readonly name: string;
  readonly cluster: KubeCluster;
  readonly revision: KnativeRevision;
  private readonly overheadUs: number;

  constructor(readonly sim: Simulation, readonly profile: KnativePlatformProfile, readonly model: ServedModel, distilbertWork: number) {
    this.name = profile.name;
    this.cluster = new KubeCluster(sim, { coldStart: profile.coldStart });
    const node = inlineNodeProfile(profile.nodes.profile, profile.warm.speed);
    for (let i = 0; i < profile.nodes.count; i++) this.cluster.addNode(node, { name: `${profile.name}-${i}` });
    const milli = Math.round(profile.cpu * 1000);
    this.revision = new KnativeRevision(this.cluster, {
      name: `${profile.name}-${model.name}`.toLowerCase(),
      template: {
        name: model.name.toLowerCase(),
        image: { name: `${model.name.toLowerCase()}-server`, bytes: model.libraryBytes + model.modelBytes },
        runtime: 'python',
        modelBytes: model.modelBytes,
        resources: { cpuRequestMilli: milli, cpuLimitMilli: milli, memoryRequestBytes: profile.memory, memoryLimitBytes: profile.memory },
        workload: { usefulWork: requestWork(model, distilbertWork, profile.warm.sigma), threads: profile.cpu, memoryWorkingSetBytes: model.memoryBytes },
      },
      containerConcurrency: profile.containerConcurrency,
      annotations: {
        'autoscaling.knative.dev/min-scale': String(profile.minScale),
        'autoscaling.knative.dev/max-scale': String(profile.maxScale),
      },
      timeout: profile.timeout,
      startAtZero: profile.minScale === 0,
    });
    this.overheadUs = Math.round(profile.warm.overhead * SECOND);
  }

  get instances(): number {
    return this.revision.deployment.pods.length;
  }

  get coldStarts(): number {
    return this.revision.deployment.created;
  }

  get rejected(): Record<string, number> {
    return { ...this.revision.counters.rejected };
  }

  submit(done: ResponseCallback): void {
    this.revision.submit(0, (r: KnRequest) => {
      if (r.state === COMPLETED) this.sim.schedule(this.overheadUs, done, true);
      else done(false);
    });
  }
}
