/** Test helpers: temporary scenario files and a small valid serving scenario. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small valid `serving` scenario (YAML). Line numbers matter to the error tests. */
export const SMALL_YAML = `name: small
duration: 30s
kind: serving
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
`;

/** Write `text` to a fresh temporary directory under `name`; returns the path. */
export function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-test-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'servesim-test-'));
}

/** Replace the first occurrence of `from` in SMALL_YAML (fails loudly if absent). */
export function smallWith(from: string, to: string): string {
  if (!SMALL_YAML.includes(from)) throw new Error(`SMALL_YAML has no "${from}"`);
  return SMALL_YAML.replace(from, to);
}
