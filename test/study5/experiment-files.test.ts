/** The four study-5 workflow experiment files load and validate against their kinds. */
import { describe, expect, it } from 'vitest';
import '../../src/experiment/studies/index.js';
import { loadScenario } from '../../src/scenario/load.js';
import { modelPath } from '../../src/platform/workflows/model-files.js';

describe('experiments/workflow-*.yaml', () => {
  for (const f of ['granularity', 'interference', 'heterogeneity', 'queue-workers']) {
    it(`workflow-${f}.yaml validates`, () => {
      const s = loadScenario(modelPath(`experiments/workflow-${f}.yaml`));
      expect(s.header.kind).toBe(`workflow-${f}`);
      expect((s.body as { runs: number }).runs).toBe(10);
    });
  }
});
