/**
 * A node's container image store: least-recently-used eviction within a byte capacity,
 * with images in use by containers pinned (kubelet image GC never removes an image a
 * container uses; platform-semantics.md §c.5 kubelet defaults). Iteration order is the
 * Map's insertion order, so eviction is deterministic.
 */

/** LRU image cache with pinning. */
export class ImageCache {
  /** name → bytes, least recently used first. */
  private readonly images = new Map<string, number>();
  private readonly pins = new Map<string, number>();
  private used = 0;
  /** Images evicted so far. */
  evictions = 0;

  constructor(readonly capacityBytes: number) {
    if (!(capacityBytes > 0)) throw new RangeError(`ImageCache: capacityBytes: expected > 0, found ${capacityBytes}`);
  }

  /** Bytes held. */
  get usedBytes(): number {
    return this.used;
  }

  /** Number of images held. */
  get size(): number {
    return this.images.size;
  }

  /** True when pinned images alone exceed the capacity (kubelet would report disk pressure). */
  get overCapacity(): boolean {
    return this.used > this.capacityBytes;
  }

  has(image: string): boolean {
    return this.images.has(image);
  }

  /** Images from least to most recently used. */
  list(): string[] {
    return [...this.images.keys()];
  }

  /** Mark an image as just used (most recently used). Returns false if absent. */
  touch(image: string): boolean {
    const b = this.images.get(image);
    if (b === undefined) return false;
    this.images.delete(image);
    this.images.set(image, b);
    return true;
  }

  /**
   * Insert (or refresh) an image of `bytes`, evicting unpinned least-recently-used images
   * until it fits. Returns the evicted names. Throws when the image alone exceeds the capacity.
   */
  add(image: string, bytes: number): string[] {
    if (!(bytes >= 0)) throw new RangeError(`ImageCache.add("${image}"): bytes: expected ≥ 0, found ${bytes}`);
    if (bytes > this.capacityBytes) {
      throw new RangeError(`ImageCache.add("${image}"): expected an image of at most the cache capacity ${this.capacityBytes} bytes, found ${bytes}`);
    }
    const old = this.images.get(image);
    if (old !== undefined) {
      this.used -= old;
      this.images.delete(image);
    }
    const evicted: string[] = [];
    if (this.used + bytes > this.capacityBytes) {
      for (const [name, b] of this.images) {
        if (this.used + bytes <= this.capacityBytes) break;
        if ((this.pins.get(name) ?? 0) > 0) continue;
        this.images.delete(name);
        this.used -= b;
        evicted.push(name);
      }
    }
    this.images.set(image, bytes);
    this.used += bytes;
    this.evictions += evicted.length;
    return evicted;
  }

  /** Pin an image (a container uses it); pins nest. */
  pin(image: string): void {
    this.pins.set(image, (this.pins.get(image) ?? 0) + 1);
  }

  /** Release one pin. */
  unpin(image: string): void {
    const n = this.pins.get(image) ?? 0;
    if (n <= 1) this.pins.delete(image);
    else this.pins.set(image, n - 1);
  }

  isPinned(image: string): boolean {
    return (this.pins.get(image) ?? 0) > 0;
  }
}
