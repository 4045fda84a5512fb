import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/core/simulation.js';
import { SECOND } from '../../../src/core/time.js';
import { packageFile } from '../../../src/experiment/studies/model-upload.js';
import { WARM_TARGETS, loadServedModels } from '../../../src/experiment/studies/serving-platforms.js';
import {
  ManagedFaas, Z95, Z99, deployProblem, fitWarm, lambdaVcpu, loadPlatformProfile, managedColdStartSeconds, parsePlatformProfile, warmQuantile,
  type ContainerPlatformProfile, type KnativePlatformProfile, type ManagedFaasProfile,
} from '../../../src/platform/profiles/index.js';

const lambda = loadPlatformProfile(packageFile('models/platforms/lambda-like.yaml')) as ManagedFaasProfile;
const cloudRun = loadPlatformProfile(packageFile('models/platforms/cloud-run-like.yaml')) as KnativePlatformProfile;
const container = loadPlatformProfile(packageFile('models/platforms/container-platform.yaml')) as ContainerPlatformProfile;
const served = loadServedModels(packageFile('models/platforms/served-models.yaml'));
const [distil, bert] = served.models;

describe('warm-latency fit (study 4 modelling note)', () => {
  it('Lambda vCPU is memory / 1769 MB', () => {
    expect(lambdaVcpu(1769)).toBe(1);
    expect(lambdaVcpu(3008)).toBeCloseTo(1.7004, 4);
    expect(() => lambdaVcpu(64)).toThrow(/expected ≥ 128 MB/);
  });

  it('hand-computed fit for Verta: overhead = 2·0.2809 − 0.4887, x = 0.2605 − overhead', () => {
    const f = fitWarm(0.2605, 0.2809, 0.4887, 2);
    expect(f.overhead).toBeCloseTo(0.0731, 10);
    expect(f.computeMedian).toBeCloseTo(0.1874, 10);
    expect(f.sigma).toBeCloseTo(Math.log(0.2078 / 0.1874) / 1.6448536269514722, 10);
    expect(warmQuantile(f, 1, 0)).toBeCloseTo(0.2605, 10);
    expect(warmQuantile(f, 1, Z95)).toBeCloseTo(0.2809, 10);
    expect(warmQuantile(f, 2, Z95)).toBeCloseTo(0.4887, 10);
    expect(() => fitWarm(0.3, 0.2, 0.5, 2)).toThrow(/P50_D < P95_D/);
  });

  it('the recorded profile numbers are the fit (speed relative to the container core, W_D from Verta)', () => {
    const cores = { lambda: lambdaVcpu(lambda.memoryMB), cloudRun: cloudRun.cpu, container: container.cpu };
    const prof = { lambda, cloudRun, container };
    for (const k of ['lambda', 'cloudRun', 'container'] as const) {
      const t = WARM_TARGETS[k];
      const f = fitWarm(t.p50, t.p95, t.bertP95, bert.workRatio);
      const w = prof[k].warm;
      expect(w.overhead).toBeCloseTo(f.overhead, 9);
      expect(w.sigma).toBeCloseTo(f.sigma, 9);
      expect(served.distilbertWork / (cores[k] * w.speed)).toBeCloseTo(f.computeMedian, 6);
      // the DistilBERT P99 prediction is within CT4's ±10 %
      expect(Math.abs(warmQuantile(f, 1, Z99) / t.p99 - 1)).toBeLessThan(0.1);
    }
  });
});

describe('profiles: loader and limits', () => {
  it('rejects a profile without provenance, naming the path', () => {
    const text = `
name: x
kind: managed-faas
memoryMB: 3008
concurrencyPerInstance: 1
accountConcurrency: 1000
keepAlive: 10m
warm: {speed: 1, overhead: 0, sigma: 0}
limits: {memory: 3GB, package: 250MB, tmp: 512MB}
coldStart: {provisioning: 0.1, packageBandwidth: 1MB/s, runtimeInit: 0.1, fetchBandwidth: 1MB/s, import: 1, loadBandwidth: 1MB/s}
provenance: {memoryMB: doc}
`;
    expect(() => parsePlatformProfile(text, 'x.yaml')).toThrow(/x\.yaml: provenance\.concurrencyPerInstance: expected a provenance entry/);
    expect(() => parsePlatformProfile(text.replace('concurrencyPerInstance: 1', 'concurrencyPerInstance: 4'), 'x.yaml')).toThrow(/concurrencyPerInstance/);
  });

  it('a 20 GB model fits no serverless platform (study 4 modelling note); the BERT models fit all three', () => {
    const huge = { name: 'embeddings', modelBytes: 20e9, libraryBytes: 520e6, workRatio: 1, memoryBytes: 21e9 };
    expect(deployProblem(lambda, huge)).toMatch(/needs 21000 MB of memory, "lambda-like" allows 3008 MB/);
    expect(deployProblem(cloudRun, huge)).toMatch(/exceed the disk limit/);
    for (const p of [lambda, cloudRun, container]) for (const m of [distil, bert]) expect(deployProblem(p, m)).toBeNull();
  });
});

describe('Lambda-like managed FaaS', () => {
  it('cold start = provisioning + package + init + fetch + import + load (hand-computed bounds)', () => {
    const sim = new Simulation({ seed: 1 });
    const rng = sim.random.stream('t');
    const fixed = 250e6 / 100e6 + (270e6 + 254e6) / 16.6e6 + 254e6 / 200e6;
    for (let i = 0; i < 50; i++) {
      const cs = managedColdStartSeconds(lambda, distil, rng);
      expect(cs).toBeGreaterThanOrEqual(fixed + 0.25 + 0.2 + 4.5);
      expect(cs).toBeLessThanOrEqual(fixed + 0.35 + 0.3 + 5.0);
    }
  });

  it('one request per instance; beyond the account concurrency requests are throttled; idle instances expire', () => {
    const sim = new Simulation({ seed: 2 });
    const p: ManagedFaasProfile = { ...lambda, accountConcurrency: 3 };
    const f = new ManagedFaas(sim, p, distil, served.distilbertWork);
    const res: boolean[] = [];
    for (let i = 0; i < 5; i++) f.submit((ok) => res.push(ok));
    expect(f.coldStarts).toBe(3);
    expect(f.rejected.throttled).toBe(2);
    sim.run(120 * SECOND);
    expect(res.filter((x) => x)).toHaveLength(3);
    expect(f.instances).toBe(3);
    f.submit((ok) => res.push(ok)); // warm: no new cold start
    expect(f.coldStarts).toBe(3);
    sim.run();
    expect(f.instances).toBe(0); // keep-alive 10 m passed
  });
});
