/**
 * KubernetesBackend: ClusterBackend on a live cluster through @kubernetes/client-node (the
 * official client: kubeconfig, auth, API types) and the Prometheus HTTP API (issue 8 item 6).
 *
 * - Scope: one namespace. Functions are the namespace's Deployments and Knative Services that
 *   carry the label `servesim.io/managed=true`; an action on an object without it is refused
 *   with a clear error (BackendError), and nothing outside the namespace is ever patched (nodes
 *   are only read).
 * - Observe: `refresh()` reads nodes, the namespace's pods, Deployments and Knative Services,
 *   the Prometheus counters (per-pod CPU usage, CFS periods and throttling; per-node usage) and
 *   new inference records from the log endpoint into a snapshot; `observe()` returns it. `every`
 *   refreshes before each tick, so a tick sees one consistent picture.
 * - Act: `scale`, `place`, `setCpuLimit` are checked at once (function known and managed) and
 *   queued; `flush()` turns them into patches (patches.ts) after each tick. Dry-run by default:
 *   the patches are printed, not sent; `apply: true` sends them.
 * - Clock: monotonic wall time in µs since the backend started. Request records and in-flight
 *   counts are not known to the API server (they would come from the mesh or the logger): the
 *   backend reports them as empty / 0.
 */
import { monotonicUs, unixUs } from '../real-clock.js';
import {
  AppsV1Api, CoreV1Api, CustomObjectsApi, setHeaderOptions,
  type KubeConfig, type V1Deployment, type V1Node, type V1Pod,
} from '@kubernetes/client-node';
import type { Time } from '../../core/time.js';
import {
  BackendError, type Batch, type ClusterBackend, type ClusterObservation, type FunctionState, type InferenceEntry,
  type NodeState, type PodPhaseName, type PodState, type RequestRecord,
} from '../cluster-backend.js';
import { checkMilli, checkReplicas } from '../function-spec.js';
import { RecordLog } from '../record-log.js';
import {
  KNATIVE_MIN_SCALE, MANAGED_LABEL, cpuLimitPatch, parseCpuQuantity, placePatch, scalePatch,
  type ContainerResources, type PlannedPatch, type WorkloadKind,
} from './patches.js';
import { DEFAULT_QUERIES, byLabel, queryPrometheus, type QueryName } from './prometheus.js';
import { fetchRecords } from './record-endpoint.js';

export interface KubernetesBackendOptions {
  /** Loaded kubeconfig (e.g. `kc.loadFromDefault()`). */
  readonly kubeConfig: KubeConfig;
  /** The one namespace the backend reads and patches. */
  readonly namespace: string;
  /** Prometheus base URL (e.g. http://prometheus.monitoring:9090); none = CPU counters are 0. */
  readonly prometheusUrl?: string;
  /** Queries overriding DEFAULT_QUERIES (`NS` = the namespace). */
  readonly queries?: Partial<Record<QueryName, string>>;
  /** Inference record endpoint (JSON lines, record-endpoint.ts); none = no records. */
  readonly recordsUrl?: string;
  /** Send the patches (default false: dry run, print them). */
  readonly apply?: boolean;
  /** Where dry-run patches and applied patches are reported (default: stdout). */
  readonly print?: (line: string) => void;
  /** Keep at most this many inference records (default 1e6). */
  readonly retain?: number;
}

interface Workload {
  kind: WorkloadKind;
  name: string;
  labels: Record<string, string>;
  replicas: number;
  /** Labels selecting its pods. */
  selector: Record<string, string>;
  node: string | null;
  container: string;
  resources: ContainerResources;
  containerConcurrency: number;
}

interface KnativeService {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: {
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec?: { containerConcurrency?: number; containers?: { name?: string; resources?: ContainerResources }[]; affinity?: V1Pod['spec'] extends infer S ? S extends { affinity?: infer A } ? A : never : never };
    };
  };
}

type Intent =
  | { type: 'scale'; fn: string; replicas: number }
  | { type: 'place'; fn: string; node: string | null }
  | { type: 'limits'; fn: string; limit: number | null; request: number | null | undefined };

const EMPTY_OBSERVATION: ClusterObservation = { time: 0, nodes: [], pods: [], functions: [] };

function hostnameAffinity(affinity: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchExpressions?: { key: string; operator: string; values?: string[] }[] }[] } } } | undefined): string | null {
  for (const t of affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const e of t.matchExpressions ?? []) if (e.key === 'kubernetes.io/hostname' && e.operator === 'In' && e.values?.length === 1) return e.values[0];
  }
  return null;
}

function milliOf(q: string | undefined, what: string): number | null {
  return q === undefined ? null : parseCpuQuantity(q, what);
}

/** Pod phase as the backends name it. Pure; exported for tests. */
export function podPhase(p: V1Pod): PodPhaseName {
  if (p.metadata?.deletionTimestamp !== undefined && p.metadata?.deletionTimestamp !== null) return 'Terminating';
  const phase = p.status?.phase;
  if (phase === 'Succeeded') return 'Terminated';
  if (phase === 'Failed') return 'Failed';
  if (phase === 'Running' && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')) return 'Ready';
  return p.spec?.nodeName ? 'Starting' : 'Pending';
}

/** ClusterBackend on the Kubernetes API and Prometheus. */
export class KubernetesBackend implements ClusterBackend {
  readonly kind = 'kubernetes' as const;
  readonly namespace: string;
  readonly apply: boolean;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly t0 = monotonicUs();
  private readonly unixUsAtStart = unixUs();
  private readonly print: (line: string) => void;
  private readonly queries: Record<QueryName, string>;
  private readonly inference: RecordLog<InferenceEntry>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private snapshot: ClusterObservation = EMPTY_OBSERVATION;
  private workloads = new Map<string, Workload>();
  private unmanaged = new Map<string, WorkloadKind>();
  private intents: Intent[] = [];
  private recordSeq = 0;
  private closed = false;
  /** Every patch planned so far (sent or, in dry-run, printed). */
  readonly planned: PlannedPatch[] = [];

  constructor(private readonly opts: KubernetesBackendOptions) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(opts.namespace)) throw new BackendError(`KubernetesBackend: namespace: expected a DNS label, found ${JSON.stringify(opts.namespace)}`);
    this.namespace = opts.namespace;
    this.apply = opts.apply ?? false;
    this.core = opts.kubeConfig.makeApiClient(CoreV1Api);
    this.apps = opts.kubeConfig.makeApiClient(AppsV1Api);
    this.custom = opts.kubeConfig.makeApiClient(CustomObjectsApi);
    this.print = opts.print ?? ((l) => void process.stdout.write(`${l}\n`));
    const q = { ...DEFAULT_QUERIES, ...(opts.queries ?? {}) };
    this.queries = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, v.replaceAll('NS', this.namespace)])) as Record<QueryName, string>;
    this.inference = new RecordLog(opts.retain ?? 1_000_000);
  }

  // ---- clock ----------------------------------------------------------------------------

  now(): Time {
    return monotonicUs() - this.t0;
  }

  /** Every `interval`: refresh, call `fn(now)`, flush its actions. A tick still running skips the next. */
  every(interval: Time, fn: (now: Time) => void): () => void {
    if (!(interval > 0)) throw new BackendError(`every: interval: expected > 0 µs, found ${interval}`);
    let busy = false;
    let stopped = false;
    const timer = setInterval(() => {
      if (busy || stopped || this.closed) return;
      busy = true;
      this.tick(fn).catch((e: unknown) => this.print(`servesim kubernetes backend: tick failed: ${(e as Error).message}`)).finally(() => {
        busy = false;
      });
    }, interval / 1000);
    this.timers.add(timer);
    return () => {
      stopped = true;
      clearInterval(timer);
      this.timers.delete(timer);
    };
  }

  after(delay: Time, fn: (now: Time) => void): () => void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) this.tick(fn).catch((e: unknown) => this.print(`servesim kubernetes backend: tick failed: ${(e as Error).message}`));
    }, delay / 1000);
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  runFor(duration: Time): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, duration / 1000));
  }

  /** One tick: refresh, run, flush. */
  async tick(fn: (now: Time) => void): Promise<void> {
    await this.refresh();
    fn(this.now());
    await this.flush();
  }

  // ---- observe --------------------------------------------------------------------------

  observe(): ClusterObservation {
    return this.snapshot;
  }

  requests(cursor: number): Batch<RequestRecord> {
    return { items: [], cursor };
  }

  inferenceRecords(cursor: number): Batch<InferenceEntry> {
    return this.inference.since(cursor);
  }

  /** Read the cluster into the snapshot. */
  async refresh(): Promise<ClusterObservation> {
    const ns = this.namespace;
    const [nodeList, podList, depList, ksvcList] = await Promise.all([
      this.core.listNode(),
      this.core.listNamespacedPod({ namespace: ns }),
      this.apps.listNamespacedDeployment({ namespace: ns }),
      this.custom.listNamespacedCustomObject({ group: 'serving.knative.dev', version: 'v1', namespace: ns, plural: 'services' }).catch((e: unknown) => {
        if ((e as { code?: number }).code === 404) return { items: [] }; // Knative not installed
        throw e;
      }) as Promise<{ items?: KnativeService[] }>,
    ]);
    const workloads = new Map<string, Workload>();
    const unmanaged = new Map<string, WorkloadKind>();
    for (const d of depList.items) this.addDeployment(d, workloads, unmanaged);
    for (const s of ksvcList.items ?? []) this.addKnative(s, workloads, unmanaged);

    const prom = this.opts.prometheusUrl;
    const metric = async (q: QueryName, label: string): Promise<Map<string, number>> => (prom === undefined ? new Map() : byLabel(await queryPrometheus(prom, this.queries[q]), label));
    const [usage, periods, throttled, throttledS, nodeUsage] = await Promise.all([
      metric('podUsage', 'pod'), metric('podPeriods', 'pod'), metric('podThrottledPeriods', 'pod'), metric('podThrottledSeconds', 'pod'), metric('nodeUsage', 'node'),
    ]);
    if (this.opts.recordsUrl !== undefined) {
      const got = await fetchRecords(this.opts.recordsUrl, this.recordSeq);
      const arrival = this.now();
      for (const r of got) {
        if (r.seq <= this.recordSeq) continue;
        this.recordSeq = r.seq;
        this.inference.push({ record: { ...r.record, eventTime: r.unixUs - this.unixUsAtStart }, arrivalTime: arrival });
      }
    }

    const pods: PodState[] = [];
    const requested = new Map<string, number>();
    const ready = new Map<string, number>();
    for (const p of podList.items) {
      const labels = p.metadata?.labels ?? {};
      const w = [...workloads.values()].find((x) => Object.entries(x.selector).every(([k, v]) => labels[k] === v));
      if (w === undefined) continue;
      const name = p.metadata?.name ?? '';
      const c = p.spec?.containers.find((x) => x.name === w.container) ?? p.spec?.containers[0];
      const limit = milliOf(c?.resources?.limits?.cpu, `pod ${name}: limits.cpu`);
      const request = milliOf(c?.resources?.requests?.cpu, `pod ${name}: requests.cpu`) ?? limit;
      const node = p.spec?.nodeName ?? '';
      const phase = podPhase(p);
      if (node !== '' && phase !== 'Terminated' && phase !== 'Failed') requested.set(node, (requested.get(node) ?? 0) + (request ?? 0));
      if (phase === 'Ready') ready.set(w.name, (ready.get(w.name) ?? 0) + 1);
      pods.push({
        name, function: w.name, node, phase, cpuLimitMilli: limit, cpuRequestMilli: request, threads: 1, inFlight: 0, served: 0,
        cpu: { usageUs: (usage.get(name) ?? 0) * 1e6, nrPeriods: periods.get(name) ?? 0, nrThrottled: throttled.get(name) ?? 0, throttledUs: (throttledS.get(name) ?? 0) * 1e6 },
        createdAt: -1, readyAt: -1,
      });
    }
    const nodes: NodeState[] = nodeList.items.map((n: V1Node) => {
      const name = n.metadata?.name ?? '';
      return {
        name, cores: parseCpuQuantity(n.status?.capacity?.cpu ?? '0', `node ${name}: capacity.cpu`) / 1000,
        allocatableMilliCpu: parseCpuQuantity(n.status?.allocatable?.cpu ?? '0', `node ${name}: allocatable.cpu`),
        requestedMilliCpu: requested.get(name) ?? 0, cpuUsageUs: (nodeUsage.get(name) ?? 0) * 1e6, labels: n.metadata?.labels ?? {},
      };
    });
    const functions: FunctionState[] = [...workloads.values()].map((w) => ({
      name: w.name, replicas: w.replicas, readyReplicas: ready.get(w.name) ?? 0, node: w.node,
      cpuLimitMilli: milliOf(w.resources.limits?.cpu, `${w.kind} ${w.name}: limits.cpu`), cpuRequestMilli: milliOf(w.resources.requests?.cpu, `${w.kind} ${w.name}: requests.cpu`),
      containerConcurrency: w.containerConcurrency, arrived: 0, completed: 0, failed: 0, queued: 0, inFlight: 0,
    }));
    this.workloads = workloads;
    this.unmanaged = unmanaged;
    this.snapshot = { time: this.now(), nodes, pods, functions };
    return this.snapshot;
  }

  private addDeployment(d: V1Deployment, out: Map<string, Workload>, unmanaged: Map<string, WorkloadKind>): void {
    const name = d.metadata?.name ?? '';
    const labels = d.metadata?.labels ?? {};
    if (labels[MANAGED_LABEL] !== 'true') {
      unmanaged.set(name, 'Deployment');
      return;
    }
    const c = d.spec?.template.spec?.containers[0];
    out.set(name, {
      kind: 'Deployment', name, labels, replicas: d.spec?.replicas ?? 1, selector: d.spec?.selector.matchLabels ?? {},
      node: hostnameAffinity(d.spec?.template.spec?.affinity), container: c?.name ?? '',
      resources: { limits: c?.resources?.limits, requests: c?.resources?.requests }, containerConcurrency: 0,
    });
  }

  private addKnative(s: KnativeService, out: Map<string, Workload>, unmanaged: Map<string, WorkloadKind>): void {
    const name = s.metadata?.name ?? '';
    const labels = s.metadata?.labels ?? {};
    if (labels[MANAGED_LABEL] !== 'true') {
      unmanaged.set(name, 'KnativeService');
      return;
    }
    const t = s.spec?.template;
    const c = t?.spec?.containers?.[0];
    const min = Number(t?.metadata?.annotations?.[KNATIVE_MIN_SCALE] ?? 0);
    out.set(name, {
      kind: 'KnativeService', name, labels, replicas: Number.isFinite(min) ? min : 0, selector: { 'serving.knative.dev/service': name },
      node: hostnameAffinity(t?.spec?.affinity), container: c?.name ?? 'user-container',
      resources: { limits: c?.resources?.limits, requests: c?.resources?.requests }, containerConcurrency: t?.spec?.containerConcurrency ?? 0,
    });
  }

  // ---- act ------------------------------------------------------------------------------

  /** The managed workload `fn`, or a BackendError saying why it cannot be touched. */
  private managed(fn: string, what: string): Workload {
    const w = this.workloads.get(fn);
    if (w !== undefined) return w;
    const kind = this.unmanaged.get(fn);
    if (kind !== undefined) {
      throw new BackendError(`${what}: refusing to touch ${kind} ${this.namespace}/${fn}: it has no label ${MANAGED_LABEL}=true (label it to let servesim manage it)`);
    }
    const known = [...this.workloads.keys()].map((n) => `"${n}"`).join(', ') || 'none (refresh() first?)';
    throw new BackendError(`${what}: expected a managed Deployment or Knative Service in namespace ${this.namespace} (${known}), found "${fn}"`);
  }

  scale(fn: string, replicas: number): void {
    checkReplicas(`scale "${fn}": replicas`, replicas);
    this.managed(fn, `scale "${fn}"`);
    this.intents.push({ type: 'scale', fn, replicas });
  }

  place(fn: string, node: string | null): void {
    this.managed(fn, `place "${fn}"`);
    if (node !== null && this.snapshot.nodes.length > 0 && !this.snapshot.nodes.some((n) => n.name === node)) {
      throw new BackendError(`place "${fn}": node: expected one of the nodes ${this.snapshot.nodes.map((n) => `"${n.name}"`).join(', ')}, found "${node}"`);
    }
    this.intents.push({ type: 'place', fn, node });
  }

  setCpuLimit(fn: string, limitMilli: number | null, requestMilli?: number | null): void {
    const limit = checkMilli(`setCpuLimit "${fn}": limitMilli`, limitMilli);
    const request = requestMilli === undefined ? undefined : checkMilli(`setCpuLimit "${fn}": requestMilli`, requestMilli);
    if (limit !== null && request != null && request > limit) throw new BackendError(`setCpuLimit "${fn}": requestMilli: expected ≤ limitMilli (${limit}), found ${request}`);
    this.managed(fn, `setCpuLimit "${fn}"`);
    this.intents.push({ type: 'limits', fn, limit, request });
  }

  /** Turn the queued intents into patches; print them (dry run) or send them (apply). */
  async flush(): Promise<PlannedPatch[]> {
    const intents = this.intents;
    this.intents = [];
    const patches: PlannedPatch[] = [];
    for (const it of intents) {
      const w = this.managed(it.fn, it.type);
      if (it.type === 'scale') patches.push(scalePatch(w.kind, this.namespace, w.name, it.replicas));
      else if (it.type === 'place') patches.push(placePatch(w.kind, this.namespace, w.name, it.node));
      else patches.push(cpuLimitPatch(w.kind, this.namespace, w.name, w.container, w.resources, it.limit, it.request));
    }
    for (const p of patches) {
      this.planned.push(p);
      if (!this.apply) {
        this.print(`dry-run: would PATCH ${p.path} (${p.contentType}) ${JSON.stringify(p.body)}  # ${p.summary}`);
        continue;
      }
      await this.send(p);
      this.print(`applied: PATCH ${p.path} # ${p.summary}`);
    }
    return patches;
  }

  private async send(p: PlannedPatch): Promise<void> {
    const opts = setHeaderOptions('Content-Type', p.contentType);
    const m = /^\/apis\/(apps\/v1|serving\.knative\.dev\/v1)\/namespaces\/([^/]+)\/(deployments|services)\/([^/]+)(\/scale)?$/.exec(p.path);
    if (m === null || m[2] !== this.namespace) throw new BackendError(`internal: patch path outside namespace ${this.namespace}: ${p.path}`);
    const [, group, namespace, , name, scale] = m;
    if (group === 'apps/v1') {
      if (scale) await this.apps.patchNamespacedDeploymentScale({ name, namespace, body: p.body }, opts);
      else await this.apps.patchNamespacedDeployment({ name, namespace, body: p.body }, opts);
    } else {
      await this.custom.patchNamespacedCustomObject({ group: 'serving.knative.dev', version: 'v1', namespace, plural: 'services', name, body: p.body }, opts);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
