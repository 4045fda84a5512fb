export * from './time.js';
export * from './event-queue.js';
export * from './random.js';
export * from './scheduler.js';
export * from './sim-event.js';
export * from './process.js';
export * from './resource.js';
export * from './simulation.js';
