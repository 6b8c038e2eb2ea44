// One controller: a work queue of keys and N workers calling a reconcile function. A result
// with `requeueAfterMs` forgets the key's failures and schedules it again; a thrown error is
// logged and the key comes back after its backoff. A failed reconcile never ends the process.

import { errorMessage, type Logger } from './log';
import type { Counter } from './metrics';
import { DEFAULT_RATE_LIMIT, WorkQueue, type RateLimitOptions } from './workQueue';

export interface ReconcileResult {
  /** Reconcile again after this long (polling DCS tasks, waiting for a pool slot). */
  readonly requeueAfterMs?: number;
}

export type ReconcileFn = (key: string) => Promise<ReconcileResult>;

export interface ControllerMetrics {
  readonly reconciles: Counter;
  readonly errors: Counter;
  readonly durationSeconds: Counter;
}

export interface ControllerOptions {
  readonly name: string;
  readonly concurrency: number;
  readonly log: Logger;
  readonly metrics: ControllerMetrics;
  readonly rateLimit?: RateLimitOptions;
}

export const done: ReconcileResult = {};
export const requeueAfter = (ms: number): ReconcileResult => ({ requeueAfterMs: ms });

export class Controller {
  readonly queue: WorkQueue;
  private workers: Promise<void>[] = [];
  private started = false;

  constructor(
    private readonly options: ControllerOptions,
    private readonly reconcile: ReconcileFn,
  ) {
    this.queue = new WorkQueue(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  }

  get name(): string {
    return this.options.name;
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.workers = Array.from({ length: Math.max(1, this.options.concurrency) }, () => this.work());
  }

  /** Stops handing out keys and waits for the reconciles in flight. */
  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      await this.process(key);
    }
  }

  private async process(key: string): Promise<void> {
    const { name, log, metrics } = this.options;
    const started = performance.now();
    try {
      const result = await this.reconcile(key);
      if (log.enabled('debug')) {
        const [namespace, objectName] = key.split('/');
        log.debug('reconciled', { controller: name, namespace, name: objectName, ms: Math.round(performance.now() - started), requeueAfterMs: result.requeueAfterMs });
      }
      this.queue.forget(key);
      metrics.reconciles.inc({ controller: name, result: result.requeueAfterMs === undefined ? 'success' : 'requeue_after' });
      if (result.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
    } catch (err: unknown) {
      const retryInMs = this.queue.addRateLimited(key);
      metrics.reconciles.inc({ controller: name, result: 'error' });
      metrics.errors.inc({ controller: name });
      const [namespace, objectName] = key.split('/');
      log.error('reconcile failed', { controller: name, namespace, name: objectName, error: errorMessage(err), retryInMs, attempt: this.queue.numRequeues(key) });
    } finally {
      metrics.durationSeconds.inc({ controller: name }, (performance.now() - started) / 1000);
      this.queue.done(key);
    }
  }
}
