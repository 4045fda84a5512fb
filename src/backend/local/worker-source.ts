/**
 * The source of LocalBackend's worker process (plain JavaScript, written to a temporary file and
 * forked: it must run without a TypeScript loader from both src/ under vitest and dist/).
 *
 * A worker is one pod's user container. It does real CPU work per request: `work` core-µs become
 * `work · itersPerUs` iterations of a busy loop (an LCG step per iteration, calibrated by
 * `calibrate` messages), split equally over the request's `threads` worker threads, which run in
 * parallel (the fluid model's "threads of a job share its rate", cluster/cpu/node-cpu.ts). Threads
 * are pooled: a request takes `threads` idle threads, creating more when none are idle, so
 * concurrent requests each get their own threads, as concurrent jobs do in the model.
 *
 * Protocol over the IPC channel (parent → worker): `{t:'run', id, work, threads}`,
 * `{t:'calibrate', id, iters}`; (worker → parent): `{t:'ready'}` once `threads` threads exist and
 * are warmed up (JIT), `{t:'done', id}`, `{t:'calibrated', id, us}` (µs one thread took). The
 * worker exits when the channel closes (its backend ended, however it ended).
 */
export const WORKER_SOURCE = `
import { Worker } from 'node:worker_threads';
const itersPerUs = Number(process.argv[2]);
const initialThreads = Number(process.argv[3]);
const THREAD = \`
const { parentPort } = require('node:worker_threads');
function spin(n) { let x = 1; for (let i = 0; i < n; i++) x = (Math.imul(x, 1103515245) + 12345) | 0; return x; }
let sink = 0;
for (let k = 0; k < 20; k++) sink += spin(200000); // warm up (JIT) before serving
parentPort.postMessage({ warm: true });
parentPort.on('message', (m) => {
  const t0 = process.hrtime.bigint();
  sink += spin(m.iters);
  const us = Number(process.hrtime.bigint() - t0) / 1000;
  parentPort.postMessage({ job: m.job, us, sink: sink & 1 });
});
\`;
const idle = [];
let created = 0;
const jobs = new Map();
let nextJob = 0;
function newThread() {
  return new Promise((resolve) => {
    const w = new Worker(THREAD, { eval: true });
    created++;
    w.once('message', () => resolve(w));
    w.on('message', (m) => {
      if (m.job === undefined) return;
      const j = jobs.get(m.job);
      idle.push(w);
      j.left--;
      j.maxUs = Math.max(j.maxUs, m.us);
      if (j.left === 0) { jobs.delete(m.job); j.done(j.maxUs); }
    });
    w.on('error', (e) => { process.stderr.write('worker thread error: ' + e.message + '\\n'); process.exit(1); });
  });
}
async function take(n) {
  const out = [];
  while (out.length < n) out.push(idle.length > 0 ? idle.pop() : await newThread());
  return out;
}
async function runJob(iters, threads, done) {
  const ws = await take(threads);
  const job = nextJob++;
  jobs.set(job, { left: threads, maxUs: 0, done });
  const per = Math.max(0, Math.round(iters / threads));
  for (const w of ws) w.postMessage({ job, iters: per });
}
process.on('message', (m) => {
  if (m.t === 'run') runJob(m.work * itersPerUs, m.threads, () => process.send({ t: 'done', id: m.id }));
  else if (m.t === 'calibrate') runJob(m.iters, 1, (us) => process.send({ t: 'calibrated', id: m.id, us }));
});
process.on('disconnect', () => process.exit(0));
take(initialThreads).then((ws) => { for (const w of ws) idle.push(w); process.send({ t: 'ready', threads: created }); });
`;
