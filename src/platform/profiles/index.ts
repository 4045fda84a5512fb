/** Platform profiles for the serverless vs container serving benchmark (study 4). */
export * from './warm-latency.js';
export * from './profile.js';
export * from './serving-platform.js';
export * from './managed-faas.js';
export * from './knative-platform.js';
export * from './container-platform.js';
