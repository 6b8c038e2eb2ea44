// A token bucket: `qps` tokens per second, at most `burst` saved up. Used to cap the rate of
// Kubernetes API requests and of rate-limited requeues, so that a mass failure cannot become a
// request storm.

import { setTimeout as delay } from 'node:timers/promises';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = clock();
  }

  /** Reserves one token; returns how long the caller must wait before using it (0 = now). */
  reserve(): number {
    if (this.qps <= 0) return 0;
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  /** Waits for a token. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await delay(wait, undefined, { signal });
  }
}
