/** The `knative` scenario kind: a small scenario loads, runs, and reports consistent numbers; bad input is named. */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../src/scenario/source.js';
import { validateSource } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/experiment/run.js';

export const KNATIVE_YAML = `name: knative-example
seed: 3
duration: 6m
kind: knative
nodes:
  - {profile: production-generic, count: 2}
  - {profile: production-dedicated, daemonCores: 0.15}
services:
  - name: resnet
    image: {name: "resnet:v1", size: 1GB}
    containerConcurrency: 2
    annotations: {autoscaling.knative.dev/max-scale: "5"}
    resources: {requests: {cpu: 0.5, memory: 1GB}, limits: {cpu: 2, memory: 4GB}}
    workload: {work: {type: lognormal, median: 0.1, p99: 0.4}, threads: 2, workingSet: 1GB}
    arrivals: {type: poisson, rate: 10}
  - name: model-a
    image: {name: "model-a:v1", size: 2.12GB}
    containerConcurrency: 1
    startAtZero: true
    tolerations: [servesim.io/dedicated]
    nodeSelector: {servesim.io/pool: dedicated}
    annotations: {autoscaling.knative.dev/max-scale: "2"}
    resources: {requests: {cpu: 0.25, memory: 2GB}, limits: {cpu: 1, memory: 10GB}}
    workload: {profile: models/workloads/model-a.yaml, workingSet: 2GB}
    arrivals: {type: poisson, rate: 0.3}
`;

type Svc = { arrivals: number; completed: number; inFlight: number; rejected: Record<string, number>; coldStarts: number; maxReadyPods: number; maxPodConcurrency: number; latencyMs: { mean: number } };

describe('kind: knative', () => {
  it('runs a two-service scenario with consistent counts', () => {
    const sc = validateSource(parseScenarioText('kn.yaml', KNATIVE_YAML, 'yaml'));
    const r = runScenario(sc);
    const services = r.metrics.services as unknown as Record<string, Svc>;
    for (const name of ['resnet', 'model-a']) {
      const s = services[name];
      const rej = Object.values(s.rejected).reduce((a, b) => a + b, 0);
      expect(s.completed + rej + s.inFlight).toBe(s.arrivals);
      expect(s.arrivals).toBeGreaterThan(0);
      expect(s.coldStarts).toBeGreaterThan(0);
    }
    expect(services.resnet.maxReadyPods).toBeLessThanOrEqual(5);
    expect(services['model-a'].maxReadyPods).toBeLessThanOrEqual(2);
    expect(services['model-a'].maxPodConcurrency).toBeLessThanOrEqual(1);
    // model A at limit 1 on the dedicated node takes about 1.9 s per request (CT1-2)
    expect(services['model-a'].latencyMs.mean).toBeGreaterThan(1500);
  });

  it('names the path of bad input', () => {
    const bad = KNATIVE_YAML.replace('requests: {cpu: 0.25, memory: 2GB}', 'requests: {cpu: 2, memory: 2GB}').replace('size: 1GB', 'size: lots');
    expect(() => validateSource(parseScenarioText('kn.yaml', bad, 'yaml'))).toThrow(/services\[0\]\.image\.size[\s\S]*expected a size|requests\.cpu/);
  });
});
