/**
 * Reruns the calibration fit of the video-pipeline model (src/platform/workflows/video-fit.ts).
 * Slow (minutes): runs only with WORKFLOW_FIT=1; prints the best vector and its loss terms.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from 'vitest';
import { loadCellModels } from '../../src/platform/workflows/video-cells.js';
import { FIT_PARAMS, applyParams, lossOf, lossTerms, measure, nelderMead } from '../../src/platform/workflows/video-fit.js';

const X0 = (process.env.WORKFLOW_FIT_X0 ?? '0.248189,0.099878,16.1526,0.0126266,0.00910054,0.842877,0.0115998,0.247491,0.917877,0.856994,0.335673,0.854882,0.657328,0.63262,0.192615,0.113551').split(',').map(Number);

describe.skipIf(process.env.WORKFLOW_FIT !== '1')('video pipeline fit', () => {
  it('minimises the CT5 loss', () => {
    const base = loadCellModels();
    const log = process.env.WORKFLOW_FIT_LOG ?? '/tmp/workflow-fit.log';
    writeFileSync(log, `params ${FIT_PARAMS.join(',')}\n`);
    const f = (x: number[]): number => lossOf(lossTerms(measure(applyParams(base, x)), x));
    const r = nelderMead(f, X0, {
      maxEvals: Number(process.env.WORKFLOW_FIT_EVALS ?? 400), step: Number(process.env.WORKFLOW_FIT_STEP ?? 0.25),
      onImprove: (fx, x, evals) => appendFileSync(log, `${evals} ${fx.toFixed(4)} ${x.map((v) => v.toPrecision(4)).join(',')}\n`),
    });
    const terms = lossTerms(measure(applyParams(base, r.x)), r.x);
    appendFileSync(log, `best ${r.fx} ${r.x.join(',')}\n${JSON.stringify(terms, null, 1)}\n`);
    expect(Number.isFinite(r.fx)).toBe(true);
  }, 3_600_000);
});
