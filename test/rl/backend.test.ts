import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { activeBackend, initBackend } from '../../src/rl/dqn/backend.js';

// Runs in its own module context (vitest isolates test files), so wasm is not yet initialised.
describe('tfjs backend selection', () => {
  it("'auto' falls back to 'cpu' with one clear log line when the wasm binary cannot be loaded", async () => {
    const logs: string[] = [];
    const quiet = [console.warn, console.error] as const;
    console.warn = console.error = () => {}; // tfjs and emscripten report the failed load themselves
    try {
      const got = await initBackend('auto', { wasmDir: '/nonexistent-wasm-dir', log: (l) => logs.push(l) });
      expect(got).toBe('cpu');
    } finally {
      [console.warn, console.error] = quiet;
    }
    expect(activeBackend()).toBe('cpu');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/wasm backend could not initialise .*falling back to the slower 'cpu' backend/);
    console.warn = console.error = () => {};
    try {
      await expect(initBackend('wasm')).rejects.toThrow(/tfjs backend 'wasm' could not initialise/);
    } finally {
      [console.warn, console.error] = quiet;
    }
  });

  it('selects cpu explicitly and rejects unknown names', async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    // @ts-expect-error: a wrong name from untyped input
    await expect(initBackend('webgpu')).rejects.toThrow("tfjs backend: expected 'wasm', 'cpu' or 'auto', found 'webgpu'");
  });
});
