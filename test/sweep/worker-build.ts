/**
 * The sweep's worker threads load compiled JavaScript, which vitest does not provide. This
 * helper transpiles src/ (vite's oxc transform, which vitest itself uses: no type check) into
 * a throw-away package root under node_modules/.cache, with package.json beside it so the
 * code finds its version and node_modules, and returns the worker's URL.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformWithOxc } from 'vite';

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Transpile src/ into a fresh root; returns the worker URL and a cleanup function. */
export async function buildWorker(): Promise<{ workerUrl: URL; root: string; cleanup(): void }> {
  const cache = join('node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const root = mkdtempSync(join(cache, 'servesim-sweep-worker-'));
  await Promise.all(
    tsFiles('src').map(async (file) => {
      const out = join(root, 'dist', relative('src', file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(out), { recursive: true });
      const js = await transformWithOxc(readFileSync(file, 'utf8'), file, { sourcemap: false });
      writeFileSync(out, js.code);
    }),
  );
  copyFileSync('package.json', join(root, 'package.json'));
  return {
    root,
    workerUrl: pathToFileURL(join(process.cwd(), root, 'dist', 'experiment', 'sweep', 'worker.js')),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
