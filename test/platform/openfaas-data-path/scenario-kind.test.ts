import { describe, expect, it } from 'vitest';
import '../../../src/scenario/kinds/openfaas.js';
import { validateSource } from '../../../src/scenario/load.js';
import { parseScenarioText } from '../../../src/scenario/source.js';
import { runScenario } from '../../../src/experiment/run.js';

function source(text: string) {
  return parseScenarioText('of.yaml', text, 'yaml');
}

const BASE = `
name: of
duration: 5m
kind: openfaas
nodes: [{name: w, cores: 8}]
queueWorker: {mode: ce, replicas: 2, ackWait: 30s}
autoscaler: ce
idler: {inactivityDuration: 1m, reconcileInterval: 30s}
functions:
  - name: resize
    image: {name: "resize:1", size: 80MB}
    work: {type: exponential, mean: 0.05}
    scaleToZero: true
    initialReplicas: 0
    arrivals: {type: poisson, rate: 10, asyncFraction: 0.3}
  - name: report
    image: {name: "report:1", size: 50MB}
    work: 40
    arrivals: {type: constant, rate: 0.02, asyncFraction: 1}
`;

describe('scenario kind openfaas', () => {
  it('runs: scale from zero, async path with redelivery of a function longer than ack_wait, CE alert scaling', () => {
    const sc = validateSource(source(BASE));
    const r = runScenario(sc, { seed: 3 });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const m = r.metrics as Record<string, any>;
    const resize = m.functions.resize;
    expect(resize.sync.calls).toBeGreaterThan(1500);
    expect(resize.sync.coldStartWaits).toBeGreaterThan(0);
    expect(resize.sync.completed).toBeGreaterThan(0.95 * resize.sync.calls);
    const report = m.functions.report;
    expect(report.async.invocations).toBeGreaterThan(0);
    expect(report.async.redeliveries).toBeGreaterThan(0); // 40 s of work > ack_wait 30 s
    expect(m.scaleEvents.some((e: { cause: string }) => e.cause === 'firing')).toBe(true);
    expect(m.gateway.calls).toBe(m.gateway.completed + Object.values(m.gateway.failed as Record<string, number>).reduce((a, b) => a + b, 0) + m.gateway.inFlight);
  });

  it('bad input gets a clear error naming the path', () => {
    expect(() => validateSource(source(BASE.replace('mode: ce, replicas: 2, ackWait: 30s', 'mode: ce, maxInflight: 5')))).toThrow(/queueWorker\.maxInflight[\s\S]*expected 1 in Community Edition/);
    expect(() => validateSource(source(BASE.replace('autoscaler: ce', 'autoscaler: keda')))).toThrow(/autoscaler/);
    expect(() => validateSource(source(BASE.replace('name: report', 'name: resize')))).toThrow(/functions\[1\]\.name/);
  });
});
