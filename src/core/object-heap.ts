/**
 * A small binary min-heap of objects ordered by a comparator; ties are broken by
 * insertion order so that equal keys pop first-in first-out.
 */
export class ObjectHeap<T> {
  private items: T[] = [];
  private seqs: number[] = [];
  private seq = 0;

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items, seqs = this.seqs;
    const s = this.seq++;
    let i = items.length;
    items.push(item);
    seqs.push(s);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(item, s, items[p], seqs[p])) break;
      items[i] = items[p]; seqs[i] = seqs[p];
      i = p;
    }
    items[i] = item; seqs[i] = s;
  }

  pop(): T | undefined {
    const items = this.items, seqs = this.seqs;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop() as T;
    const lastSeq = seqs.pop() as number;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && this.before(items[c + 1], seqs[c + 1], items[c], seqs[c])) c++;
        if (!this.before(items[c], seqs[c], last, lastSeq)) break;
        items[i] = items[c]; seqs[i] = seqs[c];
        i = c;
      }
      items[i] = last; seqs[i] = lastSeq;
    }
    return top;
  }

  /** Remove one item (linear search); returns whether it was present. */
  remove(item: T): boolean {
    const i = this.items.indexOf(item);
    if (i < 0) return false;
    const rest = this.items.map((it, k) => [it, this.seqs[k]] as const).filter((_, k) => k !== i);
    rest.sort((a, b) => (this.before(a[0], a[1], b[0], b[1]) ? -1 : 1));
    this.items = rest.map((r) => r[0]);
    this.seqs = rest.map((r) => r[1]);
    return true;
  }

  private before(a: T, sa: number, b: T, sb: number): boolean {
    if (this.less(a, b)) return true;
    if (this.less(b, a)) return false;
    return sa < sb;
  }
}
