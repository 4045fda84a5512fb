/**
 * TF.js backend selection for Node (platform-semantics.md section f.4): the wasm backend
 * (XNNPACK, SIMD, single-threaded in Node) is 3–5× faster than the pure-JS 'cpu' backend for
 * DQN training steps; tfjs-node cannot be installed here. In Node, tfjs-backend-wasm 4.22 finds
 * its .wasm binaries next to its own JS file, so `setWasmPaths` is only needed when they live
 * elsewhere (pass `wasmDir`).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** A backend name: 'wasm', 'cpu', or 'auto' (wasm, falling back to cpu). */
export type BackendChoice = 'wasm' | 'cpu' | 'auto';

let prodModeSet = false;

/**
 * Make `choice` the active tfjs backend and return its name. 'auto' tries wasm and falls back
 * to 'cpu', logging one line through `log` (default console.warn) when it does. Asking for
 * 'wasm' explicitly throws when wasm cannot initialise. Idempotent.
 */
export async function initBackend(choice: BackendChoice = 'auto', opts: { wasmDir?: string; log?: (line: string) => void } = {}): Promise<'wasm' | 'cpu'> {
  if (!prodModeSet) {
    // Production mode skips per-op NaN/shape debug checks; results are unchanged.
    tf.enableProdMode();
    prodModeSet = true;
  }
  if (choice !== 'wasm' && choice !== 'cpu' && choice !== 'auto') {
    throw new Error(`tfjs backend: expected 'wasm', 'cpu' or 'auto', found '${String(choice)}'`);
  }
  if (choice === 'cpu') return (await use('cpu')) ? 'cpu' : fail('cpu');
  if (opts.wasmDir !== undefined) setWasmPaths(opts.wasmDir.endsWith('/') ? opts.wasmDir : `${opts.wasmDir}/`);
  let ok = false;
  let reason = '';
  try {
    ok = await use('wasm');
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  if (ok) return 'wasm';
  if (choice === 'wasm') fail('wasm', reason);
  (opts.log ?? console.warn)(`servesim rl: the tfjs wasm backend could not initialise (${reason || 'setBackend returned false'}); falling back to the slower 'cpu' backend`);
  return (await use('cpu')) ? 'cpu' : fail('cpu');
}

async function use(name: 'wasm' | 'cpu'): Promise<boolean> {
  if (tf.getBackend() === name) return true;
  const ok = await tf.setBackend(name);
  if (ok) await tf.ready();
  return ok;
}

function fail(name: string, reason = ''): never {
  throw new Error(`tfjs backend '${name}' could not initialise${reason ? `: ${reason}` : ''}`);
}

/** The active backend name (after `initBackend`). */
export function activeBackend(): string {
  return tf.getBackend();
}
