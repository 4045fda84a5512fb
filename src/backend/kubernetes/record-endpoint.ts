/**
 * Inference records from a log endpoint (the cluster's inference logger, study 3's data flow):
 * `GET <url>?after=<seq>` answers JSON lines, one record per line:
 *
 *   {"seq": 17, "timeMs": 1733241600123.5, "features": [5.1, 3.5, 1.4, 0.2], "prediction": 0, "revision": "iris-00002"}
 *
 * `seq` increases by line (the cursor), `timeMs` is the request's Unix time in ms (event time),
 * `features` the feature values in the monitor's order; `prediction` and `revision` optional.
 */
import type { InferenceRecord } from '../../monitor/record.js';
import { BackendError } from '../cluster-backend.js';

/** One parsed line. */
export interface LoggedRecord {
  readonly seq: number;
  /** Unix time of the request, µs. */
  readonly unixUs: number;
  readonly record: Omit<InferenceRecord, 'eventTime'>;
}

/** Parse a JSON-lines body; errors name the line and field. Pure. */
export function parseRecordLines(text: string, source: string): LoggedRecord[] {
  const out: LoggedRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const at = `${source} line ${i + 1}`;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new BackendError(`${at}: expected a JSON object, found ${JSON.stringify(line.slice(0, 60))}`);
    }
    if (!Number.isInteger(o.seq) || (o.seq as number) < 1) throw new BackendError(`${at}: seq: expected an integer ≥ 1, found ${JSON.stringify(o.seq)}`);
    if (typeof o.timeMs !== 'number' || !Number.isFinite(o.timeMs)) throw new BackendError(`${at}: timeMs: expected Unix time in ms, found ${JSON.stringify(o.timeMs)}`);
    if (!Array.isArray(o.features) || !o.features.every((x) => typeof x === 'number')) throw new BackendError(`${at}: features: expected an array of numbers, found ${JSON.stringify(o.features)}`);
    if (o.prediction !== undefined && typeof o.prediction !== 'number') throw new BackendError(`${at}: prediction: expected a number, found ${JSON.stringify(o.prediction)}`);
    if (o.revision !== undefined && typeof o.revision !== 'string') throw new BackendError(`${at}: revision: expected a string, found ${JSON.stringify(o.revision)}`);
    out.push({
      seq: o.seq as number, unixUs: Math.round((o.timeMs as number) * 1000),
      record: { features: o.features as number[], prediction: o.prediction as number | undefined, revision: o.revision as string | undefined },
    });
  }
  return out;
}

/** Fetch the records after `seq`. */
export async function fetchRecords(url: string, after: number): Promise<LoggedRecord[]> {
  const u = `${url}${url.includes('?') ? '&' : '?'}after=${after}`;
  const res = await fetch(u);
  const text = await res.text();
  if (!res.ok) throw new BackendError(`record endpoint ${u}: expected HTTP 200, found ${res.status} ${JSON.stringify(text.slice(0, 80))}`);
  return parseRecordLines(text, u);
}
