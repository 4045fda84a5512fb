/**
 * The patches KubernetesBackend sends, as pure functions of the intent (and, for Knative's JSON
 * patches, of the object as last read), so that tests can check them byte for byte.
 *
 * - Deployment scale: merge patch of the `scale` subresource `{"spec":{"replicas":n}}`.
 * - Knative Service scale: pin min-scale = max-scale = n on the revision template
 *   (`autoscaling.knative.dev/min-scale`, `max-scale`; platform-semantics.md §a), merge patch.
 * - Move (node affinity): required node affinity on `kubernetes.io/hostname` In [node]; null
 *   removes the node affinity. Strategic merge patch for Deployments, merge patch for Knative
 *   (a CRD: no strategic merge; the affinity object is replaced whole).
 * - CPU limits: strategic merge patch of the container by name for Deployments (lists of
 *   containers merge by name); JSON patch `add` of the first container's `resources` for Knative
 *   (RFC 6902 `add` replaces an existing member), computed from the object as read.
 * CPU quantities are written in millicores (`"500m"`).
 */
import { BackendError, MANAGED_LABEL } from '../cluster-backend.js';

export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';

export { MANAGED_LABEL };
export const KNATIVE_MIN_SCALE = 'autoscaling.knative.dev/min-scale';
export const KNATIVE_MAX_SCALE = 'autoscaling.knative.dev/max-scale';

/** Which kind of object a function is. */
export type WorkloadKind = 'Deployment' | 'KnativeService';

/** One HTTP patch. */
export interface PlannedPatch {
  readonly method: 'PATCH';
  readonly path: string;
  readonly contentType: string;
  readonly body: unknown;
  /** What it does, for the dry-run print. */
  readonly summary: string;
}

/** API path of a function's object (Deployments under apps/v1, Knative under serving.knative.dev/v1). */
export function objectPath(kind: WorkloadKind, namespace: string, name: string): string {
  return kind === 'Deployment'
    ? `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`
    : `/apis/serving.knative.dev/v1/namespaces/${namespace}/services/${name}`;
}

/** Millicores as a Kubernetes quantity. */
export function milliQuantity(m: number): string {
  return `${m}m`;
}

/**
 * A CPU quantity ("2", "500m", "1.5", "250000u", "100000000n") in millicores. Throws on anything
 * else, naming `what`.
 */
export function parseCpuQuantity(q: string | number, what: string): number {
  if (typeof q === 'number') return q * 1000;
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|u|n)?$/.exec(q.trim());
  if (m === null) throw new BackendError(`${what}: expected a CPU quantity such as 2, 1.5 or 500m, found "${q}"`);
  const v = Number(m[1]);
  const scale = m[2] === 'm' ? 1 : m[2] === 'u' ? 1e-3 : m[2] === 'n' ? 1e-6 : 1000;
  return v * scale;
}

export function scalePatch(kind: WorkloadKind, ns: string, name: string, replicas: number): PlannedPatch {
  if (kind === 'Deployment') {
    return { method: 'PATCH', path: `${objectPath(kind, ns, name)}/scale`, contentType: MERGE_PATCH, body: { spec: { replicas } }, summary: `scale Deployment ${ns}/${name} to ${replicas}` };
  }
  const annotations = { [KNATIVE_MIN_SCALE]: String(replicas), [KNATIVE_MAX_SCALE]: String(replicas) };
  return { method: 'PATCH', path: objectPath(kind, ns, name), contentType: MERGE_PATCH, body: { spec: { template: { metadata: { annotations } } } }, summary: `pin Knative Service ${ns}/${name} to ${replicas} replicas (min-scale = max-scale)` };
}

export function placePatch(kind: WorkloadKind, ns: string, name: string, node: string | null): PlannedPatch {
  const nodeAffinity = node === null ? null : {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }],
    },
  };
  return {
    method: 'PATCH', path: objectPath(kind, ns, name), contentType: kind === 'Deployment' ? STRATEGIC_MERGE_PATCH : MERGE_PATCH,
    body: { spec: { template: { spec: { affinity: { nodeAffinity } } } } },
    summary: node === null ? `remove the node affinity of ${kind} ${ns}/${name}` : `move ${kind} ${ns}/${name} to node ${node} (required node affinity)`,
  };
}

/** A container's `resources` as read from the API. */
export interface ContainerResources {
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

/**
 * CPU limit/request patch. `container` is the container's name (Deployments), `current` its
 * resources as read (Knative). `requestMilli` undefined = leave the request as it is.
 */
export function cpuLimitPatch(
  kind: WorkloadKind, ns: string, name: string, container: string, current: ContainerResources,
  limitMilli: number | null, requestMilli: number | null | undefined,
): PlannedPatch {
  const summary = `set CPU limit of ${kind} ${ns}/${name} container ${container} to ${limitMilli === null ? 'none' : milliQuantity(limitMilli)}` +
    (requestMilli === undefined ? '' : `, request ${requestMilli === null ? 'none' : milliQuantity(requestMilli)}`);
  if (kind === 'Deployment') {
    const resources: Record<string, Record<string, string | null>> = { limits: { cpu: limitMilli === null ? null : milliQuantity(limitMilli) } };
    if (requestMilli !== undefined) resources.requests = { cpu: requestMilli === null ? null : milliQuantity(requestMilli) };
    return { method: 'PATCH', path: objectPath(kind, ns, name), contentType: STRATEGIC_MERGE_PATCH, body: { spec: { template: { spec: { containers: [{ name: container, resources }] } } } }, summary };
  }
  const limits = { ...(current.limits ?? {}) };
  const requests = { ...(current.requests ?? {}) };
  if (limitMilli === null) delete limits.cpu;
  else limits.cpu = milliQuantity(limitMilli);
  if (requestMilli === null) delete requests.cpu;
  else if (requestMilli !== undefined) requests.cpu = milliQuantity(requestMilli);
  const value: ContainerResources = {};
  if (Object.keys(limits).length > 0) value.limits = limits;
  if (Object.keys(requests).length > 0) value.requests = requests;
  return { method: 'PATCH', path: objectPath(kind, ns, name), contentType: JSON_PATCH, body: [{ op: 'add', path: '/spec/template/spec/containers/0/resources', value }], summary };
}
