/** The fluid CPU model: per-node CFS quota/period and weights, workload CPU profiles. */
export * from './node-cpu.js';
export * from './water-fill.js';
export * from './cfs-period.js';
export * from './parallel-overhead.js';
export * from './daemon-load.js';
export * from './workload-profile.js';
