/**
 * Feed a DriftMonitor from any ClusterBackend: every `interval` of the backend's clock, the
 * inference records that became visible since the last tick are ingested with their arrival
 * time and the monitor's clock is advanced to the backend's `now` (monitor/monitor.ts:
 * ingest(record, arrivalTime), advance(now)). The monitor itself is unchanged between the
 * simulator and the live backends.
 */
import type { Time } from '../core/time.js';
import type { ClusterBackend } from './cluster-backend.js';
import type { InferenceRecord } from '../monitor/record.js';

/** What the feed needs of a monitor (DriftMonitor satisfies it). */
export interface MonitorSink {
  ingest(record: InferenceRecord, arrivalTime: Time): boolean;
  advance(now: Time): void;
}

/** Start feeding; returns a function that stops it. `counts.ingested` counts the records passed on. */
export function feedMonitor(backend: ClusterBackend, monitor: MonitorSink, interval: Time): { stop: () => void; counts: { ingested: number; accepted: number } } {
  let cursor = 0;
  const counts = { ingested: 0, accepted: 0 };
  const stop = backend.every(interval, (now) => {
    const b = backend.inferenceRecords(cursor);
    cursor = b.cursor;
    for (const e of b.items) {
      counts.ingested++;
      if (monitor.ingest(e.record, e.arrivalTime)) counts.accepted++;
    }
    monitor.advance(now);
  });
  return { stop, counts };
}
