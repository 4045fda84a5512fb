/**
 * Worker-thread entry of the sweep pool: receives PointTasks, runs them one at a time with
 * runPoint and posts back the outcome. Loaded from the built code (dist/), see pool.ts.
 */
import { parentPort } from 'node:worker_threads';
import { ScenarioError } from '../../scenario/errors.js';
import type { ScenarioSource } from '../../scenario/source.js';
import { runPoint, type PointTask } from './point.js';
import type { WorkerReply, WorkerRequest } from './pool.js';

const port = parentPort;
if (!port) throw new Error('sweep worker: expected to run in a worker thread');
const sources = new Map<string, ScenarioSource>();

port.on('message', (msg: WorkerRequest<PointTask>) => {
  runPoint(msg.task, sources).then(
    (result) => port.postMessage({ id: msg.id, ok: true, result } satisfies WorkerReply<unknown>),
    (e: unknown) =>
      port.postMessage({
        id: msg.id,
        ok: false,
        error: { name: e instanceof ScenarioError ? 'ScenarioError' : e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) },
      } satisfies WorkerReply<unknown>),
  );
});
