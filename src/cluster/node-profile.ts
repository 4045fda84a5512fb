/**
 * Node profiles: the hardware a simulated node stands for (cores, per-class speed, memory,
 * L3, memory/disk/network bandwidth, image cache, labels and taints), loaded from YAML files
 * in `models/nodes/` and validated with clear errors (file, path, expected, found).
 *
 * Every number in a profile file carries a provenance entry (where it came from, or
 * "assumption: …" with the reasoning), DESIGN.md rule 7; the loader rejects a profile that
 * leaves a number unexplained.
 *
 * This file also holds the small helpers the other `models/` loaders of the machine room
 * share: hardware quantity parsing (bytes, bandwidth) and YAML + zod validation with
 * path-precise errors.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';

// ---------------------------------------------------------------------------------------
// Errors and YAML + zod validation shared by the machine-room model files
// ---------------------------------------------------------------------------------------

/** A model file (or in-memory model text) failed to parse or validate. */
export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${file}: ${path === '' ? '(root)' : path}: expected ${expected}, found ${found}`);
    this.name = 'ModelFileError';
  }
}

function describeFound(v: unknown): string {
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/**
 * Validate `data` against `schema`; on failure throw a ModelFileError for the first issue,
 * naming the file, the path inside it, what was expected and what was found.
 */
export function validateModel<S extends z.ZodType>(file: string, data: unknown, schema: S): z.output<S> {
  const r = schema.safeParse(data, { reportInput: true });
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = formatPath(issue.path);
  const found = 'input' in issue ? describeFound(issue.input) : 'an invalid value';
  let expected: string;
  switch (issue.code) {
    case 'invalid_type':
      expected = issue.expected;
      break;
    case 'invalid_value':
      expected = `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'unrecognized_keys':
      throw new ModelFileError(file, path, 'only known keys', `unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`);
    case 'too_small':
      expected = `a value ${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}`;
      break;
    case 'too_big':
      expected = `a value ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}`;
      break;
    default: {
      // Custom issues carry "expected X, found Y" (quantity parsers, distributions) or just X.
      const m = /^expected (.*), found (.*)$/s.exec(issue.message);
      if (m) throw new ModelFileError(file, path, m[1], m[2]);
      expected = issue.message;
    }
  }
  throw new ModelFileError(file, path, expected, found);
}

/** Parse YAML text (named `file` in errors) and validate it against `schema`. */
export function parseYamlModel<S extends z.ZodType>(file: string, text: string, schema: S): z.output<S> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      throw new ModelFileError(file, pos ? `line ${pos.line}, column ${pos.col}` : '', 'valid YAML', e.message.split('\n')[0]);
    }
    throw e;
  }
  return validateModel(file, data, schema);
}

/** Read a YAML model file from disk and validate it. */
export function loadYamlModel<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ModelFileError(file, '', 'a readable file', (e as Error).message);
  }
  return parseYamlModel(file, text, schema);
}

// ---------------------------------------------------------------------------------------
// Hardware quantities
// ---------------------------------------------------------------------------------------

const BYTE_UNITS: Record<string, number> = {
  B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12,
  KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40,
};
const BIT_UNITS: Record<string, number> = { bit: 1, kbit: 1e3, Mbit: 1e6, Gbit: 1e9, Kbit: 1e3 };

/**
 * Parse a byte size: a non-negative number of bytes or a string such as `28MB`, `15.6GB`,
 * `241MiB` (SI units are powers of 10, IEC units powers of 2). Returns bytes (may be
 * fractional). Throws an Error saying what was expected; callers wrap it with the path.
 */
export function parseBytes(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new Error(`expected a non-negative byte count, found ${input}`);
    return input;
  }
  const m = /^\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([kKMGT]i?B|B)\s*$/.exec(input);
  if (!m || BYTE_UNITS[m[2]] === undefined) {
    throw new Error(`expected a size such as 28MB, 15.6GB or 241MiB, found ${JSON.stringify(input)}`);
  }
  return Number(m[1]) * BYTE_UNITS[m[2]];
}

/**
 * Parse a bandwidth into bytes per second: a number (bytes/s) or `500MB/s`, `1Gbit/s`,
 * `10Gbps` (bits are divided by 8).
 */
export function parseBandwidth(input: string | number, allowZero = false): number {
  const ok = (x: number): boolean => Number.isFinite(x) && (allowZero ? x >= 0 : x > 0);
  if (typeof input === 'number') {
    if (!ok(input)) throw new Error(`expected a ${allowZero ? 'non-negative' : 'positive'} bandwidth in bytes/s, found ${input}`);
    return input;
  }
  const s = input.trim();
  let m = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([kKMGT]?bit)(?:\/s|ps)$/.exec(s.replace(/([kKMGT]?)bps$/, '$1bit/s'));
  if (m && BIT_UNITS[m[2]] !== undefined && ok(Number(m[1]))) return (Number(m[1]) * BIT_UNITS[m[2]]) / 8;
  m = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([kKMGT]i?B|B)\/s$/.exec(s);
  if (m && BYTE_UNITS[m[2]] !== undefined && ok(Number(m[1]))) return Number(m[1]) * BYTE_UNITS[m[2]];
  throw new Error(`expected a bandwidth such as 500MB/s or 1Gbit/s, found ${JSON.stringify(input)}`);
}

/** zod schema of a byte size (number or unit string), output in bytes. */
export const bytesSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  try {
    return parseBytes(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message, input: v });
    return z.NEVER;
  }
});

function bandwidthField(allowZero: boolean) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    try {
      return parseBandwidth(v, allowZero);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message, input: v });
      return z.NEVER;
    }
  });
}

/** zod schema of a positive bandwidth (number in bytes/s or unit string), output in bytes/s. */
export const bandwidthSchema = bandwidthField(false);

/** As bandwidthSchema, but zero is allowed (a rate of demand rather than a capacity). */
export const demandBandwidthSchema = bandwidthField(true);

// ---------------------------------------------------------------------------------------
// Node profile
// ---------------------------------------------------------------------------------------

/** A Kubernetes taint. */
export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** The validated, unit-normalised node profile. */
export interface NodeProfile {
  /** Profile name, e.g. `drl-w01`. */
  readonly name: string;
  readonly description: string;
  /** Cores (vCPUs) the node offers to pods. */
  readonly cores: number;
  /**
   * Relative per-core speed by workload class (1 = the reference core of the profile's
   * cluster). CPU work of a class runs `speed` times faster than on the reference core.
   */
  readonly speed: { readonly default: number; readonly classes: Readonly<Record<string, number>> };
  readonly memoryBytes: number;
  readonly l3Bytes: number;
  /** Peak DRAM bandwidth the node can draw, bytes/s. */
  readonly memoryBandwidth: number;
  /** Local disk sequential read bandwidth, bytes/s (model load, image extract). */
  readonly diskBandwidth: number;
  /** NIC bandwidth, bytes/s (image pulls, network links). */
  readonly networkBandwidth: number;
  /** Capacity of the kubelet image store, bytes. */
  readonly imageCacheBytes: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** Where each number came from: field name → source or "assumption: …". */
  readonly provenance: Readonly<Record<string, string>>;
}

/** The numeric fields that must each carry a provenance entry. */
export const PROFILE_NUMERIC_FIELDS = [
  'cores', 'speed', 'memory', 'l3', 'memoryBandwidth', 'diskBandwidth', 'networkBandwidth', 'imageCache',
] as const;

const positive = z.number().positive();

/** zod schema of a profile file (input keys as written in YAML). */
export const nodeProfileFileSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().default(''),
    cores: z.number().int().positive(),
    speed: z.strictObject({ default: positive, classes: z.record(z.string(), positive).default({}) }),
    memory: bytesSchema,
    l3: bytesSchema,
    memoryBandwidth: bandwidthSchema,
    diskBandwidth: bandwidthSchema,
    networkBandwidth: bandwidthSchema,
    imageCache: bytesSchema,
    labels: z.record(z.string(), z.string()).default({}),
    taints: z
      .array(z.strictObject({
        key: z.string().min(1),
        value: z.string().optional(),
        effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
      }))
      .default([]),
    provenance: z.record(z.string(), z.string().min(1)),
  })
  .superRefine((p, ctx) => {
    for (const f of PROFILE_NUMERIC_FIELDS) {
      if (p.provenance[f] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['provenance', f],
          message: `a provenance entry for "${f}" (its source, or "assumption: …")`,
          input: undefined,
        });
      }
    }
    for (const c of Object.keys(p.speed.classes)) {
      if (p.provenance[`speed.${c}`] === undefined && p.provenance.speed === undefined) {
        ctx.addIssue({ code: 'custom', path: ['provenance', `speed.${c}`], message: 'a provenance entry', input: undefined });
      }
    }
  });

function toProfile(p: z.output<typeof nodeProfileFileSchema>): NodeProfile {
  return {
    name: p.name,
    description: p.description,
    cores: p.cores,
    speed: { default: p.speed.default, classes: p.speed.classes },
    memoryBytes: p.memory,
    l3Bytes: p.l3,
    memoryBandwidth: p.memoryBandwidth,
    diskBandwidth: p.diskBandwidth,
    networkBandwidth: p.networkBandwidth,
    imageCacheBytes: p.imageCache,
    labels: p.labels,
    taints: p.taints,
    provenance: p.provenance,
  };
}

/** Parse a profile from YAML text; `file` names it in errors. */
export function parseNodeProfile(text: string, file = '<node profile>'): NodeProfile {
  return toProfile(parseYamlModel(file, text, nodeProfileFileSchema));
}

/** Load and validate one profile file. */
export function loadNodeProfile(file: string): NodeProfile {
  return toProfile(loadYamlModel(file, nodeProfileFileSchema));
}

/** Relative per-core speed of `profile` for a workload class (falls back to the default). */
export function speedFor(profile: NodeProfile, workloadClass?: string): number {
  if (workloadClass !== undefined) {
    const s = profile.speed.classes[workloadClass];
    if (s !== undefined) return s;
  }
  return profile.speed.default;
}

/** True when `profile` carries every label in `selector` (Kubernetes nodeSelector). */
export function matchesSelector(profile: NodeProfile, selector: Readonly<Record<string, string>>): boolean {
  for (const k of Object.keys(selector)) if (profile.labels[k] !== selector[k]) return false;
  return true;
}

/** Taints of `profile` with effect NoSchedule/NoExecute that `tolerations` (keys, or key=value) do not tolerate. */
export function untoleratedTaints(profile: NodeProfile, tolerations: readonly string[]): Taint[] {
  return profile.taints.filter(
    (t) => t.effect !== 'PreferNoSchedule'
      && !tolerations.includes(t.key)
      && !(t.value !== undefined && tolerations.includes(`${t.key}=${t.value}`)),
  );
}
