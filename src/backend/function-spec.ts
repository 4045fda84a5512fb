/**
 * What a backend that starts its own pods (SimBackend, LocalBackend) is told about each
 * function, and its validation (bad input names the function, the field, what was expected and
 * what was found; DESIGN.md rule 6).
 */
import { BackendError } from './cluster-backend.js';

/** One function a Sim or Local backend runs. */
export interface FunctionSpec {
  /** Function name (DNS-label-like: lower-case letters, digits, '-'). */
  readonly name: string;
  /** Initial replicas (integer ≥ 0). */
  readonly replicas: number;
  /** CPU limit, millicores (null/undefined = none; CFS quota = limit × period / 1000, §d.2). */
  readonly cpuLimitMilli?: number | null;
  /** CPU request, millicores (weight from it, §d.2; undefined = the limit, as Kubernetes defaults it). */
  readonly cpuRequestMilli?: number | null;
  /** Threads each request's work is spread over (≥ 1). */
  readonly threads: number;
  /** Concurrent requests per pod (Knative containerConcurrency; 0 = unlimited). Default 1. */
  readonly containerConcurrency?: number;
  /** Most requests the router queues for the function (default unlimited). */
  readonly queueLimit?: number;
  /** Node the function is pinned to (null/undefined = anywhere). */
  readonly node?: string | null;
}

/** A FunctionSpec with its defaults applied. */
export interface ResolvedFunctionSpec {
  readonly name: string;
  readonly replicas: number;
  readonly cpuLimitMilli: number | null;
  readonly cpuRequestMilli: number | null;
  readonly threads: number;
  readonly containerConcurrency: number;
  readonly queueLimit: number;
  readonly node: string | null;
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Validate a list of function specs and apply defaults; throws BackendError naming the field. */
export function resolveFunctionSpecs(specs: readonly FunctionSpec[], nodeNames: readonly string[]): ResolvedFunctionSpec[] {
  const seen = new Set<string>();
  return specs.map((s, i) => {
    const at = `functions[${i}]`;
    if (typeof s.name !== 'string' || !NAME.test(s.name)) throw new BackendError(`${at}.name: expected a DNS label (a-z, 0-9, '-'), found ${JSON.stringify(s.name)}`);
    if (seen.has(s.name)) throw new BackendError(`${at}.name: expected a name not used before, found "${s.name}" again`);
    seen.add(s.name);
    checkReplicas(`${at}.replicas`, s.replicas);
    const limit = checkMilli(`${at}.cpuLimitMilli`, s.cpuLimitMilli);
    const request = checkMilli(`${at}.cpuRequestMilli`, s.cpuRequestMilli);
    if (limit !== null && request !== null && request > limit) throw new BackendError(`${at}.cpuRequestMilli: expected ≤ cpuLimitMilli (${limit}), found ${request}`);
    if (!Number.isInteger(s.threads) || s.threads < 1) throw new BackendError(`${at}.threads: expected an integer ≥ 1, found ${s.threads}`);
    const cc = s.containerConcurrency ?? 1;
    if (!Number.isInteger(cc) || cc < 0) throw new BackendError(`${at}.containerConcurrency: expected an integer ≥ 0 (0 = unlimited), found ${cc}`);
    const ql = s.queueLimit ?? Infinity;
    if (!(ql >= 0) || (ql !== Infinity && !Number.isInteger(ql))) throw new BackendError(`${at}.queueLimit: expected an integer ≥ 0, found ${ql}`);
    const node = s.node ?? null;
    if (node !== null) checkNode(`${at}.node`, node, nodeNames);
    return { name: s.name, replicas: s.replicas, cpuLimitMilli: limit, cpuRequestMilli: request, threads: s.threads, containerConcurrency: cc, queueLimit: ql, node };
  });
}

/** Throws unless `n` is an integer ≥ 0. */
export function checkReplicas(what: string, n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new BackendError(`${what}: expected an integer ≥ 0, found ${String(n)}`);
}

/** A millicore value: null/undefined → null; else a positive integer. */
export function checkMilli(what: string, v: number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (!Number.isInteger(v) || v <= 0) throw new BackendError(`${what}: expected a positive integer of millicores or null, found ${v}`);
  return v;
}

/** Throws unless `node` is one of `names`. */
export function checkNode(what: string, node: string, names: readonly string[]): void {
  if (!names.includes(node)) throw new BackendError(`${what}: expected one of the nodes ${names.map((n) => `"${n}"`).join(', ')}, found "${node}"`);
}
