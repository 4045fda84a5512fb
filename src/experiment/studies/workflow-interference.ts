/**
 * Study 5 E2, E3, E4 (Giagkos 2022 §4.5–4.6.1, Tab 4.2, Figs 4.10–4.16): the video pipeline under
 * co-located interference.
 *  A (faas-flow): the six Tab 4.2 placements × sizes × {none; CPU, L3, memory bandwidth at a level
 *    on w01; the same on w02} — predictions (no target constrains L3/memory bandwidth).
 *  B (custom): V1 and V4 whole-workflow on each node × CPU pressure levels on that node × sizes.
 *  C (custom): per-function CPU sensitivity: V1 on w01 at 65 frames × CPU levels; each function's
 *    per-invocation execution time against 0 %.
 *  D (custom): per function and node, the execution time with and without each stressor kind.
 * Checks CT5-2, CT5-8, CT5-9, CT5-10. Scenario kind `workflow-interference`.
 */
import { z } from 'zod';
import { getKind, registerKind, type Check, type JsonValue, type Table } from '../../scenario/registry.js';
import { occupiedCores, type StressorKind } from '../../cluster/interference.js';
import type { CellResult, StressorSpec } from '../../platform/workflows/video-cells.js';
import { CT5_2, CT5_8, CT5_9_MAX, TAB_4_2, reduction, slowdown } from '../../platform/workflows/video-targets.js';
import { CellRunner, absCheck, assumptions, commonFields, exactCheck, latencyCols, modelsFrom, pct, r3, table } from './workflow-common.js';

const kind = z.enum(['cpu', 'l3', 'membw']);

export const interferenceBodySchema = z.strictObject({
  ...commonFields,
  faasFlow: z.strictObject({
    configurations: z.array(z.string()).default(Object.keys(TAB_4_2)),
    sizes: z.array(z.number().int().min(1)).default([16, 32, 65]),
    kinds: z.array(kind).default(['cpu', 'l3', 'membw']),
    level: z.number().min(0).max(1).default(0.5),
    nodes: z.array(z.string()).default(['w01', 'w02']),
  }).default({ configurations: Object.keys(TAB_4_2), sizes: [16, 32, 65], kinds: ['cpu', 'l3', 'membw'], level: 0.5, nodes: ['w01', 'w02'] }),
  wholeWorkflow: z.strictObject({
    nodes: z.array(z.string()).default(['w01', 'w02', 'w03', 'w04']),
    levels: z.array(z.number().min(0).max(1)).default([0, 0.1, 0.5, 0.8]),
    /** Input size the CT5-8…CT5-10 checks use (the thesis does not say; all sizes are reported). */
    checkFrames: z.number().int().min(1).default(65),
  }).default({ nodes: ['w01', 'w02', 'w03', 'w04'], levels: [0, 0.1, 0.5, 0.8], checkFrames: 65 }),
  perFunction: z.strictObject({
    node: z.string().default('w01'),
    frames: z.number().int().min(1).default(65),
    levels: z.array(z.number().min(0).max(1)).default([0, 0.1, 0.25, 0.5, 0.75, 0.8]),
  }).default({ node: 'w01', frames: 65, levels: [0, 0.1, 0.25, 0.5, 0.75, 0.8] }),
  stressorMatrix: z.strictObject({
    nodes: z.array(z.string()).default(['w01', 'w02', 'w03', 'w04']),
    kinds: z.array(kind).default(['cpu', 'l3', 'membw']),
    level: z.number().min(0).max(1).default(0.5),
    frames: z.number().int().min(1).default(16),
  }).default({ nodes: ['w01', 'w02', 'w03', 'w04'], kinds: ['cpu', 'l3', 'membw'], level: 0.5, frames: 16 }),
});
type Body = z.output<typeof interferenceBodySchema>;

interface Result {
  runner: CellRunner;
  checks: Check[];
  tables: Table[];
  metrics: { [key: string]: JsonValue };
}

/** Mean per-invocation execution time of each function in a cell, s. */
export function perInvocation(c: CellResult): Record<string, number> {
  const o: Record<string, number> = {};
  for (const [fn, t] of Object.entries(c.perFunction)) o[fn] = t / Math.max(1, c.invocations[fn] ?? 1);
  return o;
}

export function runInterference(b: Body, seed: number): Result {
  const models = modelsFrom(b);
  const runner = new CellRunner(models, seed, b.runs);
  const tables: Table[] = [];
  const metrics: { [key: string]: JsonValue } = { assumptions: assumptions(models) };
  const nodeCores = (n: string): number => models.workers.find((w) => (w.labels['kubernetes.io/hostname'] ?? w.name) === n)?.cores ?? NaN;

  // ---- A: faas-flow, Tab 4.2 × sizes × pressure ----
  const ff = b.faasFlow;
  const conditions: { label: string; stressors: StressorSpec[] }[] = [{ label: 'none', stressors: [] }];
  for (const n of ff.nodes) for (const k of ff.kinds) conditions.push({ label: `${k} ${pct(ff.level)}% on ${n}`, stressors: [{ node: n, kind: k, level: ff.level }] });
  const aRows: (string | number)[][] = [];
  const aJson: JsonValue[] = [];
  const lat = (cfg: string, f: number, cond: string): number => {
    const t = TAB_4_2[cfg];
    const c = conditions.find((x) => x.label === cond);
    if (t === undefined || c === undefined) return NaN;
    return runner.cell({ version: t.version, engine: 'faas-flow', placement: t.placement, frames: f, stressors: c.stressors }, `A ${cfg} ${f}f ${cond}`).latency.mean;
  };
  for (const cfg of ff.configurations) {
    if (TAB_4_2[cfg] === undefined) throw new RangeError(`workflow-interference: faasFlow.configurations: expected one of ${Object.keys(TAB_4_2).join(', ')}, found "${cfg}"`);
    for (const f of ff.sizes) {
      const base = lat(cfg, f, 'none');
      for (const cond of conditions) {
        const v = lat(cfg, f, cond.label);
        aRows.push([cfg, f, cond.label, r3(v), pct(slowdown(base, v))]);
        aJson.push({ configuration: cfg, frames: f, condition: cond.label, mean_s: r3(v), slowdown: r3(slowdown(base, v)) });
      }
    }
  }
  tables.push(table('A (E2, faas-flow): Tab 4.2 configurations × size × pressure (mean latency s; slowdown % vs none) — predictions for L3/membw', ['configuration', 'frames', 'pressure', 'mean', 'slowdown %'], aRows));
  // pressure-type ranking and Version4 rank / gaps
  const summaryRows: (string | number)[][] = [];
  for (const n of ff.nodes) for (const f of ff.sizes) {
    const kinds = [...ff.kinds].map((k) => ({ k, t: ff.configurations.reduce((s, cfg) => s + lat(cfg, f, `${k} ${pct(ff.level)}% on ${n}`), 0) / ff.configurations.length }));
    kinds.sort((x, y) => y.t - x.t);
    summaryRows.push([`pressure types by mean latency, ${n}, ${f} frames`, kinds.map((x) => `${x.k} ${r3(x.t)}`).join(' > ')]);
  }
  if (ff.configurations.includes('Version4')) {
    for (const f of ff.sizes) for (const cond of conditions) {
      const all = ff.configurations.map((cfg) => ({ cfg, t: lat(cfg, f, cond.label) })).sort((x, y) => x.t - y.t);
      const v1 = all.filter((x) => x.cfg !== 'Version4');
      const v4 = lat('Version4', f, cond.label);
      summaryRows.push([`Version4 rank (1 = fastest), ${f} frames, ${cond.label}`, `${all.findIndex((x) => x.cfg === 'Version4') + 1} of ${all.length}; gap to best V1 ${pct(reduction(v1[0].t, v4))}%, to worst V1 ${pct(reduction(v1[v1.length - 1].t, v4))}%; V1 spread ${r3(v1[v1.length - 1].t - v1[0].t)} s`]);
    }
  }
  tables.push(table('A summary: pressure-type ranking, Version4 rank and gaps, spread of the V1 configurations', ['quantity', 'value'], summaryRows));
  metrics.faasFlowPlacements = aJson;

  // ---- B: custom, whole workflow on one node × CPU level × size ----
  const ww = b.wholeWorkflow;
  const bCell = (v: 'V1' | 'V4', n: string, l: number, f: number): CellResult =>
    runner.cell({ version: v, engine: 'custom', placement: n, frames: f, stressors: l > 0 ? [{ node: n, kind: 'cpu', level: l }] : [] }, `B ${v} ${n} ${pct(l)}% ${f}f`);
  const bRows: (string | number)[][] = [];
  const slow: Record<string, Record<string, Record<string, number>>> = {};
  for (const v of ['V1', 'V4'] as const) {
    slow[v] = {};
    for (const n of ww.nodes) {
      slow[v][n] = {};
      for (const f of b.sizes) {
        const base = bCell(v, n, 0, f).latency.mean;
        for (const l of ww.levels) {
          const c = bCell(v, n, l, f);
          const s = slowdown(base, c.latency.mean);
          if (f === ww.checkFrames) slow[v][n][String(l)] = s;
          const gap = v === 'V1' ? pct(reduction(c.latency.mean, bCell('V4', n, l, f).latency.mean)) : '';
          bRows.push([v, n, pct(l), occupiedCores(l, nodeCores(n)), f, ...latencyCols(c), pct(s), gap]);
        }
      }
    }
  }
  tables.push(table('B (E3, custom): whole workflow on one node × CPU pressure (latency s; slowdown % vs 0 %; V1→V4 gap % at that level)', ['version', 'node', 'CPU %', 'occupied cores', 'frames', 'mean', 'p50', 'p95', 'true mean', 'slowdown %', 'V1→V4 gap %'], bRows));
  metrics.wholeWorkflowSlowdown = slow;

  // ---- C: per-function sensitivity on one node ----
  const pf = b.perFunction;
  const cRows: (string | number)[][] = [];
  const c0 = perInvocation(runner.cell({ version: 'V1', engine: 'custom', placement: pf.node, frames: pf.frames }, `C V1 ${pf.node} 0% ${pf.frames}f`));
  const maxDeg: Record<string, number> = {};
  for (const l of pf.levels) {
    const c = perInvocation(runner.cell({ version: 'V1', engine: 'custom', placement: pf.node, frames: pf.frames, stressors: l > 0 ? [{ node: pf.node, kind: 'cpu', level: l }] : [] }, `C V1 ${pf.node} ${pct(l)}% ${pf.frames}f`));
    for (const fn of Object.keys(c0)) {
      const d = slowdown(c0[fn], c[fn]);
      maxDeg[fn] = Math.max(maxDeg[fn] ?? 0, d);
      cRows.push([fn, pct(l), r3(c[fn]), pct(d)]);
    }
  }
  tables.push(table(`C (E4, custom): per-function CPU sensitivity, V1 on ${pf.node}, ${pf.frames} frames (per-invocation execution s; degradation % vs 0 %)`, ['function', 'CPU %', 'exec per invocation', 'degradation %'], cRows));
  tables.push(table('C: maximum degradation per function (Framer, FaceDetector, the ML functions)', ['function', 'max degradation %'], Object.entries(maxDeg).map(([k, v]) => [k, pct(v)])));
  metrics.perFunctionMaxDegradation = Object.fromEntries(Object.entries(maxDeg).map(([k, v]) => [k, r3(v)]));

  // ---- D: per function and node, with and without each stressor ----
  const sm = b.stressorMatrix;
  const dRows: (string | number)[][] = [];
  for (const n of sm.nodes) {
    const base = perInvocation(runner.cell({ version: 'V1', engine: 'custom', placement: n, frames: sm.frames }, `D V1 ${n} none ${sm.frames}f`));
    for (const k of sm.kinds as StressorKind[]) {
      const c = perInvocation(runner.cell({ version: 'V1', engine: 'custom', placement: n, frames: sm.frames, stressors: [{ node: n, kind: k, level: sm.level }] }, `D V1 ${n} ${k} ${sm.frames}f`));
      for (const fn of Object.keys(base)) dRows.push([fn, n, r3(base[fn]), k, r3(c[fn]), pct(slowdown(base[fn], c[fn]))]);
    }
  }
  tables.push(table(`D: per function and node, execution per invocation without / with each stressor at ${pct(sm.level)}% (V1 all on the node, ${sm.frames} frames)`, ['function', 'node', 'none s', 'stressor', 'with s', 'slowdown %'], dRows));

  // ---- checks ----
  const checks: Check[] = [];
  checks.push(exactCheck('CT5-2 50 % → 4 cores on w01, 8 on w03, 2 on w04', occupiedCores(0.5, nodeCores('w01')) === CT5_2.w01 && occupiedCores(0.5, nodeCores('w03')) === CT5_2.w03 && occupiedCores(0.5, nodeCores('w04')) === CT5_2.w04));
  const s1 = slow.V1;
  const has = (n: string, l: number): boolean => s1[n]?.[String(l)] !== undefined;
  for (const n of ['w01', 'w02', 'w03', 'w04'] as const) {
    if (has(n, 0.8)) checks.push(absCheck(`CT5-8 slowdown 0→80 % CPU, V1 on ${n}, ${ww.checkFrames} frames`, s1[n]['0.8'], CT5_8[n], CT5_8.tol));
  }
  if (['w01', 'w02', 'w03', 'w04'].every((n) => has(n, 0.8))) {
    checks.push(exactCheck('CT5-8 w04 has the largest 80 % slowdown', ['w01', 'w02', 'w03'].every((n) => s1.w04['0.8'] > s1[n]['0.8'])));
  }
  for (const n of ['w01', 'w02', 'w03']) for (const l of [0.1, 0.5]) {
    if (has(n, l)) checks.push({ name: `CT5-9 slowdown at ${pct(l)} % CPU on ${n} ≤ 0.10 (abs)`, simulated: r3(s1[n][String(l)]), reported: CT5_9_MAX, tolerance: 0, pass: s1[n][String(l)] <= CT5_9_MAX });
  }
  if (['w01', 'w02', 'w03', 'w04'].every((n) => has(n, 0.5))) {
    checks.push(exactCheck(`CT5-10 slowdown at 50 % on w04 (${r3(s1.w04['0.5'])}) > each of w01–w03`, ['w01', 'w02', 'w03'].every((n) => s1.w04['0.5'] > s1[n]['0.5'])));
  }
  if (s1.w01 !== undefined && slow.V4.w01 !== undefined && slow.V4.w01['0.8'] !== undefined) {
    metrics.ct5_8_V4 = Object.fromEntries(Object.entries(slow.V4).map(([n, v]) => [n, r3(v['0.8'] ?? NaN)]));
  }
  return { runner, checks, tables, metrics };
}

if (getKind('workflow-interference') === undefined) {
  registerKind({
    kind: 'workflow-interference',
    description: 'study 5 E2/E3/E4: video pipeline under iBench-like CPU/L3/memory-bandwidth pressure, Tab 4.2 placements (faas-flow), whole workflow per node and per-function sensitivity (custom) (CT5-2, CT5-8…CT5-10)',
    schema: interferenceBodySchema,
    build(ctx) {
      const res = runInterference(ctx.body, ctx.seed);
      return { metrics: () => res.metrics, tables: () => res.tables, checks: () => res.checks, requests: () => res.runner.records() };
    },
  });
}
