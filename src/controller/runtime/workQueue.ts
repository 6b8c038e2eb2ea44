// A work queue of object keys with client-go's semantics: a key waits at most once (adds
// de-duplicate), a key being processed is never handed out again until `done` (it is queued
// again afterwards if it was added meanwhile), delayed adds keep the earliest time, and failed
// keys come back after a per-key exponential backoff combined with an overall token bucket.

import { TokenBucket } from './tokenBucket';

export interface RateLimitOptions {
  /** First retry delay of a key; doubles with every failure. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Overall limit on rate-limited (failure) requeues across keys. */
  readonly qps: number;
  readonly burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { baseDelayMs: 500, maxDelayMs: 300_000, qps: 10, burst: 100 };

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private readonly bucket: TokenBucket;
  private shuttingDown = false;

  constructor(
    private readonly limits: RateLimitOptions = DEFAULT_RATE_LIMIT,
    private readonly clock: () => number = Date.now,
  ) {
    this.bucket = new TokenBucket(limits.qps, limits.burst, clock);
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
    } else {
      this.queue.push(key);
    }
  }

  /** Adds the key after `ms`; an earlier pending add wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock() + ms;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** Adds the key after its backoff; returns the delay chosen. */
  addRateLimited(key: string): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    const backoff = Math.min(this.limits.maxDelayMs, this.limits.baseDelayMs * 2 ** Math.min(failures, 30));
    const delayMs = Math.max(backoff, this.bucket.reserve());
    this.addAfter(key, delayMs);
    return delayMs;
  }

  /** Clears the key's failure count (after a success). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key, or undefined once shut down. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /** Keys waiting to be processed (not those in flight or delayed). */
  get length(): number {
    return this.queue.length;
  }

  get inFlight(): number {
    return this.processing.size;
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }
}
