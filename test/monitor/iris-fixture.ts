/**
 * The study's Iris baseline (calibration-targets.md study 3: Tab 3.3.1 descriptive
 * statistics and the 20-bin training histograms from training min to max) and the study's
 * ModelMonitor configuration, for tests.
 */
export const IRIS_FEATURES = ['petal_width', 'petal_length', 'sepal_width', 'sepal_length'] as const;

export const IRIS_DESCRIPTIVE: Record<string, Record<string, number>> = {
  petal_width: { avg: 1.1966667, stddev: 0.7820393, min: 0.1, max: 2.5 },
  petal_length: { avg: 3.7391667, stddev: 1.8221004, min: 1.0, max: 6.9 },
  sepal_width: { avg: 3.065, stddev: 0.42715594, min: 2.0, max: 4.4 },
  sepal_length: { avg: 5.845, stddev: 0.86857843, min: 4.4, max: 7.9 },
};

const COUNTS: Record<string, number[]> = {
  petal_width: [27, 7, 7, 0, 1, 0, 0, 5, 3, 12, 7, 7, 3, 2, 15, 4, 4, 3, 8, 5],
  petal_length: [3, 29, 9, 1, 0, 0, 1, 2, 2, 4, 7, 10, 10, 13, 5, 10, 5, 4, 2, 3],
  sepal_width: [1, 2, 3, 3, 8, 8, 12, 7, 20, 10, 17, 8, 5, 3, 9, 2, 1, 0, 0, 1],
  sepal_length: [4, 6, 10, 16, 3, 6, 7, 6, 8, 9, 9, 11, 2, 8, 4, 3, 1, 1, 5, 1],
};

/** {left edge: count} maps, as the ModelMonitor's baseline.distributions. */
export function irisDistributions(): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const f of IRIS_FEATURES) {
    const { min, max } = IRIS_DESCRIPTIVE[f];
    const w = (max - min) / 20;
    const m: Record<string, number> = {};
    COUNTS[f].forEach((c, i) => (m[String(min + i * w)] = c));
    out[f] = m;
  }
  return out;
}

/** The study's `monitoring` section (15 s tumbling windows, 6 s watermark), as YAML text. */
export const STUDY_MONITOR_YAML = `
features: [petal_width, petal_length, sepal_width, sepal_length]
trigger: {window: {duration: 15000, slide: 15000, watermarkDelay: 6000}}
stats: {max: {}, min: {}, count: {}, avg: {}, mean: {}, distr: {},
        stddev: {type: sample}, perc: {percentiles: [25, 50, 75], iqr: true},
        cov: {type: sample}, corr: {type: sample}}
outliers: {descriptive: [avg]}
drift: {wasserstein: {showAll: true}, kullbackLeibler: {showAll: true}, jensenShannon: {showAll: true}}
`;
