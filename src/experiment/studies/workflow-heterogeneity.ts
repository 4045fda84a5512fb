/**
 * Study 5 node heterogeneity (Giagkos 2022 §4.6.1–4.6.2, Figs 4.10–4.15, 4.17): E2 without
 * pressure, E3 at 0 % and E5.
 *  A (faas-flow): the Tab 4.2 placements × sizes, no pressure.
 *  B (custom): V1 and V4 whole-workflow on each node × sizes; V1→V4 gap per node and size.
 *  C (custom): each V1 function on each node × sizes: per-invocation execution time and its
 *    variation across nodes, (max − min)/max and (max − min)/min.
 * Checks CT5-5, CT5-6, CT5-7, CT5-11. Scenario kind `workflow-heterogeneity`.
 */
import { z } from 'zod';
import { getKind, registerKind, type Check, type JsonValue, type Table } from '../../scenario/registry.js';
import { CT5_6, CT5_7_SLACK, TAB_4_2, ratioMinusOne, reduction } from '../../platform/workflows/video-targets.js';
import { CellRunner, absCheck, assumptions, commonFields, exactCheck, latencyCols, modelsFrom, pct, r3, table } from './workflow-common.js';
import { perInvocation } from './workflow-interference.js';

export const heterogeneityBodySchema = z.strictObject({
  ...commonFields,
  nodes: z.array(z.string()).default(['w01', 'w02', 'w03', 'w04']),
  faasFlow: z.strictObject({
    configurations: z.array(z.string()).default(Object.keys(TAB_4_2)),
    sizes: z.array(z.number().int().min(1)).default([16, 32, 65]),
  }).default({ configurations: Object.keys(TAB_4_2), sizes: [16, 32, 65] }),
});
type Body = z.output<typeof heterogeneityBodySchema>;

interface Result {
  runner: CellRunner;
  checks: Check[];
  tables: Table[];
  metrics: { [key: string]: JsonValue };
}

export function runHeterogeneity(b: Body, seed: number): Result {
  const models = modelsFrom(b);
  const runner = new CellRunner(models, seed, b.runs);
  const tables: Table[] = [];
  const metrics: { [key: string]: JsonValue } = { assumptions: assumptions(models) };

  // A: faas-flow Tab 4.2 without pressure
  const aRows: (string | number)[][] = [];
  for (const cfg of b.faasFlow.configurations) {
    const t = TAB_4_2[cfg];
    if (t === undefined) throw new RangeError(`workflow-heterogeneity: faasFlow.configurations: expected one of ${Object.keys(TAB_4_2).join(', ')}, found "${cfg}"`);
    for (const f of b.faasFlow.sizes) {
      const c = runner.cell({ version: t.version, engine: 'faas-flow', placement: t.placement, frames: f }, `A ${cfg} ${f}f`);
      aRows.push([cfg, f, ...latencyCols(c)]);
    }
  }
  tables.push(table('A (E2 no pressure, faas-flow): Tab 4.2 configurations (latency s)', ['configuration', 'frames', 'mean', 'p50', 'p95', 'true mean'], aRows));

  // B: V1, V4 per node and size
  const T: Record<string, Record<string, Record<number, number>>> = { V1: {}, V4: {} };
  const bRows: (string | number)[][] = [];
  const gaps: Record<string, Record<number, number>> = {};
  for (const n of b.nodes) {
    gaps[n] = {};
    for (const v of ['V1', 'V4'] as const) T[v][n] = {};
    for (const f of b.sizes) {
      for (const v of ['V1', 'V4'] as const) T[v][n][f] = runner.cell({ version: v, engine: 'custom', placement: n, frames: f }, `B ${v} ${n} ${f}f`).latency.mean;
      gaps[n][f] = reduction(T.V1[n][f], T.V4[n][f]);
      bRows.push([n, f, r3(T.V1[n][f]), r3(T.V4[n][f]), pct(gaps[n][f]), pct(ratioMinusOne(T.V1[n][f], T.V4[n][f]))]);
    }
  }
  tables.push(table('B (E3 at 0 %, custom): whole workflow per node (mean latency s) and V1→V4 gap', ['node', 'frames', 'V1', 'V4', 'gap % (old−new)/old', 'V1/V4 − 1 %'], bRows));
  metrics.latency = T;
  metrics.gaps = Object.fromEntries(Object.entries(gaps).map(([n, g]) => [n, Object.fromEntries(Object.entries(g).map(([f, v]) => [f, r3(v)]))]));

  // C: per function per node
  const per: Record<string, Record<number, Record<string, number>>> = {};
  const stageSum: Record<string, Record<number, Record<string, number>>> = {};
  for (const n of b.nodes) {
    per[n] = {};
    stageSum[n] = {};
    for (const f of b.sizes) {
      const c = runner.cell({ version: 'V1', engine: 'custom', placement: n, frames: f }, `B V1 ${n} ${f}f`);
      per[n][f] = perInvocation(c);
      stageSum[n][f] = { ...c.perFunction };
    }
  }
  const fns = Object.keys(per[b.nodes[0]][b.sizes[0]]);
  const cRows: (string | number)[][] = [];
  const variation: { [key: string]: JsonValue } = {};
  for (const fn of fns) for (const f of b.sizes) {
    const xs = b.nodes.map((n) => per[n][f][fn]);
    const mx = Math.max(...xs);
    const mn = Math.min(...xs);
    cRows.push([fn, f, ...xs.map(r3), pct((mx - mn) / mx), pct((mx - mn) / mn), ...b.nodes.map((n) => r3(stageSum[n][f][fn]))]);
    variation[`${fn} ${f}`] = { maxMinOverMax: r3((mx - mn) / mx), maxMinOverMin: r3((mx - mn) / mn) };
  }
  tables.push(table('C (E5, custom): per-invocation execution per function and node (s), variation across nodes, and Σ per run (stage sums, s)', ['function', 'frames', ...b.nodes, '(max−min)/max %', '(max−min)/min %', ...b.nodes.map((n) => `Σ ${n}`)], cRows));
  metrics.perFunctionVariation = variation;

  // checks
  const checks: Check[] = [];
  const ordered = ['w01', 'w02', 'w03', 'w04'].filter((n) => b.nodes.includes(n));
  if (ordered.length === 4) {
    const rank = (v: 'V1' | 'V4'): boolean => b.sizes.every((f) => T[v].w01[f] < T[v].w02[f] && T[v].w02[f] < T[v].w03[f] && T[v].w03[f] < T[v].w04[f]);
    checks.push(exactCheck('CT5-5 node ranking w01 < w02 < w03 < w04, V1, every size', rank('V1')));
    checks.push(exactCheck('CT5-5 node ranking w01 < w02 < w03 < w04, V4, every size', rank('V4')));
  }
  if (b.sizes.includes(65)) {
    for (const n of ordered) checks.push(absCheck(`CT5-6 V1→V4 gap at 65 frames on ${n}`, gaps[n][65], CT5_6[n as 'w01'], CT5_6.tol));
    if (ordered.length === 4) checks.push(exactCheck('CT5-6 gap strictly decreasing w01 → w04', gaps.w01[65] > gaps.w02[65] && gaps.w02[65] > gaps.w03[65] && gaps.w03[65] > gaps.w04[65]));
    checks.push(exactCheck(`CT5-7 the 65-frame gap is the largest of the sizes on every node (${pct(CT5_7_SLACK)} pp slack)`, ordered.every((n) => b.sizes.every((f) => gaps[n][f] <= gaps[n][65] + CT5_7_SLACK))));
  }
  checks.push(exactCheck('CT5-11 Framer has the largest per-invocation execution time in V1, every node and size', b.nodes.every((n) => b.sizes.every((f) => fns.every((fn) => fn === 'framer' || per[n][f].framer > per[n][f][fn])))));
  metrics.ct5_11_stageSums_framerLargest = b.nodes.every((n) => b.sizes.every((f) => fns.every((fn) => fn === 'framer' || stageSum[n][f].framer > stageSum[n][f][fn])));
  return { runner, checks, tables, metrics };
}

if (getKind('workflow-heterogeneity') === undefined) {
  registerKind({
    kind: 'workflow-heterogeneity',
    description: 'study 5 E2 (no pressure), E3 at 0 %, E5: video pipeline across the heterogeneous workers w01–w04 (CT5-5, CT5-6, CT5-7, CT5-11)',
    schema: heterogeneityBodySchema,
    build(ctx) {
      const res = runHeterogeneity(ctx.body, ctx.seed);
      return { metrics: () => res.metrics, tables: () => res.tables, checks: () => res.checks, requests: () => res.runner.records() };
    },
  });
}
