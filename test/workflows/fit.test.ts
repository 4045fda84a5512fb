/**
 * Reruns the calibration fit of the video-pipeline model (src/platform/workflows/video-fit.ts).
 * Slow (minutes): runs only with WORKFLOW_FIT=1; prints the best vector and its loss terms.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from 'vitest';
import { loadCellModels } from '../../src/platform/workflows/video-cells.js';
import { FIT_PARAMS, applyParams, lossOf, lossTerms, measure, nelderMead } from '../../src/platform/workflows/video-fit.js';

const X0 = (process.env.WORKFLOW_FIT_X0 ?? '0.24701,0.100363,16.1455,0.0128395,0.00921699,0.84344,0.0115749,0.247446,0.916525,0.849932,0.335903,0.894199,0.720993,0.688732,0.192991,0.114597').split(',').map(Number);

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
