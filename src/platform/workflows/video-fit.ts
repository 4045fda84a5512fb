/**
 * The calibration of the video-pipeline model to study 5's targets (CT5-4…CT5-15): a parameter
 * vector (per-function CPU work, the node-independent invocation overhead, the engine's CLI
 * overhead, per-class node speeds of w02–w04 relative to w01), a loss over simulated cells (each
 * term = (simulated − reported)/tolerance, hinge terms for the inequality targets), and a
 * Nelder–Mead minimiser. Cells are noise-free (true latency, seed 1, one run) so the loss is smooth.
 * The fitted values are written by hand into models/workflows/video-pipeline.yaml and
 * models/nodes/drl-w0*.yaml with their provenance; `test/workflows/fit.test.ts` (WORKFLOW_FIT=1)
 * reruns the fit.
 */
import type { NodeProfile } from '../../cluster/node-profile.js';
import { runCell, type CellModels } from './video-cells.js';
import { CT5_12, CT5_13, CT5_15, CT5_6, CT5_8, E6_PLACEMENTS, QOS_STRICT, e6Placement, reduction, slowdown } from './video-targets.js';
import type { VideoPipelineModel } from './video-model.js';

/** Names of the fitted parameters, in vector order. */
export const FIT_PARAMS = [
  'platform.invocationOverhead', 'engines.custom.cliOverhead',
  'framer.startup.perCall', 'framer.decode.perItem',
  'facedetector.startup.perCall', 'facedetector.detect.perItem',
  'faceanalyzer.startup.perCall', 'faceanalyzer.infer.perItem',
  'w02.speed.default', 'w03.speed.default', 'w04.speed.default',
  'w02.speed.vector', 'w03.speed.vector', 'w04.speed.vector',
  'faceanalyzer.prepare.perItem',
  'vector.serialFraction',
] as const;

/** Multithreaded phases that share the fitted Amdahl serial fraction (study 5 modelling note 1). */
export const PARALLEL_PHASES: readonly (readonly [keyof VideoPipelineModel['functions'], string])[] = [
  ['framer', 'decode'], ['facedetector', 'detect'], ['faceanalyzer', 'infer'], ['mobilenet', 'infer'],
];

/** Fixed ratios of the tied parameters (assumptions): Mobilenet (ResNet50) vs FaceAnalyzer. */
export const MOBILENET_STARTUP_RATIO = 1.3;
export const MOBILENET_INFER_RATIO = 2;

function setPhase(m: VideoPipelineModel, fn: keyof VideoPipelineModel['functions'], phase: string, field: 'perCall' | 'perItem' | 'serialFraction', v: number): void {
  const p = m.functions[fn].phases.find((x) => x.name === phase);
  if (p === undefined) throw new Error(`fit: function ${fn} has no phase "${phase}"`);
  p[field] = v;
}

function withSpeed(p: NodeProfile, def: number, ml: number, decode: number): NodeProfile {
  return { ...p, speed: { default: def, classes: { ...p.speed.classes, 'ml-inference': ml, 'video-decode': decode } } };
}

/**
 * Apply a parameter vector to copies of the models. The two vectorised classes (video-decode:
 * OpenCV; ml-inference: TensorFlow) share one `vector` speed per node; interpreter work runs at
 * the default speed.
 */
export function applyParams(base: CellModels, x: readonly number[]): CellModels {
  const m: VideoPipelineModel = structuredClone(base.model);
  m.platform.invocationOverhead = x[0];
  m.engines.custom.cliOverhead = x[1];
  setPhase(m, 'framer', 'startup', 'perCall', x[2]);
  setPhase(m, 'framer', 'decode', 'perItem', x[3]);
  setPhase(m, 'facedetector', 'startup', 'perCall', x[4]);
  setPhase(m, 'facedetector', 'detect', 'perItem', x[5]);
  setPhase(m, 'faceanalyzer', 'startup', 'perCall', x[6]);
  setPhase(m, 'faceanalyzer', 'infer', 'perItem', x[7]);
  setPhase(m, 'mobilenet', 'startup', 'perCall', x[6] * MOBILENET_STARTUP_RATIO);
  setPhase(m, 'mobilenet', 'infer', 'perItem', x[7] * MOBILENET_INFER_RATIO);
  setPhase(m, 'faceanalyzer', 'prepare', 'perItem', x[14]);
  setPhase(m, 'mobilenet', 'prepare', 'perItem', x[14]);
  // the serial fraction is fitted on a logit-free log scale: σ = x / (1 + x) keeps it in [0, 1)
  const sigma = x.length > 15 ? x[15] / (1 + x[15]) : 0;
  for (const [fn, ph] of PARALLEL_PHASES) setPhase(m, fn, ph, 'serialFraction', sigma);
  const w = base.workers;
  const workers = [
    withSpeed(w[0], 1, 1, 1),
    withSpeed(w[1], x[8], x[11], x[11]),
    withSpeed(w[2], x[9], x[12], x[12]),
    withSpeed(w[3], x[10], x[13], x[13]),
  ];
  return { ...base, model: m, workers };
}

/** Every simulated quantity the loss uses. */
export interface FitMeasures {
  /** V1 / V4 true latency per node and size, s. */
  v1: Record<string, Record<number, number>>;
  v4: Record<string, Record<number, number>>;
  /** V1 at 65 frames under CPU pressure level per node. */
  pressure: Record<string, Record<string, number>>;
  /** E6: latency per placement, size and queue-workers. */
  qw: Record<string, Record<number, Record<number, number>>>;
}

export interface FitConfig {
  sizes: readonly number[];
  levels: readonly number[];
  qwSizes: readonly number[];
  qwCounts: readonly number[];
}

export const FIT_CONFIG: FitConfig = { sizes: [7, 32, 65], levels: [0.5, 0.8], qwSizes: [7, 65], qwCounts: [1, 16] };

/** Simulate the fit's cells. */
export function measure(models: CellModels, cfg: FitConfig = FIT_CONFIG): FitMeasures {
  const one = (spec: Parameters<typeof runCell>[1]): number => runCell(models, spec).trueLatency.mean;
  const nodes = ['w01', 'w02', 'w03', 'w04'];
  const v1: FitMeasures['v1'] = {};
  const v4: FitMeasures['v4'] = {};
  const pressure: FitMeasures['pressure'] = {};
  for (const n of nodes) {
    v1[n] = {};
    v4[n] = {};
    pressure[n] = {};
    for (const f of cfg.sizes) {
      v1[n][f] = one({ version: 'V1', engine: 'custom', placement: n, frames: f, runs: 1, seed: 1 });
      v4[n][f] = one({ version: 'V4', engine: 'custom', placement: n, frames: f, runs: 1, seed: 1 });
    }
    for (const l of cfg.levels) pressure[n][String(l)] = one({ version: 'V1', engine: 'custom', placement: n, frames: 65, runs: 1, seed: 1, stressors: [{ node: n, kind: 'cpu', level: l }] });
  }
  const qw: FitMeasures['qw'] = {};
  for (const p of Object.keys(E6_PLACEMENTS)) {
    qw[p] = {};
    for (const f of cfg.qwSizes) {
      qw[p][f] = {};
      for (const q of cfg.qwCounts) qw[p][f][q] = one({ version: 'V1', engine: 'custom', placement: e6Placement(p), frames: f, runs: 1, seed: 1, queueWorkers: q });
    }
  }
  return { v1, v4, pressure, qw };
}

const hinge = (x: number): number => (x > 0 ? x : 0);

/** Loss terms by name (each already divided by its tolerance). */
export function lossTerms(m: FitMeasures, x: readonly number[]): Record<string, number> {
  const t: Record<string, number> = {};
  const nodes = ['w01', 'w02', 'w03', 'w04'] as const;
  for (const n of nodes) {
    const target = n === 'w01' ? (0.465 + CT5_6.w01) / 2 : CT5_6[n];
    t[`gap65 ${n}`] = (reduction(m.v1[n][65], m.v4[n][65]) - target) / CT5_6.tol;
    t[`slow80 ${n}`] = (slowdown(m.v1[n][65], m.pressure[n]['0.8']) - CT5_8[n]) / CT5_8.tol;
    if (n !== 'w04') t[`slow50 ${n}`] = hinge(slowdown(m.v1[n][65], m.pressure[n]['0.5']) - 0.08) / 0.02;
    for (const f of [7, 32]) t[`gap peak ${n} ${f}`] = hinge(reduction(m.v1[n][f], m.v4[n][f]) - reduction(m.v1[n][65], m.v4[n][65])) / 0.02;
  }
  const s50w04 = slowdown(m.v1.w04[65], m.pressure.w04['0.5']);
  for (const n of ['w01', 'w02', 'w03']) t[`w04 50 > ${n}`] = hinge(slowdown(m.v1[n][65], m.pressure[n]['0.5']) + 0.02 - s50w04) / 0.02;
  for (const f of [7, 65]) for (let i = 0; i < 3; i++) {
    const a = nodes[i];
    const b = nodes[i + 1];
    t[`rank V1 ${a}<${b} ${f}`] = hinge(m.v1[a][f] * 1.02 - m.v1[b][f]) / (0.01 * m.v1[a][f]);
    t[`rank V4 ${a}<${b} ${f}`] = hinge(m.v4[a][f] * 1.02 - m.v4[b][f]) / (0.01 * m.v4[a][f]);
  }
  const S: Record<string, Record<number, number>> = {};
  for (const p of Object.keys(m.qw)) {
    S[p] = {};
    for (const f of Object.keys(m.qw[p]).map(Number)) S[p][f] = reduction(m.qw[p][f][1], m.qw[p][f][16]);
  }
  t['qw max'] = (S.davinci[65] - CT5_12.value) / CT5_12.tol;
  t['qw min'] = (S['davinci-liono-coroni'][7] - CT5_13.value) / CT5_13.tol;
  for (const p of Object.keys(S)) for (const f of Object.keys(S[p]).map(Number)) {
    if (!(p === 'davinci' && f === 65)) t[`qw argmax ${p} ${f}`] = hinge(S[p][f] + 0.01 - S.davinci[65]) / 0.02;
    if (!(p === 'davinci-liono-coroni' && f === 7)) t[`qw argmin ${p} ${f}`] = hinge(S['davinci-liono-coroni'][7] + 0.01 - S[p][f]) / 0.02;
  }
  let g1 = -Infinity;
  let g16 = -Infinity;
  for (const p of Object.keys(m.qw)) {
    g1 = Math.max(g1, m.qw[p][65][1] - m.qw[p][7][1]);
    g16 = Math.max(g16, m.qw[p][65][16] - m.qw[p][7][16]);
  }
  t['gap65-7 qw1'] = (g1 - CT5_15.qw1) / (CT5_15.tol * CT5_15.qw1);
  t['gap65-7 qw16'] = (g16 - CT5_15.qw16) / (CT5_15.tol * CT5_15.qw16);
  // CT5-17 at the DRL's 1 queue-worker: some configuration ≤ 26 s reported (true + up to 0.4 s of
  // polling); the E6 placements at 7 frames are a subset of the 64-placement sweep, so this is conservative
  let best7 = Infinity;
  for (const p of Object.keys(m.qw)) best7 = Math.min(best7, m.qw[p][7][1]);
  t['CT5-17 1QW 7f'] = hinge(best7 - (QOS_STRICT - 0.5)) / 0.5;
  // physical priors: per-core speeds ordered w01 ≥ w02 ≥ w03 ≥ w04 in every class (modelling note 1:
  // w04's per-core factor must be the lowest; its 4 cores alone do not explain its slowness)
  for (const [a, b, name] of [[1, x[8], 'w02 def'], [x[8], x[9], 'w03 def'], [x[9], x[10], 'w04 def'], [1, x[11], 'w02 vec'], [x[11], x[12], 'w03 vec'], [x[12], x[13], 'w04 vec']] as const) {
    t[`speed order ${name}`] = hinge(b - a) / 0.02;
  }
  return t;
}

/**
 * Σ of squared terms, plus a steep wall at the tolerance: each term beyond BAND_EDGE (in units of
 * its tolerance) adds BAND_WEIGHT·(|term| − BAND_EDGE)². A term is a band (the spec's tolerance),
 * not a point: the plain sum of squares trades two terms just outside their bands for others deep
 * inside theirs; the wall makes "inside every band" the cheaper solution when one exists.
 */
export function lossOf(terms: Record<string, number>): number {
  let s = 0;
  for (const [k, v] of Object.entries(terms)) {
    const out = Math.abs(v) - BAND_EDGE;
    s += v * v + (out > 0 && !UNWALLED.test(k) ? BAND_WEIGHT * out * out : 0);
  }
  return s;
}

/**
 * Terms without the wall: the argmax / argmin cells of CT5-12/13 (ordering hinges with a 2 pp
 * scale, not value bands) and the speed-order priors. They keep their plain squares.
 */
const UNWALLED = /^(qw argm|speed order)/;

/** Where the wall of `lossOf` starts (fraction of the tolerance) and how steep it is. */
export const BAND_EDGE = 0.85;
export const BAND_WEIGHT = 25;

/** Nelder–Mead on log-parameters (all parameters are positive). */
export function nelderMead(f: (x: number[]) => number, x0: readonly number[], opts: { maxEvals: number; step: number; onImprove?: (fx: number, x: number[], evals: number) => void }): { x: number[]; fx: number; evals: number } {
  const n = x0.length;
  const toX = (u: number[]): number[] => u.map(Math.exp);
  const F = (u: number[]): number => f(toX(u));
  let simplex: number[][] = [x0.map(Math.log)];
  for (let i = 0; i < n; i++) {
    const u = x0.map(Math.log);
    u[i] += opts.step;
    simplex.push(u);
  }
  let vals = simplex.map(F);
  let evals = n + 1;
  let best = Infinity;
  while (evals < opts.maxEvals) {
    const idx = vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b]);
    simplex = idx.map((i) => simplex[i]);
    vals = idx.map((i) => vals[i]);
    if (vals[0] < best) {
      best = vals[0];
      opts.onImprove?.(best, toX(simplex[0]), evals);
    }
    const c = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[j] += simplex[i][j] / n;
    const w = simplex[n];
    const pt = (a: number): number[] => c.map((cj, j) => cj + a * (w[j] - cj));
    const xr = pt(-1);
    const fr = F(xr);
    evals++;
    if (fr < vals[0]) {
      const xe = pt(-2);
      const fe = F(xe);
      evals++;
      if (fe < fr) { simplex[n] = xe; vals[n] = fe; } else { simplex[n] = xr; vals[n] = fr; }
    } else if (fr < vals[n - 1]) {
      simplex[n] = xr;
      vals[n] = fr;
    } else {
      const xc = fr < vals[n] ? pt(-0.5) : pt(0.5);
      const fc = F(xc);
      evals++;
      if (fc < Math.min(fr, vals[n])) {
        simplex[n] = xc;
        vals[n] = fc;
      } else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i].map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j]));
          vals[i] = F(simplex[i]);
          evals++;
        }
      }
    }
  }
  const i0 = vals.indexOf(Math.min(...vals));
  return { x: toX(simplex[i0]), fx: vals[i0], evals };
}
