/**
 * Page–Hinkley change detector, River's two forms (platform-semantics.md g.2,
 * `PageHinkley(min_instances=30, delta=0.005, threshold=50, alpha=1−0.0001)`):
 * - 'both' / 'up' / 'down' (current River, default 'both'): from the first update
 *   s_inc = α·s_inc + (x − x̄) − δ and s_dec = α·s_dec + (x − x̄) + δ, no clamp, tracking
 *   min(s_inc) and max(s_dec); once n ≥ minInstances, drift if s_inc − min(s_inc) > λ (up)
 *   or max(s_dec) − s_dec > λ (down), strictly;
 * - 'legacy-up' (older River): S = max(0, α·S + (x − x̄ − δ)), drift if n ≥ minInstances and
 *   S ≥ λ; upward changes only.
 * x̄ includes the current value. The detector resets after a drift (on the next update).
 */

export type PageHinkleyMode = 'both' | 'up' | 'down' | 'legacy-up';

export interface PageHinkleyParams {
  minInstances: number;
  delta: number;
  threshold: number;
  alpha: number;
  mode: PageHinkleyMode;
}

/** River defaults (g.2). */
export const PAGE_HINKLEY_DEFAULTS: PageHinkleyParams = {
  minInstances: 30,
  delta: 0.005,
  threshold: 50,
  alpha: 1 - 0.0001,
  mode: 'both',
};

export class PageHinkley {
  readonly params: PageHinkleyParams;
  driftDetected = false;
  private n = 0;
  private mean = 0;
  private sInc = 0;
  private sDec = 0;
  private minInc = Infinity;
  private maxDec = -Infinity;

  constructor(params: Partial<PageHinkleyParams> = {}) {
    this.params = { ...PAGE_HINKLEY_DEFAULTS, ...params };
    if (!(this.params.threshold > 0)) throw new RangeError(`Page-Hinkley threshold: expected > 0, found ${this.params.threshold}`);
    if (!(this.params.alpha > 0 && this.params.alpha <= 1)) throw new RangeError(`Page-Hinkley alpha: expected in (0, 1], found ${this.params.alpha}`);
  }

  reset(): void {
    this.n = 0;
    this.mean = 0;
    this.sInc = 0;
    this.sDec = 0;
    this.minInc = Infinity;
    this.maxDec = -Infinity;
    this.driftDetected = false;
  }

  /** Cumulative statistic(s) for inspection: [up, down] test values. */
  get statistic(): [number, number] {
    return this.params.mode === 'legacy-up' ? [this.sInc, 0] : [this.sInc - this.minInc, this.maxDec - this.sDec];
  }

  update(x: number): boolean {
    if (this.driftDetected) this.reset();
    const p = this.params;
    this.n++;
    this.mean += (x - this.mean) / this.n;
    let drift = false;
    if (p.mode === 'legacy-up') {
      this.sInc = Math.max(0, p.alpha * this.sInc + (x - this.mean - p.delta));
      drift = this.n >= p.minInstances && this.sInc >= p.threshold;
    } else {
      this.sInc = p.alpha * this.sInc + (x - this.mean) - p.delta;
      this.sDec = p.alpha * this.sDec + (x - this.mean) + p.delta;
      if (this.sInc < this.minInc) this.minInc = this.sInc;
      if (this.sDec > this.maxDec) this.maxDec = this.sDec;
      if (this.n >= p.minInstances) {
        const up = this.sInc - this.minInc > p.threshold;
        const down = this.maxDec - this.sDec > p.threshold;
        drift = p.mode === 'up' ? up : p.mode === 'down' ? down : up || down;
      }
    }
    this.driftDetected = drift;
    return drift;
  }
}
