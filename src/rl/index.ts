/** rl/: gym-style env contract, wrappers, DQN agent, deployable policies, training loops. */
export * from './spaces.js';
export * from './env.js';
export * from './normalization.js';
export * from './wrappers.js';
export * from './model-io.js';
export * from './policy-spec.js';
export * from './policy.js';
export * from './train.js';
export * from './dqn/index.js';
