// Remembers loaded values for a while and shares one load between concurrent callers, so that a
// thousand machines resolving the same template or datastore cause one DCS request, not a storm.

interface Entry<V> {
  readonly value: Promise<V>;
  readonly expiresAt: number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached value, or the result of `load` (cached only when `keep` accepts it). */
  get(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    const value = load();
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    value.then(
      (v) => {
        if (!keep(v)) this.drop(key, value);
      },
      () => this.drop(key, value),
    );
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private drop(key: string, value: Promise<V>): void {
    if (this.entries.get(key)?.value === value) this.entries.delete(key);
  }
}
