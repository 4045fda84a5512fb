/**
 * A worker-thread pool: `jobs` workers, each running one task at a time from a shared
 * queue in order. A task that throws (or a worker that dies) fails that task only; the pool
 * replaces a dead worker and goes on. Stops handing out tasks when `signal` aborts and
 * returns once the tasks in flight have finished.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Message to a worker. */
export interface WorkerRequest<T> {
  id: number;
  task: T;
}

/** Reply from a worker. */
export type WorkerReply<R> = { id: number; ok: true; result: R } | { id: number; ok: false; error: { name: string; message: string } };

/** A failed task: the error's class name and message as the worker reported them. */
export class TaskError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = 'TaskError';
  }
}

export interface PoolOptions {
  /** Number of worker threads (>= 1). */
  jobs: number;
  /** Worker script (an ES module that answers WorkerRequests with WorkerReplies). */
  workerUrl: URL;
  signal?: AbortSignal;
  /** Called as each task finishes, with its index in `tasks`. */
  onResult(index: number, outcome: { ok: true; result: unknown } | { ok: false; error: TaskError }): void;
}

/** Run `tasks` on a pool of worker threads; resolves when all handed-out tasks have finished. */
export async function runOnPool<T>(tasks: readonly T[], opts: PoolOptions): Promise<void> {
  if (!(opts.jobs >= 1)) throw new RangeError(`runOnPool: expected jobs >= 1, found ${opts.jobs}`);
  let next = 0;
  const size = Math.min(opts.jobs, tasks.length);
  if (size === 0) return;
  await new Promise<void>((resolve) => {
    let live = 0;
    const start = (): void => {
      const worker = new Worker(opts.workerUrl);
      live++;
      let current = -1;
      let closed = false;
      const dispatch = (): void => {
        if (next >= tasks.length || opts.signal?.aborted) {
          closed = true;
          void worker.terminate();
          return;
        }
        current = next++;
        worker.postMessage({ id: current, task: tasks[current] } satisfies WorkerRequest<T>);
      };
      worker.on('message', (reply: WorkerReply<unknown>) => {
        const i = current;
        current = -1;
        if (reply.ok) opts.onResult(i, { ok: true, result: reply.result });
        else opts.onResult(i, { ok: false, error: new TaskError(reply.error.name, reply.error.message) });
        dispatch();
      });
      worker.on('error', (e) => {
        // An uncaught error kills the worker: fail its task, and 'exit' follows.
        if (current >= 0) {
          const i = current;
          current = -1;
          opts.onResult(i, { ok: false, error: new TaskError(e.name, e.message) });
        }
      });
      worker.on('exit', () => {
        live--;
        if (current >= 0) {
          const i = current;
          current = -1;
          opts.onResult(i, { ok: false, error: new TaskError('WorkerExit', 'the worker thread exited while running this task') });
        }
        if (!closed && next < tasks.length && !opts.signal?.aborted) start();
        else if (live === 0) resolve();
      });
      dispatch();
    };
    for (let k = 0; k < size; k++) start();
  });
}

/**
 * The built sweep worker (dist/experiment/sweep/worker.js) next to this module, or, when
 * this module runs from src/ (under vitest), the one in dist/. Undefined when not built.
 */
export function defaultWorkerUrl(): URL | undefined {
  const here = new URL(import.meta.url);
  const candidates = here.pathname.endsWith('.js')
    ? [new URL('./worker.js', here)]
    : [new URL('../../../dist/experiment/sweep/worker.js', here)];
  for (const c of candidates) if (existsSync(fileURLToPath(c))) return pathToFileURL(fileURLToPath(c));
  return undefined;
}
