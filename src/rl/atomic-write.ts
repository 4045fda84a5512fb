/**
 * Atomic file writes for rl outputs (DESIGN.md rule 6): write a temporary file in the same
 * directory, then rename it over the target, so a reader never sees a half-written file.
 * rl sits below experiment/, so it carries this small helper itself.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** Write `data` to `path` atomically, creating parent directories. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
