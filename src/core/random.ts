/**
 * Seeded random streams (DESIGN.md rule 2). One root seed per run; every stochastic
 * source draws from its own named substream whose seed is derived from (root seed, name),
 * so adding a new consumer never changes the draws of existing ones.
 *
 * Generator: seedrandom's Alea (fast, good statistical quality, 2^116 period).
 */
import seedrandom from 'seedrandom';

/** A stream of uniform random numbers with a few convenience draws. */
export class RandomStream {
  private readonly prng: () => number;
  private spareNormal = NaN;

  constructor(readonly name: string, seedText: string) {
    this.prng = seedrandom.alea(seedText);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform in (0, 1]: safe for logarithms. */
  nextOpen(): number {
    return 1 - this.prng();
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.prng());
  }

  /** Standard normal (Marsaglia polar method; caches the second value). */
  normal(): number {
    const s = this.spareNormal;
    if (s === s) {
      this.spareNormal = NaN;
      return s;
    }
    let u: number, v: number, r: number;
    do {
      u = 2 * this.prng() - 1;
      v = 2 * this.prng() - 1;
      r = u * u + v * v;
    } while (r >= 1 || r === 0);
    const f = Math.sqrt((-2 * Math.log(r)) / r);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Pick one element uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.prng() * items.length)];
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}

/** Factory of named substreams derived from one root seed. */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();

  constructor(readonly rootSeed: number | string) {}

  /** The substream with this name (created on first use; the same object afterwards). */
  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = new RandomStream(name, `servesim:${String(this.rootSeed)}:${name}`);
      this.streams.set(name, s);
    }
    return s;
  }
}
