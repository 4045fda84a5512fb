/**
 * A min-heap of pending trace arrivals (time, insertion sequence) over typed arrays, with a
 * function index and a service time per entry. Used to reorder rows that a trace file holds
 * slightly out of start-time order (e.g. Azure 2021 rows ordered by end time).
 */
export class ArrivalHeap {
  private t = new Float64Array(256);
  private s = new Float64Array(256);
  private f = new Int32Array(256);
  private d = new Float64Array(256);
  private seq = 0;
  size = 0;

  /** Earliest time (Infinity when empty). */
  minTime(): number {
    return this.size > 0 ? this.t[0] : Infinity;
  }

  push(time: number, fn: number, service: number): void {
    if (this.size === this.t.length) this.grow();
    const { t, s, f, d } = this;
    const q = this.seq++;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] < time || (t[p] === time && s[p] < q)) break;
      t[i] = t[p]; s[i] = s[p]; f[i] = f[p]; d[i] = d[p];
      i = p;
    }
    t[i] = time; s[i] = q; f[i] = fn; d[i] = service;
  }

  /** Remove the earliest entry; its fields are left in popTime / popFn / popService. */
  popTime = 0;
  popFn = 0;
  popService = 0;
  pop(): boolean {
    if (this.size === 0) return false;
    const { t, s, f, d } = this;
    this.popTime = t[0]; this.popFn = f[0]; this.popService = d[0];
    const n = --this.size;
    if (n === 0) return true;
    const lt = t[n], ls = s[n], lf = f[n], ld = d[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && (t[c + 1] < t[c] || (t[c + 1] === t[c] && s[c + 1] < s[c]))) c++;
      if (lt < t[c] || (lt === t[c] && ls < s[c])) break;
      t[i] = t[c]; s[i] = s[c]; f[i] = f[c]; d[i] = d[c];
      i = c;
    }
    t[i] = lt; s[i] = ls; f[i] = lf; d[i] = ld;
    return true;
  }

  private grow(): void {
    const n = this.t.length * 2;
    const t = new Float64Array(n); t.set(this.t); this.t = t;
    const s = new Float64Array(n); s.set(this.s); this.s = s;
    const f = new Int32Array(n); f.set(this.f); this.f = f;
    const d = new Float64Array(n); d.set(this.d); this.d = d;
  }
}
