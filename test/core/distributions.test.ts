import { describe, expect, it } from 'vitest';
import {
  DistributionError,
  Z95,
  Z99,
  erfc,
  gammaFunction,
  lnGamma,
  lognormalFromMeanP95,
  makeDistribution,
  normalCdf,
  normalQuantile,
  type Distribution,
} from '../../src/core/distributions.js';
import { RandomStreams } from '../../src/core/random.js';

const N = 200_000;

/** Draw n samples from `d` on a fixed stream and return sample mean, variance and 4th central moment. */
function sampleMoments(d: Distribution, name: string, n = N): { mean: number; variance: number; m4: number; xs: Float64Array } {
  const rng = new RandomStreams(20240601).stream(name);
  const xs = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    xs[i] = d.sample(rng);
    s += xs[i];
  }
  const mean = s / n;
  let s2 = 0, s4 = 0;
  for (let i = 0; i < n; i++) {
    const e = xs[i] - mean;
    s2 += e * e;
    s4 += e * e * e * e;
  }
  return { mean, variance: s2 / (n - 1), m4: s4 / n, xs };
}

/**
 * Sample mean and variance within 5 standard errors of theory. SE(mean) = σ/√n with the
 * theoretical σ; SE(variance) ≈ √((μ₄ − σ⁴)/n) with μ₄ the sample 4th central moment
 * (the large-sample variance of the sample variance). Under the null each check fails with
 * probability ~6e-7; the seed is fixed so the outcome is deterministic.
 */
function expectMomentsMatch(d: Distribution, name: string): void {
  const m = sampleMoments(d, name);
  const seMean = Math.sqrt(d.variance / N);
  const seVar = Math.sqrt(Math.max(m.m4 - m.variance * m.variance, 0) / N);
  expect(Math.abs(m.mean - d.mean), `${name}: mean ${m.mean} vs ${d.mean} (SE ${seMean})`).toBeLessThanOrEqual(5 * seMean);
  expect(Math.abs(m.variance - d.variance), `${name}: variance ${m.variance} vs ${d.variance} (SE ${seVar})`).toBeLessThanOrEqual(5 * seVar);
  // The bound is informative: it is a small fraction of the quantity tested.
  expect(5 * seVar).toBeLessThan(0.1 * d.variance);
}

/** The fraction of samples at or below d.quantile(p) is p within 5 binomial standard errors. */
function expectQuantilesMatchSamples(d: Distribution, name: string, ps: number[]): void {
  const { xs } = sampleMoments(d, `${name}/quantiles`, 100_000);
  for (const p of ps) {
    const q = quantileOf(d)(p);
    let below = 0;
    for (let i = 0; i < xs.length; i++) if (xs[i] <= q) below++;
    const frac = below / xs.length;
    expect(Math.abs(frac - p), `${name}: P(X ≤ q(${p})) = ${frac}`).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / xs.length));
  }
}

/** d.quantile bound to d (fails the test when d has none). */
function quantileOf(d: Distribution): (p: number) => number {
  const q = d.quantile;
  if (q === undefined) throw new Error('no quantile function');
  return (p) => q.call(d, p);
}

function relClose(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected));
}

describe('special functions against mpmath (30 digits)', () => {
  it('erfc', () => {
    const table: [number, number][] = [
      [0, 1], [0.1, 0.887537083981715], [0.5, 0.4795001221869535], [1, 0.15729920705028513],
      [2, 0.004677734981047266], [2.5, 0.0004069520174449589], [3, 0.00002209049699858544],
      [4, 1.541725790028002e-8], [5, 1.537459794428035e-12], [6, 2.1519736712498913e-17],
      [10, 2.088487583762545e-45], [20, 5.395865611607901e-176],
    ];
    for (const [x, v] of table) relClose(erfc(x), v, 1e-14);
    relClose(erfc(-1), 2 - 0.15729920705028513, 1e-15);
    expect(erfc(30)).toBe(0);
  });
  it('normal quantile', () => {
    const table: [number, number][] = [
      [1e-300, -37.0470962993612], [1e-20, -9.262340089798153], [1e-10, -6.361340902404057],
      [1e-5, -4.264890793922825], [0.001, -3.0902323061678136], [0.01, -2.326347874040841],
      [0.02425, -1.9729610513118847], [0.025, -1.9599639845400543], [0.05, -1.6448536269514726],
      [0.1, -1.2815515655446004], [0.3, -0.5244005127080408], [0.5, 0], [0.7, 0.5244005127080407],
      [0.9, 1.2815515655446006], [0.95, 1.6448536269514722], [0.975, 1.9599639845400538],
      [0.99, 2.3263478740408408], [0.999, 3.090232306167813],
    ];
    for (const [p, z] of table) expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(z)));
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(Math.abs(normalQuantile(0.95) - Z95)).toBeLessThan(1e-14);
    expect(Math.abs(normalQuantile(0.99) - Z99)).toBeLessThan(1e-14);
    for (const x of [-8, -3, -0.5, 0.2, 2]) relClose(normalQuantile(normalCdf(x)), x, 1e-12);
  });
  it('gamma function', () => {
    relClose(gammaFunction(0.5), Math.sqrt(Math.PI), 1e-14);
    relClose(gammaFunction(5), 24, 1e-14);
    relClose(gammaFunction(10.3), 716430.6890623764, 1e-13);
    relClose(lnGamma(171.5), 709.1431630309282, 1e-14);
    relClose(lnGamma(0.1), 2.252712651734206, 1e-13);
  });
});

describe('sample moments agree with theoretical mean and variance', () => {
  const cases: [string, unknown][] = [
    ['uniform', { type: 'uniform', min: 2, max: 5 }],
    ['exponential/mean', { type: 'exponential', mean: 2 }],
    ['exponential/rate', { type: 'exponential', rate: 4 }],
    ['normal', { type: 'normal', mean: 10, sd: 3 }],
    ['truncated normal two-sided', { type: 'normal', mean: 10, sd: 4, min: 0, max: 12 }],
    ['truncated normal far upper tail', { type: 'normal', mean: 0, sd: 1, min: 6 }],
    ['truncated normal far lower tail', { type: 'normal', mean: 0, sd: 1, max: -6 }],
    ['truncated normal min only', { type: 'normal', mean: 1, sd: 1, min: 0 }],
    ['lognormal', { type: 'lognormal', mu: 1.2, sigma: 0.4 }],
    ['lognormal/median-p99', { type: 'lognormal', median: 120, p99: 150 }],
    ['gamma shape ≥ 1', { type: 'gamma', shape: 2.5, scale: 3 }],
    ['gamma shape < 1', { type: 'gamma', shape: 0.4, scale: 2 }],
    ['gamma/mean-cv', { type: 'gamma', mean: 50, cv: 0.3 }],
    ['weibull', { type: 'weibull', shape: 1.5, scale: 2 }],
    ['pareto', { type: 'pareto', alpha: 5, xm: 2 }],
    ['empirical samples', { type: 'empirical', samples: [10, 2, 2, 5, 1] }],
    ['empirical quantiles', { type: 'empirical', quantiles: [[0, 0], [0.5, 1], [0.9, 3], [1, 10]] }],
    ['mixture', { type: 'mixture', components: [{ weight: 3, dist: { type: 'exponential', mean: 1 } }, { weight: 7, dist: { type: 'normal', mean: 5, sd: 1 } }] }],
  ];
  for (const [name, spec] of cases) it(name, () => expectMomentsMatch(makeDistribution(spec), name));

  it('constant (bare number and object)', () => {
    const rng = new RandomStreams(1).stream('c');
    for (const d of [makeDistribution(3.5), makeDistribution({ type: 'constant', value: 3.5 })]) {
      expect(d.mean).toBe(3.5);
      expect(d.variance).toBe(0);
      for (let i = 0; i < 10; i++) expect(d.sample(rng)).toBe(3.5);
    }
  });
});

describe('theoretical moments against independent references', () => {
  // Reference values from scipy.stats 1.17 (truncnorm, weibull_min, pareto, gamma) or by hand.
  it.each([
    [{ type: 'normal', mean: 10, sd: 4, min: 0, max: 12 }, 8.047219780794581, 7.053281620913818],
    [{ type: 'normal', mean: 0, sd: 1, min: 6 }, 6.158482604544618, 0.023987636789045252],
    [{ type: 'normal', mean: 0, sd: 1, max: -6 }, -6.158482604544618, 0.023987636789045252],
    [{ type: 'normal', mean: 0, sd: 1, min: -1, max: 2 }, 0.22963717909132902, 0.5197625392115339],
    [{ type: 'weibull', shape: 1.5, scale: 2 }, 1.805490585901867, 1.5027611392557279],
    [{ type: 'pareto', alpha: 5, xm: 2 }, 2.5, 0.4166666666666667],
    [{ type: 'gamma', shape: 0.4, scale: 2 }, 0.8, 1.6],
    [{ type: 'uniform', min: 2, max: 5 }, 3.5, 0.75],
    // hand: mean 0.3·1 + 0.7·5 = 3.8; E[X²] = 0.3·2 + 0.7·26 = 18.8; var = 18.8 − 3.8² = 4.36
    [{ type: 'mixture', components: [{ weight: 0.3, dist: { type: 'exponential', mean: 1 } }, { weight: 0.7, dist: { type: 'normal', mean: 5, sd: 1 } }] }, 3.8, 4.36],
    // hand: segments (0,0.5):0→1, (0.5,0.9):1→3, (0.9,1):3→10 give mean 0.25 + 0.8 + 0.65 = 1.7,
    // E[X²] = 0.5/3 + 0.4·13/3 + 0.1·139/3 = 6.5333…, var = 6.5333… − 2.89
    [{ type: 'empirical', quantiles: [[0, 0], [0.5, 1], [0.9, 3], [1, 10]] }, 1.7, 6.533333333333333 - 2.89],
    // hand: values 1, 2, 2, 5, 10: mean 4, variance (9 + 4 + 4 + 1 + 36)/5
    [{ type: 'empirical', samples: [10, 2, 2, 5, 1] }, 4, 54 / 5],
  ])('%j', (spec, mean, variance) => {
    const d = makeDistribution(spec);
    relClose(d.mean, mean, 1e-12);
    relClose(d.variance, variance, 1e-11);
  });

  it('pareto: infinite mean for alpha ≤ 1, infinite variance for alpha ≤ 2', () => {
    expect(makeDistribution({ type: 'pareto', alpha: 1, xm: 1 }).mean).toBe(Infinity);
    const d = makeDistribution({ type: 'pareto', alpha: 2, xm: 1 });
    expect(d.mean).toBe(2);
    expect(d.variance).toBe(Infinity);
    const mix = makeDistribution({ type: 'mixture', components: [{ weight: 1, dist: { type: 'pareto', alpha: 1.5, xm: 1 } }, { weight: 1, dist: 1 }] });
    expect(mix.mean).toBe(2);
    expect(mix.variance).toBe(Infinity);
  });

  it('truncated normal bounds are respected by every sample', () => {
    const d = makeDistribution({ type: 'normal', mean: 10, sd: 4, min: 9, max: 9.5 });
    const rng = new RandomStreams(3).stream('tn');
    for (let i = 0; i < 20_000; i++) {
      const x = d.sample(rng);
      expect(x >= 9 && x <= 9.5).toBe(true);
    }
  });
});

describe('lognormal parameter fits', () => {
  it('from mean and p95 reproduces both (smaller root when p95 > mean)', () => {
    for (const [mean, p95] of [[100, 180], [1, 1.01], [5, 19], [2, 2]]) {
      const d = makeDistribution({ type: 'lognormal', mean, p95 });
      relClose(d.mean, mean, 1e-12);
      relClose(quantileOf(d)(0.95), p95, 1e-12);
    }
    // mean 100, p95 180: k = ln 1.8, sigma = z − √(z² − 2k) = 0.39817… (the other root is 2.8915…)
    const f = lognormalFromMeanP95(100, 180);
    expect(f).not.toBeNull();
    const k = Math.log(1.8);
    relClose((f as { sigma: number }).sigma, Z95 - Math.sqrt(Z95 * Z95 - 2 * k), 1e-12);
  });
  it('from mean and p95 below the mean takes the only positive root', () => {
    const d = makeDistribution({ type: 'lognormal', mean: 10, p95: 8 });
    // scipy/numpy: z + √(z² − 2 ln 0.8) = 3.4201931879154674
    relClose((d.spec as { sigma: number }).sigma, 3.4201931879154674, 1e-12);
    relClose(d.mean, 10, 1e-12);
    relClose(quantileOf(d)(0.95), 8, 1e-12);
  });
  it('from mean and p95 at the limit p95/mean = exp(z²/2) has sigma = z', () => {
    const d = makeDistribution({ type: 'lognormal', mean: 1, p95: Math.exp((Z95 * Z95) / 2) });
    relClose((d.spec as { sigma: number }).sigma, Z95, 1e-7);
  });
  it('from median and p99 reproduces both', () => {
    const d = makeDistribution({ type: 'lognormal', median: 120, p99: 150 });
    const q = quantileOf(d);
    relClose(q(0.5), 120, 1e-13);
    relClose(q(0.99), 150, 1e-12);
  });
  it('from mean and sd, and from median and sigma', () => {
    const d = makeDistribution({ type: 'lognormal', mean: 50, sd: 20 });
    relClose(d.mean, 50, 1e-13);
    relClose(d.variance, 400, 1e-12);
    const e = makeDistribution({ type: 'lognormal', median: 7, sigma: 0.5 });
    relClose(quantileOf(e)(0.5), 7, 1e-14);
    relClose(e.mean, 7 * Math.exp(0.125), 1e-14);
  });
  it('gamma from mean and cv, exponential from rate', () => {
    const g = makeDistribution({ type: 'gamma', mean: 50, cv: 0.3 });
    relClose(g.mean, 50, 1e-14);
    relClose(Math.sqrt(g.variance) / g.mean, 0.3, 1e-14);
    expect(makeDistribution({ type: 'exponential', rate: 4 }).mean).toBe(0.25);
  });
});

describe('quantile tables', () => {
  const cases: [string, unknown, number[], number[]][] = [
    // scipy.stats 1.17 ppf values
    ['lognormal', { type: 'lognormal', mu: 1.2, sigma: 0.4 }, [0.05, 0.5, 0.95, 0.99], [1.71954299, 3.32011692, 6.41052679, 8.41940491]],
    ['truncated normal', { type: 'normal', mean: 10, sd: 4, min: 0, max: 12 }, [0.01, 0.25, 0.5, 0.9, 0.999], [1.10256915, 6.30061377, 8.44614095, 11.25281623, 11.99221826]],
    ['truncated normal tail', { type: 'normal', mean: 0, sd: 1, min: 6 }, [0.1, 0.5, 0.9], [6.01708506, 6.11156506, 6.36341428]],
    ['weibull', { type: 'weibull', shape: 1.5, scale: 2 }, [0.1, 0.5, 0.9], [0.44615105, 1.56643954, 3.48744303]],
    ['pareto', { type: 'pareto', alpha: 5, xm: 2 }, [0.1, 0.5, 0.9], [2.04259138, 2.29739671, 3.16978638]],
    ['normal', { type: 'normal', mean: 10, sd: 2 }, [0.025, 0.5, 0.975], [10 - 2 * 1.959963984540054, 10, 10 + 2 * 1.959963984540054]],
    // by hand
    ['exponential', { type: 'exponential', mean: 2 }, [0, 0.5, 0.75], [0, 2 * Math.LN2, 2 * Math.log(4)]],
    ['uniform', { type: 'uniform', min: 2, max: 6 }, [0, 0.25, 1], [2, 3, 6]],
    ['empirical samples', { type: 'empirical', samples: [10, 2, 2, 5, 1] }, [0, 0.2, 0.21, 0.6, 0.61, 1], [1, 1, 2, 2, 5, 10]],
    ['empirical quantiles', { type: 'empirical', quantiles: [[0, 0], [0.5, 1], [0.9, 3], [1, 10]] }, [0, 0.25, 0.7, 0.95, 1], [0, 0.5, 2, 6.5, 10]],
    ['constant', 4, [0, 0.5, 1], [4, 4, 4]],
  ];
  it.each(cases)('%s', (_name, spec, ps, values) => {
    const d = makeDistribution(spec);
    const q = quantileOf(d);
    ps.forEach((p, i) => expect(Math.abs(q(p) - values[i])).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(values[i]))));
    expect(() => q(-0.1)).toThrow(RangeError);
    expect(() => q(NaN)).toThrow(RangeError);
  });
  it('samples fall below quantile(p) with probability p', () => {
    for (const [name, spec] of [
      ['truncated normal', { type: 'normal', mean: 10, sd: 4, min: 0, max: 12 }],
      ['truncated tail', { type: 'normal', mean: 0, sd: 1, max: -6 }],
      ['lognormal', { type: 'lognormal', mean: 100, p95: 180 }],
      ['weibull', { type: 'weibull', shape: 0.7, scale: 3 }],
      ['pareto', { type: 'pareto', alpha: 1.2, xm: 1 }],
      ['exponential', { type: 'exponential', mean: 3 }],
      ['empirical quantiles', { type: 'empirical', quantiles: [[0, 1], [0.5, 2], [0.99, 8], [1, 20]] }],
    ] as const) {
      expectQuantilesMatchSamples(makeDistribution(spec), name, [0.01, 0.1, 0.5, 0.9, 0.99]);
    }
  });
  it('gamma and mixture have no quantile function', () => {
    expect(makeDistribution({ type: 'gamma', shape: 2, scale: 1 }).quantile).toBeUndefined();
    expect(makeDistribution({ type: 'mixture', components: [{ weight: 1, dist: 1 }] }).quantile).toBeUndefined();
  });
});

describe('canonical spec', () => {
  it('rebuilds the same distribution with the same draws, also through JSON', () => {
    const specs: unknown[] = [
      { type: 'exponential', rate: 2 },
      { type: 'lognormal', mean: 100, p95: 180 },
      { type: 'gamma', mean: 5, cv: 2 },
      { type: 'normal', mean: 1, sd: 2, min: 0 },
      { type: 'empirical', quantiles: [[0, 1], [1, 2]] },
      { type: 'mixture', components: [{ weight: 2, dist: { type: 'lognormal', median: 3, p99: 9 } }, { weight: 1, dist: 7 }] },
    ];
    for (const spec of specs) {
      const a = makeDistribution(spec);
      const b = makeDistribution(JSON.parse(JSON.stringify(a.spec)));
      expect(b.mean).toBe(a.mean);
      expect(b.variance).toBe(a.variance);
      const ra = new RandomStreams(9).stream('x');
      const rb = new RandomStreams(9).stream('x');
      for (let i = 0; i < 100; i++) expect(b.sample(rb)).toBe(a.sample(ra));
    }
    expect(makeDistribution({ type: 'exponential', rate: 2 }).spec).toEqual({ type: 'exponential', mean: 0.5 });
  });
});

describe('validation errors name the path, what was expected and what was found', () => {
  const cases: [unknown, string, string, string][] = [
    ['abc', 'd', 'a number or a distribution object with a "type" field', '"abc"'],
    [NaN, 'd', 'a finite number or a distribution object', 'NaN'],
    [null, 'd', 'a number or a distribution object with a "type" field', 'null'],
    [[1, 2], 'd', 'a number or a distribution object with a "type" field', '[1,2]'],
    [{}, 'd.type', 'one of "constant", "uniform", "exponential", "normal", "lognormal", "gamma", "weibull", "pareto", "empirical", "mixture"', 'nothing'],
    [{ type: 'gaussian' }, 'd.type', 'one of "constant"', '"gaussian"'],
    [{ type: 'constant', value: '3' }, 'd.value', 'a finite number', '"3"'],
    [{ type: 'uniform', min: 5, max: 3 }, 'd.max', 'a number greater than min (5)', '3'],
    [{ type: 'uniform', min: 5 }, 'd.max', 'a finite number', 'nothing'],
    [{ type: 'exponential', mean: 0 }, 'd.mean', 'a positive number', '0'],
    [{ type: 'exponential', mean: 1, rate: 1 }, 'd', 'a exponential distribution given by {mean} or {rate}', '{mean, rate}'],
    [{ type: 'exponential' }, 'd', 'a exponential distribution given by {mean} or {rate}', 'no parameters'],
    [{ type: 'normal', mean: 1 }, 'd.sd', 'a positive number', 'nothing'],
    [{ type: 'normal', mean: 1, stdev: 2 }, 'd.stdev', 'a field of a normal distribution (mean, sd, min, max)', 'an unknown field "stdev"'],
    [{ type: 'normal', mean: 0, sd: 1, min: 2, max: 1 }, 'd.max', 'a number greater than min (2)', '1'],
    [{ type: 'normal', mean: 0, sd: 1, min: 40 }, 'd', 'truncation bounds that keep a representable share', 'min 40 and max Infinity for mean 0 and sd 1'],
    [{ type: 'normal', mean: 0, sd: 1, max: Infinity }, 'd.max', 'a finite number', 'Infinity'],
    [{ type: 'lognormal', mean: 1, sigma: 1 }, 'd', 'a lognormal distribution given by {mu, sigma} or {mean, p95} or {median, p99} or {mean, sd} or {median, sigma}', '{mean, sigma}'],
    [{ type: 'lognormal', mean: 1 }, 'd', 'a lognormal distribution given by', '{mean}'],
    [{ type: 'lognormal', mu: 1 }, 'd.sigma', 'a positive number', 'nothing'],
    [{ type: 'lognormal', median: 10, p99: 5 }, 'd.p99', 'a number greater than median (10)', '5'],
    [{ type: 'lognormal', mean: 1, p95: 4 }, 'd.p95', 'at most 3.86813', '4'],
    [{ type: 'lognormal', mean: -1, p95: 4 }, 'd.mean', 'a positive number', '-1'],
    [{ type: 'gamma', mean: 1, cv: 0 }, 'd.cv', 'a positive number', '0'],
    [{ type: 'gamma', shape: 1, scale: 1, rate: 1 }, 'd.rate', 'a field of a gamma distribution (shape, scale, mean, cv)', 'an unknown field "rate"'],
    [{ type: 'weibull', shape: -2, scale: 1 }, 'd.shape', 'a positive number', '-2'],
    [{ type: 'pareto', alpha: Infinity, xm: 1 }, 'd.alpha', 'a positive number', 'Infinity'],
    [{ type: 'empirical', samples: [] }, 'd.samples', 'a non-empty array of finite numbers', '[]'],
    [{ type: 'empirical', samples: [1, 'x'] }, 'd.samples[1]', 'a finite number', '"x"'],
    [{ type: 'empirical', quantiles: [[0, 1]] }, 'd.quantiles', 'an array of at least two [probability, value] pairs', '[[0,1]]'],
    [{ type: 'empirical', quantiles: [[0.1, 1], [1, 2]] }, 'd.quantiles[0][0]', '0 (the table starts at probability 0', '0.1'],
    [{ type: 'empirical', quantiles: [[0, 1], [0.9, 2]] }, 'd.quantiles[1][0]', '1 (the table ends at probability 1', '0.9'],
    [{ type: 'empirical', quantiles: [[0, 1], [0.5, 0.5], [1, 2]] }, 'd.quantiles[1][1]', 'a value not below the previous one (1)', '0.5'],
    [{ type: 'empirical', quantiles: [[0, 1], [0.5, 2], [0.5, 3], [1, 4]] }, 'd.quantiles[2][0]', 'a probability greater than the previous one (0.5)', '0.5'],
    [{ type: 'empirical', quantiles: [[0, 1], [1.5, 2]] }, 'd.quantiles[1][0]', 'a probability in [0, 1]', '1.5'],
    [{ type: 'empirical', quantiles: [[0, 1], 2] }, 'd.quantiles[1]', 'a [probability, value] pair', '2'],
    [{ type: 'mixture', components: [] }, 'd.components', 'a non-empty array of {weight, dist}', '[]'],
    [{ type: 'mixture', components: [{ weight: 0, dist: 1 }] }, 'd.components[0].weight', 'a positive number', '0'],
    [{ type: 'mixture', components: [{ weight: 1 }] }, 'd.components[0].dist', 'a distribution', 'nothing'],
    [{ type: 'mixture', components: [{ weight: 1, dist: 1, w: 2 }] }, 'd.components[0].w', 'a field of a mixture component (weight, dist)', 'an unknown field "w"'],
    [{ type: 'mixture', components: [{ weight: 1, dist: 1 }, { weight: 1, dist: { type: 'lognormal', mu: 0, sigma: -1 } }] }, 'd.components[1].dist.sigma', 'a positive number', '-1'],
  ];
  it.each(cases)('%j', (spec, path, expected, found) => {
    let err: unknown;
    try {
      makeDistribution(spec, 'd');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DistributionError);
    const de = err as DistributionError;
    expect(de.path).toBe(path);
    expect(de.expected.startsWith(expected), `expected "${de.expected}" to start with "${expected}"`).toBe(true);
    expect(de.found).toBe(found);
    expect(de.message).toBe(`${path}: expected ${de.expected}, found ${found}`);
  });
  it('the example message from the brief, and the default path', () => {
    expect(() => makeDistribution({ type: 'lognormal', mu: 0, sigma: -1 }, 'service.duration')).toThrow(
      'service.duration.sigma: expected a positive number, found -1',
    );
    expect(() => makeDistribution({ type: 'uniform', min: 1, max: 1 })).toThrow('distribution.max: expected a number greater than min (1), found 1');
  });
});
