/**
 * Locations of the model files the workflow models load by default, resolved against the package
 * root (the directory that holds package.json and models/), so they work from src/ and dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path of `relative` under the package root. */
export function modelPath(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return join(dir, relative);
    dir = dirname(dir);
  }
  return resolve(relative);
}

export const VIDEO_MODEL_FILE = 'models/workflows/video-pipeline.yaml';
export const INTERFERENCE_MODEL_FILE = 'models/interference/default.yaml';
export const COLD_START_MODEL_FILE = 'models/cold-start/default.yaml';
export const DRL_NODE_FILES = ['models/nodes/drl-w01.yaml', 'models/nodes/drl-w02.yaml', 'models/nodes/drl-w03.yaml', 'models/nodes/drl-w04.yaml'] as const;
