/**
 * Study 5 E1 / E1c (Giagkos 2022 §4.4, Figs 4.8–4.9): end-to-end latency of the video pipeline's
 * granularity versions V1–V4 over input sizes, all functions on one node (w01), no pressure; the
 * faas-flow engine (V1–V4) and the custom engine (V1, V4 checked; V2, V3 reported only).
 * Checks CT5-1, CT5-3, CT5-4, CT5-19. Scenario kind `workflow-granularity`
 * (experiments/workflow-granularity.yaml).
 */
import { z } from 'zod';
import { getKind, registerKind, type Check, type JsonValue, type Table } from '../../scenario/registry.js';
import type { CellResult } from '../../platform/workflows/video-cells.js';
import { VERSIONS, type VideoVersion } from '../../platform/workflows/video-model.js';
import { CT5_19_MAX, CT5_4, ratioMinusOne, reduction } from '../../platform/workflows/video-targets.js';
import {
  CellRunner, absCheck, assumptions, bandCheck, commonFields, ct5_1, ct5_3, exactCheck, latencyCols, modelsFrom, pct, r3, table,
} from './workflow-common.js';

const version = z.enum(VERSIONS);

export const granularityBodySchema = z.strictObject({
  ...commonFields,
  node: z.string().default('w01'),
  faasFlow: z.strictObject({ versions: z.array(version).default([...VERSIONS]), perItemParallel: z.boolean().optional() }).default({ versions: [...VERSIONS] }),
  custom: z.strictObject({ versions: z.array(version).default(['V1', 'V4']), reportedOnly: z.array(version).default(['V2', 'V3']) }).default({ versions: ['V1', 'V4'], reportedOnly: ['V2', 'V3'] }),
});
type Body = z.output<typeof granularityBodySchema>;

interface Result {
  runner: CellRunner;
  cells: { engine: string; version: VideoVersion; frames: number; cell: CellResult }[];
  checks: Check[];
  tables: Table[];
  metrics: { [key: string]: JsonValue };
}

/** Run the experiment (pure entry point). */
export function runGranularity(b: Body, seed: number): Result {
  const models = modelsFrom(b);
  const runner = new CellRunner(models, seed, b.runs);
  const cells: Result['cells'] = [];
  const get = (engine: 'faas-flow' | 'custom', v: VideoVersion, f: number): CellResult => {
    const found = cells.find((c) => c.engine === engine && c.version === v && c.frames === f);
    if (found !== undefined) return found.cell;
    const cell = runner.cell({ version: v, engine, placement: b.node, frames: f, perItemParallel: engine === 'faas-flow' ? b.faasFlow.perItemParallel : undefined }, `${engine} ${v} ${f}f`);
    cells.push({ engine, version: v, frames: f, cell });
    return cell;
  };
  for (const v of b.faasFlow.versions) for (const f of b.sizes) get('faas-flow', v, f);
  for (const v of [...b.custom.versions, ...b.custom.reportedOnly]) for (const f of b.sizes) get('custom', v, f);

  const rows = cells.map((c) => [
    c.engine, c.version, c.frames, ...latencyCols(c.cell),
    Object.entries(c.cell.perFunction).map(([k, v]) => `${k} ${r3(v)}`).join(', '),
    Object.entries(c.cell.invocations).map(([k, v]) => `${k} ${v}`).join(', '),
    Math.round(c.cell.bytesRead), Math.round(c.cell.bytesWritten),
  ]);
  const gapRows: (string | number)[][] = [];
  const gaps: { [key: string]: JsonValue } = {};
  for (const engine of ['faas-flow', 'custom'] as const) {
    for (const f of b.sizes) {
      const has = (v: VideoVersion): boolean => cells.some((c) => c.engine === engine && c.version === v && c.frames === f);
      if (has('V1') && has('V4')) {
        const t1 = get(engine, 'V1', f).latency.mean;
        const t4 = get(engine, 'V4', f).latency.mean;
        gapRows.push([engine, f, 'V1→V4', pct(reduction(t1, t4)), pct(ratioMinusOne(t1, t4))]);
        gaps[`${engine} V1→V4 ${f}`] = { reduction: r3(reduction(t1, t4)), ratioMinusOne: r3(ratioMinusOne(t1, t4)) };
      }
      if (has('V1') && has('V2')) {
        const t1 = get(engine, 'V1', f).latency.mean;
        const t2 = get(engine, 'V2', f).latency.mean;
        gapRows.push([engine, f, 'V2 vs V1 ((T_V2−T_V1)/T_V2 ; T_V2/T_V1−1)', pct(reduction(t2, t1)), pct(ratioMinusOne(t2, t1))]);
      }
      const vs = VERSIONS.filter(has);
      for (let i = 0; i < vs.length; i++) for (let j = i + 1; j < vs.length; j++) {
        gapRows.push([engine, f, `${vs[i]} − ${vs[j]} (s)`, r3(get(engine, vs[i], f).latency.mean - get(engine, vs[j], f).latency.mean), '']);
      }
    }
  }
  const checks: Check[] = [ct5_1(models), ct5_3(models)];
  if (b.custom.versions.includes('V1') && b.custom.versions.includes('V4') && b.sizes.includes(65)) {
    const g = reduction(get('custom', 'V1', 65).latency.mean, get('custom', 'V4', 65).latency.mean);
    checks.push(bandCheck(`CT5-4 V1→V4 gap, custom engine, ${b.node}, 65 frames`, g, CT5_4.value, CT5_4.lo, CT5_4.hi));
  }
  const err = runner.maxReportError();
  checks.push(absCheck('CT5-19 max |reported − true| latency, s (≤ 0.4)', err, 0.2, 0.2));
  checks.push(exactCheck('CT5-19 reported ≥ true for every run', runner.order.every((c) => c.runs.every((r) => r.latency >= r.trueLatency - 1e-9 && r.latency - r.trueLatency <= CT5_19_MAX))));
  const tables = [
    table(`E1/E1c latency per engine, version and size on ${b.node} (s; ${b.runs} runs)`, ['engine', 'version', 'frames', 'mean', 'p50', 'p95', 'true mean', 'Σ exec per function (s)', 'invocations', 'MinIO bytes read', 'MinIO bytes written'], rows),
    table('Gaps (%: (old−new)/old ; ratio−1) and pairwise differences', ['engine', 'frames', 'quantity', 'value', 'ratio−1 %'], gapRows),
  ];
  const metrics: { [key: string]: JsonValue } = {
    cells: cells.map((c) => ({
      engine: c.engine, version: c.version, frames: c.frames, mean_s: r3(c.cell.latency.mean), p50_s: r3(c.cell.latency.p50), p95_s: r3(c.cell.latency.p95),
      trueMean_s: r3(c.cell.trueLatency.mean), perFunctionExec_s: Object.fromEntries(Object.entries(c.cell.perFunction).map(([k, v]) => [k, r3(v)])),
      invocations: { ...c.cell.invocations }, minioBytesRead: c.cell.bytesRead, minioBytesWritten: c.cell.bytesWritten,
    })),
    gaps,
    maxReportError_s: r3(err),
    assumptions: assumptions(models),
  };
  return { runner, cells, checks, tables, metrics };
}

if (getKind('workflow-granularity') === undefined) {
  registerKind({
    kind: 'workflow-granularity',
    description: 'study 5 E1/E1c: video pipeline V1–V4 granularity × input size on one node, faas-flow and custom engines (CT5-1, CT5-3, CT5-4, CT5-19)',
    schema: granularityBodySchema,
    build(ctx) {
      const res = runGranularity(ctx.body, ctx.seed);
      return { metrics: () => res.metrics, tables: () => res.tables, checks: () => res.checks, requests: () => res.runner.records() };
    },
  });
}
