/**
 * DDM, drift detection method (Gama et al. 2004) on a 0/1 error stream, as River's
 * `drift.binary.DDM(warm_start=30, warning_threshold=2.0, drift_threshold=3.0)`
 * (platform-semantics.md g.2): p_i = running error rate, s_i = √(p_i(1−p_i)/i); once
 * i ≥ warmStart, track (p_min, s_min) at the minimum of p+s; warning if
 * p_i + s_i > p_min + 2·s_min, drift if > p_min + 3·s_min. Resets on the update after a drift.
 */

export interface DdmParams {
  warmStart: number;
  warningThreshold: number;
  driftThreshold: number;
}

/** River defaults (g.2). */
export const DDM_DEFAULTS: DdmParams = { warmStart: 30, warningThreshold: 2, driftThreshold: 3 };

export class Ddm {
  readonly params: DdmParams;
  driftDetected = false;
  warningDetected = false;
  private n = 0;
  private errors = 0;
  private pMin = Infinity;
  private sMin = Infinity;
  private psMin = Infinity;

  constructor(params: Partial<DdmParams> = {}) {
    this.params = { ...DDM_DEFAULTS, ...params };
  }

  reset(): void {
    this.n = 0;
    this.errors = 0;
    this.pMin = Infinity;
    this.sMin = Infinity;
    this.psMin = Infinity;
    this.driftDetected = false;
    this.warningDetected = false;
  }

  /** Feed one outcome (1 = error, 0 = correct); returns true on drift. */
  update(x: number): boolean {
    if (x !== 0 && x !== 1) throw new RangeError(`DDM: expected a 0/1 error indicator, found ${x}`);
    if (this.driftDetected) this.reset();
    this.n++;
    this.errors += x;
    const p = this.errors / this.n;
    const s = Math.sqrt((p * (1 - p)) / this.n);
    this.warningDetected = false;
    if (this.n >= this.params.warmStart) {
      if (p + s <= this.psMin) {
        this.pMin = p;
        this.sMin = s;
        this.psMin = p + s;
      }
      if (p + s > this.pMin + this.params.driftThreshold * this.sMin) this.driftDetected = true;
      else if (p + s > this.pMin + this.params.warningThreshold * this.sMin) this.warningDetected = true;
    }
    return this.driftDetected;
  }
}
