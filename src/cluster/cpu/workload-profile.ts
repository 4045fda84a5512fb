/**
 * Calibrated workload CPU profiles (`models/workloads/*.yaml`): the useful CPU work per request,
 * the thread policy and the parallel-overhead parameters, each with its provenance (DESIGN.md
 * rule 7: which measurement it was fitted to and the fit error, or its source / assumption).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { requestCpuWork, serverThreads, type ParallelOverheadParams } from './parallel-overhead.js';

const provenanced = z
  .object({
    value: z.number(),
    unit: z.string().optional(),
    fittedTo: z.string().optional(),
    fitError: z.string().optional(),
    source: z.string().optional(),
    assumption: z.string().optional(),
  })
  .refine((p) => p.fittedTo !== undefined || p.source !== undefined || p.assumption !== undefined, {
    message: 'a provenance: one of fittedTo, source or assumption',
  });

export const workloadProfileSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  /** visible-cores: threads = the node's cores (study 1 CT1-16); cpu-aware: threads = ceil(limit). */
  threads: z.enum(['visible-cores', 'cpu-aware']),
  usefulWorkCoreSeconds: provenanced,
  parallelOverhead: z.object({
    model: z.literal('barrier-waste-log2'),
    c: provenanced,
    d: provenanced,
    maxWaste: provenanced,
  }),
  calibration: z.unknown().optional(),
});

export type WorkloadProfileFile = z.infer<typeof workloadProfileSchema>;

/** A workload's CPU behaviour, ready for use by the CPU model. */
export interface WorkloadCpuProfile {
  name: string;
  /** Useful CPU work per request, core-µs at speed 1. */
  usefulWorkCoreUs: number;
  cpuAware: boolean;
  overhead: ParallelOverheadParams;
}

/** Validate a parsed profile; errors name the source, the path inside it, and what was expected. */
export function workloadProfileFrom(doc: unknown, source: string): WorkloadCpuProfile {
  const r = workloadProfileSchema.safeParse(doc);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new Error(`${source}: invalid workload profile:\n${lines.join('\n')}`);
  }
  const f = r.data;
  const o = f.parallelOverhead;
  const bad = (path: string, expected: string, v: number): never => {
    throw new Error(`${source}: ${path}: expected ${expected}, found ${v}`);
  };
  if (!(f.usefulWorkCoreSeconds.value > 0)) bad('usefulWorkCoreSeconds.value', 'a positive number of core-seconds', f.usefulWorkCoreSeconds.value);
  if (!(o.c.value >= 0)) bad('parallelOverhead.c.value', 'a number ≥ 0', o.c.value);
  if (!(o.d.value >= 0)) bad('parallelOverhead.d.value', 'a number ≥ 0', o.d.value);
  if (!(o.maxWaste.value >= 0 && o.maxWaste.value < 1)) bad('parallelOverhead.maxWaste.value', 'a fraction in [0, 1)', o.maxWaste.value);
  return {
    name: f.name,
    usefulWorkCoreUs: f.usefulWorkCoreSeconds.value * 1_000_000,
    cpuAware: f.threads === 'cpu-aware',
    overhead: { c: o.c.value, d: o.d.value, maxWaste: o.maxWaste.value },
  };
}

/** Read and validate a workload profile YAML file. */
export function loadWorkloadProfile(path: string): WorkloadCpuProfile {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: cannot read workload profile: ${(e as Error).message}`);
  }
  return workloadProfileFrom(doc, path);
}

/** Threads and CPU work (core-µs at speed 1) of one request on a node with `visibleCores` under `limitCores`. */
export function requestDemand(p: WorkloadCpuProfile, visibleCores: number, limitCores: number): { threads: number; workCoreUs: number } {
  const threads = serverThreads(visibleCores, limitCores, p.cpuAware);
  return { threads, workCoreUs: requestCpuWork(p.usefulWorkCoreUs, threads, limitCores, p.overhead) };
}
