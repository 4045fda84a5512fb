/**
 * Atomic result files (DESIGN.md rule 6): write to a temporary file in the same directory,
 * then rename over the target, so a reader never sees a half-written file.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { format } from 'fast-csv';

let counter = 0;

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
}

/** Write `data` to `path` atomically (parent directories are created). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** A cell of a CSV row. */
export type CsvCell = string | number;

/**
 * Write a CSV file atomically through fast-csv, streaming `rows` (each called with a reusable
 * array to fill; return false when done) with backpressure.
 */
export async function writeCsvAtomic(path: string, headers: readonly string[], rows: Iterable<readonly CsvCell[]>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  const file = createWriteStream(tmp);
  const csv = format<readonly CsvCell[], readonly CsvCell[]>({ headers: [...headers], writeHeaders: true });
  const done = new Promise<void>((resolve, reject) => {
    file.on('finish', () => resolve());
    file.on('error', reject);
    csv.on('error', reject);
  });
  csv.pipe(file);
  try {
    for (const row of rows) {
      if (!csv.write([...row])) await new Promise<void>((resolve) => csv.once('drain', () => resolve()));
    }
    csv.end();
    await done;
    await rename(tmp, path);
  } catch (e) {
    csv.destroy();
    file.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
}
