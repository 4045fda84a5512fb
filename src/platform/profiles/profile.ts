/**
 * Platform profiles for the serverless vs container serving benchmark (study 4), loaded from
 * `models/platforms/*.yaml` with path-precise errors. Every number carries a provenance entry
 * (study 4 text, the platform's documented default, a fit, or "assumption: …"); the loader
 * rejects a profile that leaves one unexplained (DESIGN.md rule 7).
 *
 * Kinds: `managed-faas` (Lambda-like), `knative` (Cloud Run-like), `container` (Verta-like:
 * Kubernetes Deployment + HPA, ≥ 1 replica, optional cluster autoscaler).
 */
import { z } from 'zod';
import { coldStartModelSchema } from '../../cluster/cold-start.js';
import { bandwidthSchema, bytesSchema, loadYamlModel, nodeProfileFileSchema, parseYamlModel } from '../../cluster/node-profile.js';
import { DistributionError, makeDistribution, type Distribution } from '../../core/distributions.js';
import { parseDuration, type Time } from '../../core/time.js';

const dist = z.unknown().transform((v, ctx): Distribution => {
  try {
    return makeDistribution(v, '');
  } catch (e) {
    if (!(e instanceof DistributionError)) throw e;
    ctx.addIssue({ code: 'custom', message: `expected ${e.expected}, found ${e.found}`, input: v });
    return z.NEVER;
  }
});
const dur = z.union([z.string(), z.number()]).transform((v, ctx): Time => {
  try {
    return parseDuration(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `expected a duration such as 90s or 10m, found ${JSON.stringify(v)} (${(e as Error).message})`, input: v });
    return z.NEVER;
  }
});
const prov = z.record(z.string(), z.string().min(1));

const warm = z.strictObject({
  /** Per-core speed relative to the container platform's node. */
  speed: z.number().positive(),
  /** Fixed per-request path, seconds. */
  overhead: z.number().min(0),
  /** Lognormal σ of the compute part. */
  sigma: z.number().min(0),
});

const limits = z.strictObject({
  memory: bytesSchema,
  /** Deployment package / image / disk limit for code + libraries. */
  disk: bytesSchema,
});

export const managedFaasSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('managed-faas'),
  description: z.string().default(''),
  memoryMB: z.number().int().min(128),
  concurrencyPerInstance: z.literal(1),
  accountConcurrency: z.number().int().positive(),
  keepAlive: dur,
  warm,
  limits: z.strictObject({ memory: bytesSchema, package: bytesSchema, tmp: bytesSchema }),
  coldStart: z.strictObject({
    provisioning: dist,
    packageBandwidth: bandwidthSchema,
    runtimeInit: dist,
    fetchBandwidth: bandwidthSchema,
    import: dist,
    loadBandwidth: bandwidthSchema,
  }),
  provenance: prov,
});

export const knativePlatformSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('knative'),
  description: z.string().default(''),
  cpu: z.number().positive(),
  memory: bytesSchema,
  containerConcurrency: z.number().int().min(0),
  minScale: z.number().int().min(0),
  maxScale: z.number().int().min(1),
  timeout: dur,
  warm,
  limits,
  nodes: z.strictObject({ count: z.number().int().positive(), profile: nodeProfileFileSchema }),
  coldStart: coldStartModelSchema,
  provenance: prov,
});

export const containerPlatformSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('container'),
  description: z.string().default(''),
  cpu: z.number().positive(),
  memory: bytesSchema,
  minReplicas: z.number().int().min(1),
  maxReplicas: z.number().int().min(1),
  targetCpuUtilization: z.number().int().min(1).max(100),
  warm,
  limits,
  nodes: z.strictObject({
    profile: nodeProfileFileSchema,
    /** Nodes when there are enough (pods-only scaling). */
    spare: z.number().int().positive(),
    /** Nodes at the start when the pool must grow (pods + nodes). */
    initial: z.number().int().positive(),
    max: z.number().int().positive(),
    /** Cluster autoscaler scan interval and node provisioning time. */
    scanInterval: dur,
    provisioning: dist,
  }),
  coldStart: coldStartModelSchema,
  provenance: prov,
});

export const platformProfileSchema = z.discriminatedUnion('kind', [managedFaasSchema, knativePlatformSchema, containerPlatformSchema]);
export type ManagedFaasProfile = z.output<typeof managedFaasSchema>;
export type KnativePlatformProfile = z.output<typeof knativePlatformSchema>;
export type ContainerPlatformProfile = z.output<typeof containerPlatformSchema>;
export type PlatformProfile = z.output<typeof platformProfileSchema>;

/** Fields that need a provenance entry, per kind. */
const NEEDS: Record<PlatformProfile['kind'], readonly string[]> = {
  'managed-faas': ['memoryMB', 'concurrencyPerInstance', 'accountConcurrency', 'keepAlive', 'warm', 'limits', 'coldStart'],
  knative: ['cpu', 'memory', 'containerConcurrency', 'minScale', 'maxScale', 'timeout', 'warm', 'limits', 'nodes', 'coldStart'],
  container: ['cpu', 'memory', 'minReplicas', 'maxReplicas', 'targetCpuUtilization', 'warm', 'limits', 'nodes'],
};

const checked = platformProfileSchema.superRefine((p, ctx) => {
  for (const f of NEEDS[p.kind]) {
    if (p.provenance[f] === undefined) ctx.addIssue({ code: 'custom', path: ['provenance', f], message: `a provenance entry for "${f}" (its source, or "assumption: …")`, input: undefined });
  }
});

export function parsePlatformProfile(text: string, file = '<platform profile>'): PlatformProfile {
  return parseYamlModel(file, text, checked);
}

export function loadPlatformProfile(file: string): PlatformProfile {
  return loadYamlModel(file, checked);
}

/** A served model: its artifact and the libraries it needs. */
export interface ServedModel {
  name: string;
  /** Model artifact, bytes. */
  modelBytes: number;
  /** Libraries (torch + transformers) the server imports, bytes. */
  libraryBytes: number;
  /** Median CPU work per request relative to DistilBERT (1). */
  workRatio: number;
  /** Resident memory of the server with the model loaded, bytes. */
  memoryBytes: number;
}

/**
 * Whether `model` can be deployed on `p` (study 4 modelling note "Platform resource limits are
 * hard constraints"); returns the problem or null. Managed FaaS: libraries in package + /tmp,
 * the model streamed into memory; the others: libraries + model in the image/disk limit.
 */
export function deployProblem(p: PlatformProfile, model: ServedModel): string | null {
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  if (p.kind === 'managed-faas') {
    const disk = p.limits.package + p.limits.tmp;
    if (model.libraryBytes > disk) return `libraries of "${model.name}" (${mb(model.libraryBytes)}) exceed package + /tmp (${mb(disk)}) on "${p.name}"`;
    if (model.memoryBytes > p.limits.memory) return `"${model.name}" needs ${mb(model.memoryBytes)} of memory, "${p.name}" allows ${mb(p.limits.memory)}`;
    return null;
  }
  if (model.libraryBytes + model.modelBytes > p.limits.disk) return `libraries + model of "${model.name}" (${mb(model.libraryBytes + model.modelBytes)}) exceed the disk limit of "${p.name}" (${mb(p.limits.disk)})`;
  if (model.memoryBytes > Math.min(p.limits.memory, p.memory)) return `"${model.name}" needs ${mb(model.memoryBytes)} of memory, "${p.name}" gives ${mb(Math.min(p.limits.memory, p.memory))}`;
  return null;
}
