/** The VideoWorkflowCluster API the DRL environment drives: runs, moves, replicas, pressure, signals. */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
import { VideoWorkflowCluster, type RequestResult } from '../../src/platform/workflows/video-env-model.js';

function runOnce(sim: Simulation, c: VideoWorkflowCluster, frames: number): RequestResult {
  let res: RequestResult | null = null;
  c.runRequest(frames, (r) => { res = r; });
  while (res === null && sim.step()) { /* advance */ }
  if (res === null) throw new Error('request did not finish');
  return res;
}

describe('VideoWorkflowCluster', () => {
  it('runs every version on both engines, each function once per item, reported within 0.4 s of true', () => {
    for (const version of ['V1', 'V2', 'V3', 'V4'] as const) for (const engine of ['custom', 'custom-sync', 'faas-flow'] as const) {
      const sim = new Simulation({ seed: 7 });
      const c = new VideoWorkflowCluster(sim, { version, engine, telemetry: false });
      const r = runOnce(sim, c, 7);
      expect(r.ok, `${version} ${engine}: ${r.error}`).toBe(true);
      expect(r.latency - r.trueLatency).toBeGreaterThanOrEqual(0);
      expect(r.latency - r.trueLatency).toBeLessThan(engine === 'faas-flow' ? 1e-9 : 0.4);
      const inv = Object.fromEntries(Object.entries(r.perFunction).map(([k, v]) => [k, v.invocations]));
      if (version === 'V1') {
        expect(inv.framer).toBe(1);
        expect(inv.facedetector).toBe(7);
        expect((inv.faceanalyzer ?? 0) + (inv.mobilenet ?? 0)).toBe(7);
        expect(inv.faceanalyzer ?? 0).toBe(c.faces.subarray(0, 7).reduce((a, b) => a + b, 0));
        // frames written once by Framer, read by FaceDetector and again by the classifier
        expect(r.bytesWritten).toBe(7 * c.model.frameBytes + 14 * c.model.resultBytes + c.model.outputBytes);
        expect(r.bytesRead).toBe(14 * c.model.frameBytes + 7 * c.model.resultBytes + 7 * c.model.resultBytes);
      }
      if (version === 'V4') expect(Object.keys(inv).sort()).toEqual(['monolith', 'outputter']);
    }
  });

  it('moves, scales and pressures; signals follow the load', () => {
    const sim = new Simulation({ seed: 3 });
    const c = new VideoWorkflowCluster(sim, {});
    expect(c.placement()).toEqual({ framer: 'w01', facedetector: 'w01', faceanalyzer: 'w01', mobilenet: 'w01', outputter: 'w01' });
    const base = runOnce(sim, c, 7);
    c.setPlacement({ facedetector: 'w02', faceanalyzer: 'w03', mobilenet: 'w03' });
    c.setReplicas('faceanalyzer', 2);
    expect(c.replicas('faceanalyzer')).toBe(2);
    expect(c.ready()).toBe(false);
    const moved = runOnce(sim, c, 7);
    expect(moved.moveWait).toBeGreaterThan(0);
    expect(moved.perFunction.facedetector.nodes).toEqual(['w02']);
    expect(moved.perFunction.faceanalyzer.nodes).toEqual(['w03']);
    expect(moved.placement.faceanalyzer).toBe('w03');
    c.setPlacement({ facedetector: 'w01', faceanalyzer: 'w01', mobilenet: 'w01' });
    c.setCpuPressure('w01', 0.75);
    expect(c.occupiedCores('w01')).toBe(6);
    const pressured = runOnce(sim, c, 7);
    expect(pressured.trueLatency).toBeGreaterThan(base.trueLatency);
    sim.run(sim.now + 2_000_000);
    const s = c.nodeSignals('w01');
    expect(s.c0).toBeCloseTo(6 / 8, 6); // only the stressors run between requests
    expect(s.c1).toBeCloseTo(1 - s.c0, 12);
    expect(c.nodeSignals('w02').c0).toBe(0);
    c.setStressor('w02', 'membw', 0.5);
    sim.run(sim.now + 1_000_000);
    expect(c.nodeSignals('w02').memReadBytesPerSec).toBeGreaterThan(0);
    expect(c.nodeSignals('w02').ipc).toBeLessThan(1);
    c.clearStressors();
    expect(c.occupiedCores('w01')).toBe(0);
    expect(() => c.setPlacement({ framer: 'w09' })).toThrow(/setPlacement\["framer"\]: expected one of "w01", "w02", "w03", "w04", found "w09"/);
    expect(() => c.setReplicas('nope', 1)).toThrow(/expected one of "framer"/);
    expect(() => c.setCpuPressure('w01', 1.5)).toThrow(/level: expected a fraction in \[0, 1\], found 1.5/);
    c.telemetry?.stop();
  });
});
