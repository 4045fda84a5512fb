/**
 * KubernetesBackend contract tests against recorded Kubernetes API and Prometheus responses
 * (test/backend/fixtures/k8s/*.json) served by a local HTTP server on 127.0.0.1: the exact
 * requests it sends (method, path, content-type, patch body, bearer token), dry-run by default,
 * namespace scope, refusal of unlabelled objects, and the observation it builds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesBackend, podPhase } from '../../src/backend/kubernetes/kubernetes-backend.js';
import { DEFAULT_QUERIES, parseVector } from '../../src/backend/kubernetes/prometheus.js';
import { parseCpuQuantity } from '../../src/backend/kubernetes/patches.js';
import { parseRecordLines } from '../../src/backend/kubernetes/record-endpoint.js';
import { BackendError } from '../../src/backend/cluster-backend.js';

const fixture = (f: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/k8s/${f}`, import.meta.url), 'utf8'));
const NS = 'ml';

interface Seen { method: string; path: string; contentType: string; auth: string; body: unknown }
const seen: Seen[] = [];
let server: Server;
let base = '';

function route(method: string, url: URL): { status: number; body: unknown; text?: string } {
  const p = url.pathname;
  if (method === 'GET' && p === '/api/v1/nodes') return { status: 200, body: fixture('nodes.json') };
  if (method === 'GET' && p === `/api/v1/namespaces/${NS}/pods`) return { status: 200, body: fixture('pods.json') };
  if (method === 'GET' && p === `/apis/apps/v1/namespaces/${NS}/deployments`) return { status: 200, body: fixture('deployments.json') };
  if (method === 'GET' && p === `/apis/serving.knative.dev/v1/namespaces/${NS}/services`) return { status: 200, body: fixture('knative-services.json') };
  if (method === 'GET' && p === '/prom/api/v1/query') {
    const q = url.searchParams.get('query') ?? '';
    const prom = fixture('prometheus.json') as Record<string, unknown>;
    const name = (Object.keys(DEFAULT_QUERIES) as (keyof typeof DEFAULT_QUERIES)[]).find((k) => DEFAULT_QUERIES[k].replaceAll('NS', NS) === q);
    return name === undefined ? { status: 400, body: { status: 'error', error: `unknown query ${q}` } } : { status: 200, body: prom[name] };
  }
  if (method === 'GET' && p === '/records') {
    const after = Number(url.searchParams.get('after'));
    const lines = (fixture('records.json') as { seq: number }[]).filter((r) => r.seq > after).map((r) => JSON.stringify(r));
    return { status: 200, body: null, text: lines.join('\n') + (lines.length ? '\n' : '') };
  }
  if (method === 'PATCH' && p === `/apis/apps/v1/namespaces/${NS}/deployments/iris/scale`) return { status: 200, body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'iris', namespace: NS }, spec: { replicas: 3 } } };
  if (method === 'PATCH' && p === `/apis/apps/v1/namespaces/${NS}/deployments/iris`) return { status: 200, body: (fixture('deployments.json') as { items: unknown[] }).items[0] };
  if (method === 'PATCH' && p === `/apis/serving.knative.dev/v1/namespaces/${NS}/services/clf`) return { status: 200, body: (fixture('knative-services.json') as { items: unknown[] }).items[0] };
  return { status: 404, body: { kind: 'Status', status: 'Failure', message: `no fixture for ${method} ${p}`, code: 404 } };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', path: url.pathname + url.search, contentType: String(req.headers['content-type'] ?? ''), auth: String(req.headers.authorization ?? ''), body: text === '' ? undefined : JSON.parse(text) });
      const r = route(req.method ?? '', url);
      const out = r.text ?? JSON.stringify(r.body);
      res.writeHead(r.status, { 'content-type': r.text === undefined ? 'application/json' : 'application/x-ndjson' });
      res.end(out);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fixture', server: base, skipTLSVerify: true }],
    users: [{ name: 'servesim', token: 'test-token' }],
    contexts: [{ name: 'fixture', cluster: 'fixture', user: 'servesim', namespace: NS }],
    currentContext: 'fixture',
  });
  return kc;
}

function backend(apply: boolean, printed: string[] = []): KubernetesBackend {
  return new KubernetesBackend({ kubeConfig: kubeConfig(), namespace: NS, prometheusUrl: `${base}/prom`, recordsUrl: `${base}/records`, apply, print: (l) => printed.push(l) });
}

describe('KubernetesBackend against recorded API responses', () => {
  it('refresh reads nodes, the namespace’s pods, Deployments, Knative Services, Prometheus counters and records', async () => {
    seen.length = 0;
    const b = backend(false);
    const obs = await b.refresh();
    const gets = seen.map((s) => `${s.method} ${s.path.split('?')[0]}`).sort();
    expect(gets).toEqual([
      'GET /api/v1/namespaces/ml/pods', 'GET /api/v1/nodes', 'GET /apis/apps/v1/namespaces/ml/deployments',
      'GET /apis/serving.knative.dev/v1/namespaces/ml/services', ...Array(5).fill('GET /prom/api/v1/query'), 'GET /records',
    ].sort());
    expect(seen.filter((s) => !s.path.startsWith('/prom') && !s.path.startsWith('/records')).every((s) => s.auth === 'Bearer test-token')).toBe(true);
    expect(seen.find((s) => s.path.startsWith('/records'))!.path).toBe('/records?after=0');
    expect(obs.functions.map((f) => f.name).sort()).toEqual(['clf', 'iris']); // legacy and old-svc are not managed
    const iris = obs.functions.find((f) => f.name === 'iris')!;
    expect(iris).toMatchObject({ replicas: 2, readyReplicas: 1, node: null, cpuLimitMilli: 500, cpuRequestMilli: 250, containerConcurrency: 0 });
    const clf = obs.functions.find((f) => f.name === 'clf')!;
    expect(clf).toMatchObject({ replicas: 1, readyReplicas: 0, node: 'w2', cpuLimitMilli: 1000, cpuRequestMilli: null, containerConcurrency: 4 });
    expect(obs.pods.map((p) => [p.name, p.function, p.phase, p.node])).toEqual([
      ['iris-7d9f-abcde', 'iris', 'Ready', 'w1'], ['iris-7d9f-fghij', 'iris', 'Pending', ''], ['clf-00002-deployment-5c6b-xyz12', 'clf', 'Starting', 'w2'],
    ]);
    expect(obs.pods[0].cpu).toEqual({ usageUs: 12.5e6, nrPeriods: 420, nrThrottled: 37, throttledUs: 1.75e6 });
    expect(obs.pods[2].cpuRequestMilli).toBe(1000); // request defaults to the limit
    expect(obs.nodes).toEqual([
      { name: 'w1', cores: 4, allocatableMilliCpu: 3800, requestedMilliCpu: 250, cpuUsageUs: 1234.5e6, labels: { 'kubernetes.io/hostname': 'w1', 'node.kubernetes.io/instance-type': 'c5.xlarge' } },
      { name: 'w2', cores: 2, allocatableMilliCpu: 1900, requestedMilliCpu: 1000, cpuUsageUs: 99e6, labels: { 'kubernetes.io/hostname': 'w2' } },
    ]);
    const recs = b.inferenceRecords(0);
    expect(recs.items.map((e) => e.record.features[0])).toEqual([5.1, 6.7, 5.9]);
    expect(recs.items[1].record.eventTime - recs.items[0].record.eventTime).toBe(250_500);
    expect(recs.items[0].record.revision).toBe('clf-00002');
    seen.length = 0;
    await b.refresh();
    expect(seen.find((s) => s.path.startsWith('/records'))!.path).toBe('/records?after=3');
    expect(b.inferenceRecords(recs.cursor).items.length).toBe(0);
  });

  it('dry-run by default: prints the patches and sends none', async () => {
    const printed: string[] = [];
    const b = backend(false, printed);
    await b.refresh();
    seen.length = 0;
    b.scale('iris', 3);
    b.place('iris', 'w2');
    b.setCpuLimit('clf', 750, 500);
    const patches = await b.flush();
    expect(seen.length).toBe(0);
    expect(patches.length).toBe(3);
    expect(printed).toEqual([
      'dry-run: would PATCH /apis/apps/v1/namespaces/ml/deployments/iris/scale (application/merge-patch+json) {"spec":{"replicas":3}}  # scale Deployment ml/iris to 3',
      'dry-run: would PATCH /apis/apps/v1/namespaces/ml/deployments/iris (application/strategic-merge-patch+json) {"spec":{"template":{"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/hostname","operator":"In","values":["w2"]}]}]}}}}}}}  # move Deployment ml/iris to node w2 (required node affinity)',
      'dry-run: would PATCH /apis/serving.knative.dev/v1/namespaces/ml/services/clf (application/json-patch+json) [{"op":"add","path":"/spec/template/spec/containers/0/resources","value":{"limits":{"cpu":"750m","memory":"1Gi"},"requests":{"cpu":"500m"}}}]  # set CPU limit of KnativeService ml/clf container user-container to 750m, request 500m',
    ]);
  });

  it('apply: true sends exactly these requests', async () => {
    const b = backend(true);
    await b.refresh();
    seen.length = 0;
    b.scale('iris', 3);
    b.place('iris', null);
    b.setCpuLimit('iris', 1500);
    b.scale('clf', 2);
    b.place('clf', 'w1');
    b.setCpuLimit('clf', null);
    await b.flush();
    expect(seen.map(({ method, path, contentType, body }) => ({ method, path, contentType, body }))).toEqual([
      { method: 'PATCH', path: '/apis/apps/v1/namespaces/ml/deployments/iris/scale', contentType: 'application/merge-patch+json', body: { spec: { replicas: 3 } } },
      { method: 'PATCH', path: '/apis/apps/v1/namespaces/ml/deployments/iris', contentType: 'application/strategic-merge-patch+json', body: { spec: { template: { spec: { affinity: { nodeAffinity: null } } } } } },
      { method: 'PATCH', path: '/apis/apps/v1/namespaces/ml/deployments/iris', contentType: 'application/strategic-merge-patch+json', body: { spec: { template: { spec: { containers: [{ name: 'model', resources: { limits: { cpu: '1500m' } } }] } } } } },
      { method: 'PATCH', path: '/apis/serving.knative.dev/v1/namespaces/ml/services/clf', contentType: 'application/merge-patch+json', body: { spec: { template: { metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '2', 'autoscaling.knative.dev/max-scale': '2' } } } } } },
      { method: 'PATCH', path: '/apis/serving.knative.dev/v1/namespaces/ml/services/clf', contentType: 'application/merge-patch+json', body: { spec: { template: { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['w1'] }] }] } } } } } } } },
      { method: 'PATCH', path: '/apis/serving.knative.dev/v1/namespaces/ml/services/clf', contentType: 'application/json-patch+json', body: [{ op: 'add', path: '/spec/template/spec/containers/0/resources', value: { limits: { memory: '1Gi' } } }] }, // cpu limit removed, memory kept
    ]);
    expect(seen.every((s) => s.auth === 'Bearer test-token' && s.path.includes('/namespaces/ml/'))).toBe(true);
  });

  it('refuses objects without the servesim.io/managed=true label, unknown functions and nodes', async () => {
    const b = backend(true);
    await b.refresh();
    seen.length = 0;
    expect(() => b.scale('legacy', 2)).toThrow(/refusing to touch Deployment ml\/legacy: it has no label servesim\.io\/managed=true/);
    expect(() => b.setCpuLimit('old-svc', 500)).toThrow(/refusing to touch KnativeService ml\/old-svc/);
    expect(() => b.scale('nope', 1)).toThrow(/expected a managed Deployment or Knative Service in namespace ml \("iris", "clf"\), found "nope"/);
    expect(() => b.place('iris', 'w9')).toThrow(/expected one of the nodes "w1", "w2", found "w9"/);
    expect(() => b.scale('iris', 1.5)).toThrow(BackendError);
    expect(await b.flush()).toEqual([]);
    expect(seen.length).toBe(0);
  });
});

describe('parsers', () => {
  it('CPU quantities', () => {
    expect(parseCpuQuantity('2', 'x')).toBe(2000);
    expect(parseCpuQuantity('500m', 'x')).toBe(500);
    expect(parseCpuQuantity('1.5', 'x')).toBe(1500);
    expect(parseCpuQuantity('250000u', 'x')).toBe(250);
    expect(() => parseCpuQuantity('2Gi', 'node w1: capacity.cpu')).toThrow(/node w1: capacity.cpu: expected a CPU quantity/);
  });
  it('Prometheus responses and record lines name the problem', () => {
    expect(() => parseVector({ status: 'error', error: 'bad query' }, 'q')).toThrow(/expected status "success", found "error" \(bad query\)/);
    expect(() => parseVector({ status: 'success', data: { resultType: 'matrix', result: [] } }, 'q')).toThrow(/expected data.resultType "vector"/);
    expect(() => parseRecordLines('{"seq":1,"timeMs":5,"features":[1]}\n{"seq":2,"timeMs":"x","features":[1]}', 'log')).toThrow(/log line 2: timeMs: expected Unix time in ms/);
  });
  it('pod phases', () => {
    expect(podPhase({ metadata: { deletionTimestamp: new Date(0) }, status: { phase: 'Running' } })).toBe('Terminating');
    expect(podPhase({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } })).toBe('Ready');
    expect(podPhase({ spec: { nodeName: 'w1', containers: [] }, status: { phase: 'Pending' } })).toBe('Starting');
    expect(podPhase({ status: { phase: 'Failed' } })).toBe('Failed');
  });
});
