import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SECOND } from '../../../src/core/time.js';
import {
  DEFAULT_AUTOSCALER_CONFIG, KnativeConfigError, KpaAutoscaler, activatorInPath, applyBounds, computeActiveCondition,
  excessBurstCapacity, handleScaleToZero, minReadyPodsOutOfPath, resolveRevisionSpec, scalerScale, sksMode,
  validateAutoscalerConfig,
} from '../../../src/platform/knative/index.js';
import type { PaState, RevisionAutoscalingSpec } from '../../../src/platform/knative/index.js';

const S = SECOND;
const resolve = (ann: Record<string, string> = {}, cc = 0, reachable = true, cfg = DEFAULT_AUTOSCALER_CONFIG) =>
  resolveRevisionSpec(cfg, ann, { containerConcurrency: cc, reachable });
const A = (k: string) => `autoscaling.knative.dev/${k}`;

describe('config and target resolution (a.4, a.11)', () => {
  it('defaults: TotalValue 100, TargetValue 70, panic window 6 s, threshold 2', () => {
    const s = resolve();
    expect(s).toMatchObject({ totalValue: 100, targetValue: 70, panicWindow: 6 * S, stableWindow: 60 * S, panicThreshold: 2, targetBurstCapacity: 211 });
  });

  it('CC, target annotation, utilization and rps', () => {
    expect(resolve({}, 10)).toMatchObject({ totalValue: 10, targetValue: 7 }); // 10 × 0.7
    expect(resolve({ [A('target')]: '50' }, 10).totalValue).toBe(10); // min(50, CC=10)
    expect(resolve({ [A('target')]: '50' }, 0).targetValue).toBeCloseTo(35, 12); // 50 × 0.7
    expect(resolve({ [A('target-utilization-percentage')]: '50' }, 10).targetValue).toBe(5);
    expect(resolve({ [A('metric')]: 'rps' })).toMatchObject({ metric: 'rps', totalValue: 200, targetValue: 140 });
    // TargetMin 0.01: target 0.01 × 0.7 = 0.007 → 0.01
    expect(resolve({ [A('target')]: '0.01' }).targetValue).toBe(0.01);
  });

  it('windows: round(stable × pct/100) to the second, at least 1 s', () => {
    expect(resolve({ [A('window')]: '30s' }).panicWindow).toBe(3 * S);
    expect(resolve({ [A('window')]: '6s', [A('panic-window-percentage')]: '1' }).panicWindow).toBe(1 * S);
    expect(resolve({ [A('window')]: '45s', [A('panic-window-percentage')]: '5' }).panicWindow).toBe(2 * S); // 2.25 → 2
  });

  it('initial scale: 0 only with allow-zero-initial-scale; min-scale 0 when unreachable', () => {
    expect(resolve({ [A('initial-scale')]: '0' }).initialScale).toBe(1);
    const allow = validateAutoscalerConfig({ allowZeroInitialScale: true });
    expect(resolve({ [A('initial-scale')]: '0' }, 0, true, allow).initialScale).toBe(0);
    expect(resolve({ [A('min-scale')]: '2' }, 0, false).minScale).toBe(0);
    expect(resolve({ [A('scale-to-zero-pod-retention-period')]: '2m' }, 0, false).scaleToZeroPodRetention).toBe(0);
  });

  it('bad input names the annotation or key and the expectation', () => {
    expect(() => resolve({ [A('window')]: '5s' })).toThrow(KnativeConfigError);
    expect(() => resolve({ [A('window')]: '5s' })).toThrow(/autoscaling\.knative\.dev\/window.*whole seconds in \[6s, 1h\].*"5s"/);
    expect(() => resolve({ [A('panic-threshold-percentage')]: '100' })).toThrow(/\[110, 1000\]/);
    expect(() => resolve({ [A('metric')]: 'cpu' })).toThrow(/"concurrency" or "rps"/);
    expect(() => validateAutoscalerConfig({ maxScaleDownRate: 1 }, 'scn.yaml: knative')).toThrow(/scn\.yaml: knative\.maxScaleDownRate: expected > 1, found 1/);
    expect(() => validateAutoscalerConfig({ stableWindow: '61.5s' })).toThrow(/whole seconds/);
    expect(validateAutoscalerConfig({ containerConcurrencyTargetPercentage: 80 }).containerConcurrencyTargetFraction).toBe(0.8);
  });
});

describe('activator in/out of path (a.6)', () => {
  it('default TBC 211: need ≥ 3 ready pods at zero load; CC 10 needs ≥ 22', () => {
    expect(minReadyPodsOutOfPath(100, 211)).toBe(3); // floor(300 − 211) = 89 ≥ 0; floor(200 − 211) < 0
    expect(minReadyPodsOutOfPath(10, 211)).toBe(22); // 22·10 − 211 = 9 ≥ 0; 21·10 − 211 = −1
    expect(minReadyPodsOutOfPath(100, 211, 90)).toBe(4); // 300 − 211 − 90 = −1 → 4
    expect(sksMode(3, excessBurstCapacity(3, 100, 211, 0), false)).toBe('Serve');
    expect(sksMode(2, excessBurstCapacity(2, 100, 211, 0), false)).toBe('Proxy');
    // panic load decides: 3 pods, panic concurrency 89 → EBC 0 → Serve; 90 → −1 → Proxy
    expect(sksMode(3, excessBurstCapacity(3, 100, 211, 89), false)).toBe('Serve');
    expect(sksMode(3, excessBurstCapacity(3, 100, 211, 90), false)).toBe('Proxy');
  });

  it('TBC −1: always in path; TBC 0: in path only at scale 0', () => {
    expect(minReadyPodsOutOfPath(100, -1)).toBe(Infinity);
    for (const ready of [1, 10, 1000]) expect(activatorInPath(ready, excessBurstCapacity(ready, 100, -1, 0), false)).toBe(true);
    expect(minReadyPodsOutOfPath(100, 0)).toBe(1);
    expect(activatorInPath(1, excessBurstCapacity(1, 100, 0, 5000), false)).toBe(false);
    expect(activatorInPath(0, excessBurstCapacity(0, 100, 0, 0), false)).toBe(true); // want 0
  });

  it('unknown want (−1): Proxy only when the PA is inactive (upstream kpa.go)', () => {
    expect(sksMode(-1, 5, true)).toBe('Proxy');
    expect(sksMode(-1, 5, false)).toBe('Serve');
  });
});

describe('scaler: bounds, initial scale, scale to zero (a.7)', () => {
  const base = (over: Partial<RevisionAutoscalingSpec> = {}) => ({ ...resolve(), ...over });
  const o = (paState: PaState, since: number, now: number, extra: { proxySince?: number | null; init?: boolean; probe?: boolean } = {}) => ({
    now, paState, paStateSince: since, activatorProbeOk: extra.probe ?? true, sksProxySince: extra.proxySince ?? null, scaleTargetInitialized: extra.init ?? true,
  });

  it('applies min/max (max 0 = unbounded) and initial scale until initialized', () => {
    expect(applyBounds(2, 0, 100)).toBe(100);
    expect(applyBounds(2, 5, 100)).toBe(5);
    expect(applyBounds(2, 5, 0)).toBe(2);
    const s = base({ initialScale: 3 });
    expect(scalerScale(s, 1, o('Activating', 0, 1 * S, { init: false })).desired).toBe(3);
    expect(scalerScale(s, 1, o('Active', 0, 1 * S, { init: true })).desired).toBe(1);
    expect(scalerScale({ ...s, reachable: false }, 1, o('Activating', 0, 1 * S, { init: false })).desired).toBe(1);
    // unknown desired is a no-op unless activating
    expect(scalerScale(s, -1, o('Active', 0, S))).toEqual({ desired: -1, apply: false, requeueAfter: null });
  });

  it('Active PA: keeps 1 pod until active for a stable window, then deactivates without applying', () => {
    const s = base();
    expect(handleScaleToZero(s, 0, o('Active', 0, 40 * S))).toEqual({ desired: 1, apply: true, requeueAfter: 20 * S });
    expect(handleScaleToZero(s, 0, o('Active', 0, 60 * S))).toEqual({ desired: 0, apply: false, requeueAfter: null });
    expect(handleScaleToZero(s, 0, o('Active', 0, 60 * S, { proxySince: 0 })).requeueAfter).toBe(3 * S);
    expect(handleScaleToZero({ ...s, enableScaleToZero: false }, 0, o('Active', 0, 600 * S)).desired).toBe(1);
  });

  it('Inactive PA: grace period and retention', () => {
    const s = base(); // grace 30 s, retention 0
    // activator already proxying for ≥ 30 s → fast path at once
    expect(handleScaleToZero(s, 0, o('Inactive', 100 * S, 101 * S, { proxySince: 0 }))).toMatchObject({ desired: 0, apply: true });
    // SKS just switched to proxy at 100 s → wait 30 − 1 = 29 s
    expect(handleScaleToZero(s, 0, o('Inactive', 100 * S, 101 * S, { proxySince: 100 * S }))).toEqual({ desired: 0, apply: false, requeueAfter: 29 * S });
    expect(handleScaleToZero(s, 0, o('Inactive', 100 * S, 130 * S, { proxySince: 100 * S })).apply).toBe(true);
    // retention 120 s: not before inactive for 120 s, even if proxying long enough
    const r = base({ scaleToZeroPodRetention: 120 * S });
    expect(handleScaleToZero(r, 0, o('Inactive', 100 * S, 150 * S, { proxySince: 0 }))).toEqual({ desired: 0, apply: false, requeueAfter: 70 * S });
    expect(handleScaleToZero(r, 0, o('Inactive', 100 * S, 220 * S, { proxySince: 0 })).apply).toBe(true);
    // activator probe failed → not yet
    expect(handleScaleToZero(s, 0, o('Inactive', 0, 500 * S, { probe: false, proxySince: 0 })).apply).toBe(false);
  });

  it('Activating PA: fails to 0 only after progress deadline + 30 s (strictly)', () => {
    const s = base();
    expect(handleScaleToZero(s, 0, o('Activating', 0, 630 * S))).toEqual({ desired: -1, apply: false, requeueAfter: 630 * S });
    expect(handleScaleToZero(s, 0, o('Activating', 0, 630 * S + 1))).toMatchObject({ desired: 0, apply: true });
  });

  it('active condition table', () => {
    expect(computeActiveCondition(0, 1, 'Active', 0, 1, true).state).toBe('Inactive');
    expect(computeActiveCondition(1, 0, 'Inactive', 0, 1, true).state).toBe('Activating');
    expect(computeActiveCondition(1, 1, 'Activating', 0, 1, true).state).toBe('Active');
    expect(computeActiveCondition(-1, 0, 'Inactive', 0, 1, true).state).toBe('Inactive');
    expect(computeActiveCondition(3, 2, 'Activating', 0, 3, false)).toEqual({ state: 'Activating', scaleTargetInitialized: false });
    expect(computeActiveCondition(3, 3, 'Activating', 0, 3, false)).toEqual({ state: 'Active', scaleTargetInitialized: true });
  });
});

/**
 * Scale-to-zero timing, end to end over the pure functions: one pod serving concurrency 1 until
 * t = 100 s, the queue-proxy reporting 0 every second after that. Decider ticks every 2 s, the
 * reconciler runs after each tick.
 * Last non-zero bucket is [99 s, 100 s). The 60 s stable average reaches 0 when all 60 buckets in
 * (now − 60, now] are zero: now ≥ 159 s → first tick at 160 s: desired 0; PA active since 0 (≥ 60 s)
 * → marked Inactive at 160 s.
 *  - default TBC 211: 1 pod → EBC < 0 → SKS in Proxy since 0 → scale to 0 at the next pass, 162 s;
 *  - TBC 0: EBC 0 → SKS Serve until want = 0 at 160 s → grace 30 s → 190 s;
 *  - retention 120 s: inactive at 160 s → 160 + 120 = 280 s.
 */
function idleToZero(ann: Record<string, string>): number {
  const spec = resolve(ann);
  const kpa = new KpaAutoscaler(spec, 0, 1);
  let replicas = 1;
  let pa: PaState = 'Active';
  let paSince = 0;
  let proxySince: number | null = null;
  let want = 1;
  for (let t = 0; t <= 400 * S; t += S) {
    if (replicas > 0) kpa.record(t, { concurrency: t < 100 * S ? 1 : 0, rps: 0 });
    if (t % (2 * S) !== 0) continue;
    kpa.tick(t, replicas);
    const r = scalerScale(spec, kpa.status.desiredScale, {
      now: t, paState: pa, paStateSince: paSince, activatorProbeOk: proxySince !== null, sksProxySince: proxySince, scaleTargetInitialized: true,
    });
    want = r.desired;
    if (r.apply && r.desired >= 0) replicas = r.desired;
    const mode = sksMode(want, kpa.status.excessBurstCapacity, pa === 'Inactive');
    if (mode === 'Proxy' && proxySince === null) proxySince = t;
    if (mode === 'Serve') proxySince = null;
    const next: PaState = computeActiveCondition(want, replicas, pa, spec.minScale, spec.initialScale, true).state;
    if (next !== pa) {
      pa = next;
      paSince = t;
    }
    if (replicas === 0) return t;
  }
  return -1;
}

describe('scale-to-zero timing (a.7 "effective idle-to-zero time")', () => {
  it('defaults: ≈ 60 s after the last request (activator already in path)', () => {
    expect(idleToZero({})).toBe(162 * S);
  });
  it('activator out of path (TBC 0): + grace period 30 s', () => {
    expect(idleToZero({ [A('target-burst-capacity')]: '0' })).toBe(190 * S);
  });
  it('pod retention 120 s', () => {
    expect(idleToZero({ [A('scale-to-zero-pod-retention-period')]: '120s' })).toBe(280 * S);
  });
});

describe('KPA + scaler properties', () => {
  it('the scaled replica count stays within [min, max] unless it is 0 (scale to zero)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 5 }),
      fc.array(fc.record({ c: fc.double({ min: 0, max: 2000, noNaN: true }), ready: fc.integer({ min: 0, max: 30 }), state: fc.constantFrom<PaState>('Active', 'Activating', 'Inactive'), since: fc.integer({ min: 0, max: 700 }) }), { minLength: 1, maxLength: 30 }),
      (minScale, maxExtra, initialScale, ticks) => {
        const maxScale = maxExtra === 0 ? 0 : minScale + maxExtra;
        const spec = { ...resolve(), minScale, maxScale, initialScale };
        const kpa = new KpaAutoscaler(spec, 0, 0);
        ticks.forEach((tk, i) => {
          const now = (i + 1) * 2 * S;
          kpa.record(now, { concurrency: tk.c, rps: 0 });
          kpa.tick(now, tk.ready);
          const r = scalerScale(spec, kpa.status.desiredScale, {
            now, paState: tk.state, paStateSince: Math.max(0, now - tk.since * S), activatorProbeOk: true, sksProxySince: 0, scaleTargetInitialized: i > 3,
          });
          if (!r.apply || r.desired < 0) return;
          if (r.desired === 0) {
            expect(minScale).toBe(0);
            return;
          }
          expect(r.desired).toBeGreaterThanOrEqual(minScale);
          if (maxScale !== 0) expect(r.desired).toBeLessThanOrEqual(Math.max(maxScale, i > 3 ? 0 : initialScale));
        });
      },
    ), { numRuns: 200 });
  });
});
