/** Helpers for the sweep tests: small sweep scenarios and reading result files. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../scenario/helpers.js';

/** A small serving scenario with a 2 × 2 sweep and 3 seeds (12 points of 20 simulated s). */
export const SMALL_SWEEP_YAML = `name: small-sweep
seed: 7
duration: 20s
kind: serving
output:
  requests: true
nodes:
  - name: a
    cores: 4
  - name: b
    cores: 2
    speed: 0.5
functions:
  - name: f
    replicas: 2
    serviceTime: {type: exponential, mean: 20}
    arrivals: {type: poisson, rate: 10}
  - name: g
    replicas: [a]
    concurrency: 2
    serviceTime: {type: lognormal, median: 5, p99: 20}
    arrivals: {type: poisson, rate: 30}
sweep:
  axes:
    "functions[0].arrivals.rate": [10, 40]
    "functions[0].replicas": [1, 3]
  seeds: 3
`;

/** Write a scenario into a fresh temporary directory; returns its path. */
export function writeScenario(text: string, name = 'sweep.yaml'): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

/** The quickstart with a sweep block appended (the quickstart itself declares none). */
export function quickstartSweepYaml(sweepBlock: string): string {
  return readFileSync('experiments/quickstart.yaml', 'utf8') + '\n' + sweepBlock;
}

/** Read a file as text. */
export function text(file: string): string {
  return readFileSync(file, 'utf8');
}
