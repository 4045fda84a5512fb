/**
 * `spec.json` of a saved policy directory (issue 7 item 6): what the network expects and
 * returns, how raw observations are normalised, the hyperparameters and seed it was trained
 * with, and where it came from. Read back with errors that name the file and the field path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from './atomic-write.js';
import type { BoxSpaceJson, DiscreteSpaceJson } from './spaces.js';
import type { Normalization } from './normalization.js';

export const SPEC_JSON = 'spec.json';
export const POLICY_FORMAT = 'servesim-policy/1';

/** A value allowed in the provenance record. */
export type ProvenanceValue = string | number | boolean | null;

/** Contents of `spec.json`. */
export interface PolicySpec {
  format: typeof POLICY_FORMAT;
  algorithm: string;
  /** Raw observation space the policy accepts (before normalisation). */
  observationSpace: BoxSpaceJson;
  actionSpace: DiscreteSpaceJson;
  /** Transform applied to raw observations before the network; null = none. */
  normalization: Normalization | null;
  /** Hyperparameters the network was trained with. */
  hyperparameters: Record<string, ProvenanceValue | ProvenanceValue[]>;
  seed: number;
  /** Training provenance: steps, updates, backend, library versions, scenario, variant, … */
  training: Record<string, ProvenanceValue>;
}

const provenanceValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const bound = z.number().nullable();
const schema = z.object({
  format: z.literal(POLICY_FORMAT),
  algorithm: z.string(),
  observationSpace: z.object({
    kind: z.literal('box'),
    shape: z.array(z.number().int().positive()),
    components: z.array(z.object({ name: z.string(), meaning: z.string(), low: bound, high: bound })).min(1),
  }),
  actionSpace: z.object({
    kind: z.literal('discrete'),
    n: z.number().int().positive(),
    actions: z.array(z.object({ name: z.string(), meaning: z.string() })).min(1),
  }),
  normalization: z
    .object({
      kind: z.literal('bounds'),
      low: z.array(z.number()),
      high: z.array(z.number()),
      range: z.tuple([z.number(), z.number()]),
      clip: z.boolean(),
    })
    .nullable(),
  hyperparameters: z.record(z.string(), z.union([provenanceValue, z.array(provenanceValue)])),
  seed: z.number().int(),
  training: z.record(z.string(), provenanceValue),
});

/** Write `spec` as `dir/spec.json` atomically. */
export function writePolicySpec(dir: string, spec: PolicySpec): void {
  writeFileAtomicSync(join(dir, SPEC_JSON), `${JSON.stringify(spec, null, 2)}\n`);
}

/** Read and check `dir/spec.json`; the error names the file and the offending field path. */
export function readPolicySpec(dir: string): PolicySpec {
  const path = join(dir, SPEC_JSON);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: cannot read the policy spec (${e instanceof Error ? e.message : String(e)})`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${path}: ${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  }
  return r.data as PolicySpec;
}
