/** The DQN agent and its parts (issue 7 item 3). */
export * from './agent.js';
export * from './backend.js';
export * from './config.js';
export * from './network.js';
export * from './replay-buffer.js';
export * from './schedule.js';
export * from './td-target.js';
