/** Public API of the workload layer: arrivals (open and closed loop), trace readers, synthesis, payloads. */
export * from './arrivals/arrival-source.js';
export * from './arrivals/poisson.js';
export * from './arrivals/constant-rate.js';
export * from './arrivals/piecewise-rate.js';
export * from './arrivals/thinning.js';
export * from './arrivals/diurnal.js';
export * from './arrivals/mmpp.js';
export * from './arrivals/replay.js';
export * from './arrivals/closed-loop.js';
export * from './traces/csv-records.js';
export * from './traces/azure2019.js';
export * from './traces/azure2019-arrivals.js';
export * from './traces/streamed-arrivals.js';
export * from './traces/synth.js';
export * from './payload.js';
