/**
 * ADWIN, adaptive windowing drift detector (Bifet & Gavaldà 2007) as River implements it
 * (platform-semantics.md g.2: `ADWIN(delta=0.002, clock=32, max_buckets=5,
 * min_window_length=5, grace_period=10)`, current Rust core):
 * - the window is an exponential histogram: row i holds buckets of 2^i elements, at most
 *   `maxBuckets` per row (the two oldest of a full row merge into the next row);
 * - every `clock` updates, once width > gracePeriod, every bucket boundary (oldest row
 *   first, oldest entry first; every entry of every row) is a candidate cut with
 *   n0, n1 ≥ minWindowLength; drift if |μ0 − μ1| > ε, with δ' = ln(2·ln(W)/δ),
 *   m⁻¹ = 1/(n0−mwl+1) + 1/(n1−mwl+1), ε = √(2·m⁻¹·σ²_W·δ') + (2/3)·δ'·m⁻¹;
 *   on a cut the oldest bucket is dropped and the scan repeats;
 * - the update after the one that reported drift resets the whole detector (River's
 *   `ADWIN` wrapper).
 */

export interface AdwinParams {
  delta: number;
  clock: number;
  maxBuckets: number;
  minWindowLength: number;
  gracePeriod: number;
}

/** River defaults (g.2). */
export const ADWIN_DEFAULTS: AdwinParams = { delta: 0.002, clock: 32, maxBuckets: 5, minWindowLength: 5, gracePeriod: 10 };

interface Row {
  total: Float64Array;
  variance: Float64Array;
  count: number;
}

export class Adwin {
  readonly params: AdwinParams;
  /** True when the last update detected a change. */
  driftDetected = false;
  private rows: Row[] = [];
  private widthN = 0;
  private totalSum = 0;
  private varianceSum = 0;
  private tick = 0;

  constructor(params: Partial<AdwinParams> = {}) {
    this.params = { ...ADWIN_DEFAULTS, ...params };
    const p = this.params;
    if (!(p.delta > 0 && p.delta < 1)) throw new RangeError(`ADWIN delta: expected a number in (0, 1), found ${p.delta}`);
    for (const k of ['clock', 'maxBuckets', 'minWindowLength'] as const) {
      if (!Number.isInteger(p[k]) || p[k] < 1) throw new RangeError(`ADWIN ${k}: expected an integer >= 1, found ${p[k]}`);
    }
    this.reset();
  }

  /** Forget everything. */
  reset(): void {
    this.rows = [this.newRow()];
    this.widthN = 0;
    this.totalSum = 0;
    this.varianceSum = 0;
    this.tick = 0;
    this.driftDetected = false;
  }

  /** Number of elements in the window. */
  get width(): number {
    return this.widthN;
  }

  /** Mean of the window. */
  get estimation(): number {
    return this.widthN > 0 ? this.totalSum / this.widthN : 0;
  }

  /** Population variance of the window. */
  get variance(): number {
    return this.widthN > 0 ? this.varianceSum / this.widthN : 0;
  }

  /** Add one value; returns true when a change is detected on this update. */
  update(x: number): boolean {
    if (this.driftDetected) this.reset();
    this.tick++;
    this.insert(x);
    this.driftDetected = this.detect();
    return this.driftDetected;
  }

  private newRow(): Row {
    const k = this.params.maxBuckets + 1;
    return { total: new Float64Array(k), variance: new Float64Array(k), count: 0 };
  }

  private insert(x: number): void {
    const r = this.rows[0];
    r.total[r.count] = x;
    r.variance[r.count] = 0;
    r.count++;
    this.widthN++;
    const w = this.widthN;
    if (w > 1) {
      const d = x - this.totalSum / (w - 1);
      this.varianceSum += ((w - 1) * d * d) / w;
    }
    this.totalSum += x;
    this.compress();
  }

  private compress(): void {
    const max = this.params.maxBuckets;
    for (let idx = 0; ; idx++) {
      const row = this.rows[idx];
      if (row.count !== max + 1) break;
      if (idx + 1 >= this.rows.length) this.rows.push(this.newRow());
      const next = this.rows[idx + 1];
      const n1 = 2 ** idx;
      const mu1 = row.total[0] / n1;
      const mu2 = row.total[1] / n1;
      const v12 = row.variance[0] + row.variance[1] + (n1 * n1 * (mu1 - mu2) * (mu1 - mu2)) / (2 * n1);
      next.total[next.count] = row.total[0] + row.total[1];
      next.variance[next.count] = v12;
      next.count++;
      shiftRow(row, 2);
      if (next.count <= max) break;
    }
  }

  private detect(): boolean {
    const p = this.params;
    if (this.tick % p.clock !== 0 || this.widthN <= p.gracePeriod) return false;
    let change = false;
    let reduce = true;
    while (reduce) {
      reduce = false;
      let n0 = 0;
      let n1 = this.widthN;
      let u0 = 0;
      let u1 = this.totalSum;
      scan: for (let idx = this.rows.length - 1; idx >= 0; idx--) {
        const row = this.rows[idx];
        const n2 = 2 ** idx;
        for (let k = 0; k < row.count; k++) {
          const u2 = row.total[k];
          n0 += n2;
          n1 -= n2;
          u0 += u2;
          u1 -= u2;
          if (n1 < p.minWindowLength) break scan;
          if (n0 >= p.minWindowLength && this.cut(n0, n1, u0, u1)) {
            reduce = true;
            change = true;
            if (this.widthN > 0) this.deleteOldest();
            break scan;
          }
        }
      }
    }
    return change;
  }

  private cut(n0: number, n1: number, u0: number, u1: number): boolean {
    const p = this.params;
    const dMean = u0 / n0 - u1 / n1;
    const dPrime = Math.log((2 * Math.log(this.widthN)) / p.delta);
    const mRecip = 1 / (n0 - p.minWindowLength + 1) + 1 / (n1 - p.minWindowLength + 1);
    const eps = Math.sqrt(2 * mRecip * (this.varianceSum / this.widthN) * dPrime) + (2 / 3) * dPrime * mRecip;
    return Math.abs(dMean) > eps;
  }

  private deleteOldest(): void {
    const last = this.rows.length - 1;
    const row = this.rows[last];
    const n = 2 ** last;
    const u = row.total[0];
    const v = row.variance[0];
    this.widthN -= n;
    this.totalSum -= u;
    if (this.widthN > 0) {
      const d = u / n - this.totalSum / this.widthN;
      this.varianceSum -= v + (n * this.widthN * d * d) / (n + this.widthN);
    } else {
      this.varianceSum = 0;
    }
    shiftRow(row, 1);
    if (row.count === 0 && this.rows.length > 1) this.rows.pop();
  }
}

function shiftRow(row: Row, k: number): void {
  row.total.copyWithin(0, k, row.count);
  row.variance.copyWithin(0, k, row.count);
  row.count -= k;
}
