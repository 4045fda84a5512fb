/**
 * Synthetic traces in the three formats servesim reads (platform-semantics.md (h)): Azure
 * Functions 2019 (invocations / durations / memory), Azure Functions 2021 (per invocation)
 * and the generic CSV. Seeded and deterministic: the same options give byte-identical files.
 *
 * Model (servesim's own defaults, shaped after the Azure 2019 characterisation — a few
 * functions carry most invocations, daily cycles, bursts — but not fitted to it):
 * - popularity: function f gets weight exp(σ_pop·Z_f), a lognormal, so shares are heavy-tailed;
 * - timer-triggered functions (share `timerShare`) fire at a constant per-minute rate;
 * - diurnal: weight × (1 + A·cos(2π(minute/1440 − peakHour/24)));
 * - burstiness: a function enters a burst in a minute with probability `burstProbability`,
 *   lasting a geometric number of minutes (mean `burstMinutes`), weight × `burstFactor`;
 * - counts: the expected count of each (function, minute) cell is total × weight share; the
 *   integer part plus a Bernoulli on the fraction, then ±1 on cells drawn by weight until the
 *   sum is exactly `invocations`;
 * - durations: per function a lognormal with median drawn lognormally (median `durationMedianMs`,
 *   σ `durationSpread` across functions) and within-function σ `durationSigma`, capped at
 *   600 s (the Azure Functions consumption-plan maximum timeout, so 2021 rows ordered by end
 *   time are within the readers' default 600 s reorder window);
 * - memory per app: lognormal around `memoryMedianMb`.
 * Per-invocation formats place each cell's invocations like Azure2019Arrivals' 'exponential'
 * spread (Poisson conditioned on the count), so all three files hold the same invocations.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RandomStreams, type RandomStream } from '../../core/random.js';
import { normalQuantile } from '../../core/distributions.js';
import { MINUTE, SECOND } from '../../core/time.js';
import { ArrivalHeap } from './time-heap.js';
import { AZURE2019_MINUTES, DURATION_PERCENTILES, MEMORY_PERCENTILES } from './azure2019.js';

export type TraceFormat = 'azure2019' | 'azure2021' | 'csv';

/** Options of synthesizeTrace (all optional; `servesim trace synth` maps its flags onto these). */
export interface SynthOptions {
  /** Root seed (default 1). */
  seed?: number | string;
  /** Formats to write (default all three). */
  formats?: readonly TraceFormat[];
  /** Number of functions (default 20). */
  functions?: number;
  /** Number of applications the functions belong to (default ⌈functions/3⌉). */
  apps?: number;
  /** Total invocations over the trace (default 20,000). */
  invocations?: number;
  /** Trace length in minutes, 1–1440 (default 1440; Azure 2019 files always hold 1440 columns). */
  minutes?: number;
  /** σ of the lognormal popularity weights (default 2.0; larger = more skewed). */
  popularitySigma?: number;
  /** Share of functions that are timer-triggered (default 0.15). */
  timerShare?: number;
  /** Relative diurnal amplitude in [0, 1] (default 0.5). */
  diurnalAmplitude?: number;
  /** Hour of the daily peak (default 14). */
  peakHour?: number;
  /** Probability that a function starts a burst in a minute (default 0.01). */
  burstProbability?: number;
  /** Mean burst length, minutes (default 5). */
  burstMinutes?: number;
  /** Rate multiplier during a burst (default 8). */
  burstFactor?: number;
  /** Median over functions of the median duration, ms (default 300). */
  durationMedianMs?: number;
  /** σ (log scale) of per-function median durations (default 1.5). */
  durationSpread?: number;
  /** σ (log scale) of durations within a function (default 0.6). */
  durationSigma?: number;
  /** Median allocated memory per app, MB (default 150). */
  memoryMedianMb?: number;
}

/** What synthesizeTrace wrote. */
export interface SynthResult {
  /** Paths written, by format. */
  files: { azure2019?: { invocations: string; durations: string; memory: string }; azure2021?: string; csv?: string };
  totalInvocations: number;
  /** Function names ("app/func" hashes as in the Azure readers; the generic CSV uses the same names). */
  functionNames: string[];
  /** Invocations per function (same order as functionNames). */
  perFunction: Float64Array;
}

const TRIGGERS = ['http', 'queue', 'event', 'storage', 'orchestration', 'others'] as const;
const TRIGGER_WEIGHTS = [0.55, 0.15, 0.12, 0.08, 0.05, 0.05];
/** Cap of synthetic durations: 600 s, the Azure Functions consumption-plan maximum timeout. */
const MAX_DURATION_MS = 600_000;

function hash(seed: string, what: string): string {
  return createHash('sha256').update(`servesim-synth:${seed}:${what}`).digest('hex');
}

function check(name: string, v: number, lo: number, hi: number, integer = false): number {
  if (!(typeof v === 'number' && v >= lo && v <= hi) || (integer && !Number.isInteger(v))) {
    throw new RangeError(`synth option ${name}: expected ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], found ${String(v)}`);
  }
  return v;
}

/** Buffered, atomically renamed text writer. */
class FileWriter {
  private fd: number;
  private parts: string[] = [];
  private len = 0;
  private readonly tmp: string;
  constructor(private readonly path: string) {
    this.tmp = `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
  }
  write(s: string): void {
    this.parts.push(s);
    this.len += s.length;
    if (this.len > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.parts.length > 0) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.len = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }
}

function lognormal(rng: RandomStream, median: number, sigma: number): number {
  return median * Math.exp(sigma * rng.normal());
}

/** Format a non-negative number of µs as seconds with 6 decimals, exactly. */
function usToSeconds(us: number): string {
  const s = Math.floor(us / SECOND);
  const frac = us - s * SECOND;
  return `${s}.${String(frac).padStart(6, '0')}`;
}

/** Format µs as milliseconds with 3 decimals, exactly. */
function usToMillis(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${ms}.${String(us - ms * 1000).padStart(3, '0')}`;
}

/**
 * Write a synthetic trace into `outDir` (created if missing): `invocations.csv`,
 * `durations.csv`, `memory.csv` (Azure 2019 layout), `azure2021.csv`
 * (`app,func,end_timestamp,duration`, seconds), `invocations.csv`-equivalent generic
 * `trace.csv` (`timestamp,function,duration`, seconds and milliseconds). Files are written
 * to a temporary name and renamed, so an interrupted run leaves no partial file.
 */
export function synthesizeTrace(options: SynthOptions, outDir: string): SynthResult {
  const seed = String(options.seed ?? 1);
  const formats = new Set(options.formats ?? ['azure2019', 'azure2021', 'csv']);
  for (const f of formats) if (!['azure2019', 'azure2021', 'csv'].includes(f)) throw new RangeError(`synth option formats: expected "azure2019", "azure2021" or "csv", found ${JSON.stringify(f)}`);
  const F = check('functions', options.functions ?? 20, 1, 1e6, true);
  const A = check('apps', options.apps ?? Math.ceil(F / 3), 1, F, true);
  const N = check('invocations', options.invocations ?? 20_000, 0, 2 ** 40, true);
  const M = check('minutes', options.minutes ?? AZURE2019_MINUTES, 1, AZURE2019_MINUTES, true);
  const popSigma = check('popularitySigma', options.popularitySigma ?? 2.0, 0, 10);
  const timerShare = check('timerShare', options.timerShare ?? 0.15, 0, 1);
  const amp = check('diurnalAmplitude', options.diurnalAmplitude ?? 0.5, 0, 1);
  const peakHour = check('peakHour', options.peakHour ?? 14, 0, 24);
  const burstP = check('burstProbability', options.burstProbability ?? 0.01, 0, 1);
  const burstLen = check('burstMinutes', options.burstMinutes ?? 5, 1, 1440);
  const burstFactor = check('burstFactor', options.burstFactor ?? 8, 1, 1e6);
  const durMedian = check('durationMedianMs', options.durationMedianMs ?? 300, 1e-3, MAX_DURATION_MS);
  const durSpread = check('durationSpread', options.durationSpread ?? 1.5, 0, 5);
  const durSigma = check('durationSigma', options.durationSigma ?? 0.6, 0, 5);
  const memMedian = check('memoryMedianMb', options.memoryMedianMb ?? 150, 1, 1e6);

  const streams = new RandomStreams(seed);
  const rFn = streams.stream('synth.functions');
  const rCount = streams.stream('synth.counts');
  const rPlace = streams.stream('synth.placement');
  const rDur = streams.stream('synth.durations');

  // --- functions ---
  const owners = Array.from({ length: A }, (_, a) => hash(seed, `owner${a}`));
  const appIds = Array.from({ length: A }, (_, a) => hash(seed, `app${a}`));
  const fnApp = new Int32Array(F);
  const funcIds: string[] = [];
  const triggers: string[] = [];
  const weight = new Float64Array(F);
  const durMu = new Float64Array(F); // ln median duration, ms
  for (let f = 0; f < F; f++) {
    fnApp[f] = f < A ? f : rFn.int(A); // every app has at least one function
    funcIds.push(hash(seed, `func${f}`));
    weight[f] = Math.exp(popSigma * rFn.normal());
    if (rFn.next() < timerShare) triggers.push('timer');
    else {
      let u = rFn.next(), k = 0;
      while (k < TRIGGERS.length - 1 && u >= TRIGGER_WEIGHTS[k]) u -= TRIGGER_WEIGHTS[k++];
      triggers.push(TRIGGERS[k]);
    }
    durMu[f] = Math.log(Math.min(MAX_DURATION_MS, lognormal(rFn, durMedian, durSpread)));
  }
  const names = funcIds.map((id, f) => `${appIds[fnApp[f]]}/${id}`);

  // --- per-cell weights and counts ---
  const cells = F * M;
  const cellW = new Float64Array(cells);
  let wSum = 0;
  for (let f = 0; f < F; f++) {
    const timer = triggers[f] === 'timer';
    let burstLeft = 0;
    for (let m = 0; m < M; m++) {
      let w = weight[f];
      if (!timer) {
        w *= 1 + amp * Math.cos(2 * Math.PI * (m / AZURE2019_MINUTES - peakHour / 24));
        if (burstLeft === 0 && rCount.next() < burstP) burstLeft = 1 + Math.floor(Math.log(rCount.nextOpen()) / Math.log(1 - 1 / burstLen));
        if (burstLeft > 0) {
          w *= burstFactor;
          burstLeft--;
        }
      }
      cellW[f * M + m] = w;
      wSum += w;
    }
  }
  const counts = new Uint32Array(F * AZURE2019_MINUTES);
  let sum = 0;
  const cum = new Float64Array(cells);
  let acc = 0;
  for (let c = 0; c < cells; c++) {
    const e = (N * cellW[c]) / wSum;
    const k = Math.floor(e) + (rCount.next() < e - Math.floor(e) ? 1 : 0);
    const f = Math.floor(c / M), m = c - f * M;
    counts[f * AZURE2019_MINUTES + m] = k;
    sum += k;
    acc += cellW[c];
    cum[c] = acc;
  }
  const pickCell = (): number => {
    const u = rCount.next() * acc;
    let lo = 0, hi = cells - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u < cum[mid]) hi = mid;
      else lo = mid + 1;
    }
    return Math.floor(lo / M) * AZURE2019_MINUTES + (lo % M);
  };
  while (sum < N) {
    counts[pickCell()]++;
    sum++;
  }
  while (sum > N) {
    const c = pickCell();
    if (counts[c] > 0) {
      counts[c]--;
      sum--;
    }
  }
  const perFunction = new Float64Array(F);
  for (let f = 0; f < F; f++) {
    let s = 0;
    for (let m = 0; m < AZURE2019_MINUTES; m++) s += counts[f * AZURE2019_MINUTES + m];
    perFunction[f] = s;
  }

  mkdirSync(outDir, { recursive: true });
  const result: SynthResult = { files: {}, totalInvocations: sum, functionNames: names, perFunction };

  // --- Azure 2019 ---
  if (formats.has('azure2019')) {
    const paths = { invocations: join(outDir, 'invocations.csv'), durations: join(outDir, 'durations.csv'), memory: join(outDir, 'memory.csv') };
    const w = new FileWriter(paths.invocations);
    const minuteHeader = Array.from({ length: AZURE2019_MINUTES }, (_, m) => String(m + 1)).join(',');
    w.write(`HashOwner,HashApp,HashFunction,Trigger,${minuteHeader}\n`);
    for (let f = 0; f < F; f++) {
      w.write(`${owners[fnApp[f]]},${appIds[fnApp[f]]},${funcIds[f]},${triggers[f]},`);
      w.write(Array.prototype.join.call(counts.subarray(f * AZURE2019_MINUTES, (f + 1) * AZURE2019_MINUTES), ','));
      w.write('\n');
    }
    w.close();
    const d = new FileWriter(paths.durations);
    d.write('HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100\n');
    for (let f = 0; f < F; f++) {
      const q = (p: number): number => Math.min(MAX_DURATION_MS, Math.exp(durMu[f] + durSigma * normalQuantile(p === 0 ? 0.001 : p === 1 ? 0.999 : p)));
      const pct = DURATION_PERCENTILES.map((p) => +q(p).toFixed(3));
      const avg = Math.min(MAX_DURATION_MS, Math.exp(durMu[f] + (durSigma * durSigma) / 2));
      d.write(`${owners[fnApp[f]]},${appIds[fnApp[f]]},${funcIds[f]},${avg.toFixed(3)},${perFunction[f]},${pct[0]},${pct[6]},${pct.join(',')}\n`);
    }
    d.close();
    const mw = new FileWriter(paths.memory);
    mw.write('HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,AverageAllocatedMb_pct100\n');
    for (let a = 0; a < A; a++) {
      const med = lognormal(rFn, memMedian, 0.5);
      const pct = MEMORY_PERCENTILES.map((p) => Math.round(med * Math.exp(0.15 * normalQuantile(p === 1 ? 0.999 : p))));
      mw.write(`${owners[a]},${appIds[a]},${M * 12},${Math.round(med)},${pct.join(',')}\n`);
    }
    mw.close();
    result.files.azure2019 = paths;
  }

  // --- per-invocation formats ---
  if (formats.has('azure2021') || formats.has('csv')) {
    const w21 = formats.has('azure2021') ? new FileWriter(join(outDir, 'azure2021.csv')) : null;
    const wcsv = formats.has('csv') ? new FileWriter(join(outDir, 'trace.csv')) : null;
    w21?.write('app,func,end_timestamp,duration\n');
    wcsv?.write('timestamp,function,duration\n');
    const ends = new ArrivalHeap(); // 2021 rows are written in end-time order
    let keys = new Float64Array(1024);
    const FN = 2 ** 26;
    const flush21 = (upTo: number): void => {
      while (ends.size > 0 && ends.minTime() <= upTo) {
        ends.pop();
        const f = ends.popFn;
        w21?.write(`${appIds[fnApp[f]]},${funcIds[f]},${usToSeconds(ends.popTime)},${usToSeconds(ends.popService)}\n`);
      }
    };
    for (let m = 0; m < M; m++) {
      let n = 0;
      for (let f = 0; f < F; f++) n += counts[f * AZURE2019_MINUTES + m];
      if (n > keys.length) keys = new Float64Array(Math.max(n, keys.length * 2));
      let j = 0;
      for (let f = 0; f < F; f++) {
        const c = counts[f * AZURE2019_MINUTES + m];
        if (c === 0) continue;
        // c+1 exponential gaps scaled to the minute: Poisson arrivals conditioned on c.
        let s = 0;
        const g: number[] = [];
        for (let i = 0; i <= c; i++) {
          const x = -Math.log(rPlace.nextOpen());
          g.push(x);
          s += x;
        }
        let a = 0;
        for (let i = 0; i < c; i++) {
          a += g[i];
          keys[j++] = Math.min(MINUTE - 1, Math.floor((a / s) * MINUTE)) * FN + f;
        }
      }
      keys.subarray(0, j).sort();
      const t0 = m * MINUTE;
      flush21(t0);
      for (let i = 0; i < j; i++) {
        const f = keys[i] % FN;
        const start = t0 + Math.floor(keys[i] / FN);
        const durUs = Math.max(1, Math.round(Math.min(MAX_DURATION_MS, Math.exp(durMu[f] + durSigma * rDur.normal())) * 1000));
        wcsv?.write(`${usToSeconds(start)},${names[f]},${usToMillis(durUs)}\n`);
        if (w21 !== null) ends.push(start + durUs, f, durUs);
      }
    }
    flush21(Infinity);
    if (w21 !== null) {
      w21.close();
      result.files.azure2021 = join(outDir, 'azure2021.csv');
    }
    if (wcsv !== null) {
      wcsv.close();
      result.files.csv = join(outDir, 'trace.csv');
    }
  }
  return result;
}
