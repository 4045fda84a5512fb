import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, gammaP, gammaQ, kolmogorovSurvival, lnGamma } from '../../src/monitor/drift/special-functions.js';

describe('special functions', () => {
  it('lnGamma matches factorials and Γ(1/2) = √π', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(11)).toBeCloseTo(Math.log(3628800), 11);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(lnGamma(0.25)).toBeCloseTo(Math.log(3.625609908221908), 12);
  });

  it('P(1, x) = 1 − e^{−x} and P + Q = 1', () => {
    for (const x of [0.01, 0.5, 1, 3, 10, 40]) {
      expect(gammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 13);
      expect(gammaP(2.7, x) + gammaQ(2.7, x)).toBeCloseTo(1, 13);
    }
  });

  it('chi-square survival: df = 2 is e^{−x/2}; published 5% critical values', () => {
    for (const x of [0.3, 2, 5.991464547107979, 12]) expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
    // Upper 5% points of χ² (standard tables): df 1, 3, 5, 10.
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 10);
    expect(chiSquareSurvival(7.815, 3)).toBeCloseTo(0.05, 4);
    expect(chiSquareSurvival(11.070, 5)).toBeCloseTo(0.05, 4);
    expect(chiSquareSurvival(18.307, 10)).toBeCloseTo(0.05, 4);
    // Upper 1% point, df 4.
    expect(chiSquareSurvival(13.277, 4)).toBeCloseTo(0.01, 4);
  });

  it('Kolmogorov survival: published values of the Kolmogorov distribution', () => {
    // K(λ) = 1 − Q_KS(λ): K(0.5) = 0.036055, K(1) = 0.730000, K(1.5) = 0.977782.
    expect(kolmogorovSurvival(0.5)).toBeCloseTo(1 - 0.036055, 5);
    expect(kolmogorovSurvival(1)).toBeCloseTo(1 - 0.73, 5);
    expect(kolmogorovSurvival(1.5)).toBeCloseTo(1 - 0.977782, 5);
    // c(0.05) = 1.358 and c(0.01) = 1.628 (platform-semantics.md g.1).
    expect(kolmogorovSurvival(1.358)).toBeCloseTo(0.05, 3);
    expect(kolmogorovSurvival(1.628)).toBeCloseTo(0.01, 3);
    // The two series agree where they switch.
    expect(kolmogorovSurvival(1.1799999)).toBeCloseTo(kolmogorovSurvival(1.18), 6);
    expect(kolmogorovSurvival(0)).toBe(1);
  });
});
