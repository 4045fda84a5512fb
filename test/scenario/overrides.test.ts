import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { SMALL_YAML, tempFile } from './helpers.js';

describe('--set overrides', () => {
  const file = tempFile('small.yaml', SMALL_YAML);

  it('sets scalars parsed as YAML, before validation', () => {
    const s = loadScenario(file, { set: ['duration=2m', 'functions[0].replicas=3', 'nodes[1].speed=0.25', 'seed=9'] });
    expect(s.header.duration).toBe(120_000_000);
    expect(s.header.seed).toBe(9);
    const body = s.body as { functions: { replicas: unknown }[]; nodes: { speed: number }[] };
    expect(body.functions[0].replicas).toBe(3);
    expect(body.nodes[1].speed).toBe(0.25);
  });

  it('creates a missing optional mapping (output) and accepts flow values', () => {
    const s = loadScenario(file, { set: ['output.requests=true', 'functions[0].serviceTime={type: constant, value: 7}', 'functions[0].replicas=[a, b, b]'] });
    expect(s.header.output.requests).toBe(true);
    const body = s.body as { functions: { serviceTime: { mean: number }; replicas: unknown }[] };
    expect(body.functions[0].serviceTime.mean).toBe(7);
    expect(body.functions[0].replicas).toEqual(['a', 'b', 'b']);
  });

  it('does not change the file on disk or other loads', () => {
    loadScenario(file, { set: ['duration=5m'] });
    expect(loadScenario(file).header.duration).toBe(30_000_000);
  });
});
