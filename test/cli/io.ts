/** A CliIO that records what the CLI prints. */
import type { CliIO } from '../../src/cli/io.js';
import { Writable } from 'node:stream';

export function captureIO(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    progressStream: sink,
    stdout: () => out,
    stderr: () => err,
  };
}
