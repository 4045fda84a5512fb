import { describe, expect, it } from 'vitest';
import { Simulation, simulationTotals } from '../../src/core/simulation.js';
import { runScenario } from '../../src/experiment/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import '../../src/experiment/studies/index.js';

describe('cost accounting across simulations', () => {
  it('counts the events and simulated time of every simulation of the thread', () => {
    const e0 = simulationTotals.events;
    const t0 = simulationTotals.simulatedUs;
    for (const horizon of [1_000, 5_000]) {
      const sim = new Simulation({ seed: 1 });
      for (let i = 1; i <= 10; i++) sim.schedule(i * 10, () => undefined, undefined);
      sim.run(horizon);
    }
    const one = new Simulation();
    one.schedule(7, () => undefined, undefined);
    one.step();
    expect(simulationTotals.events - e0).toBe(21);
    expect(simulationTotals.simulatedUs - t0).toBe(6_007);
  });

  it('a study that runs one simulation per configuration reports all of their work', () => {
    const r = runScenario(loadScenario('experiments/serving-platforms.yaml'));
    // each platform and phase runs in its own simulation; the runner's own one holds 1 s and no event
    expect(r.eventsProcessed).toBeGreaterThan(1_000);
    expect(r.simulatedUsTotal).toBeGreaterThan(r.until);
  });
});
