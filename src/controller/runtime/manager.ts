// The manager: one informer per kind shared by every controller, the health and metrics
// endpoints, and leader election. Informers start on every replica (a warm cache); controllers
// start only once this replica leads (or at once without --leader-elect).

import { Controller, type ControllerMetrics } from './controller';
import { parseHostPort, serveEndpoints, type RunningServer } from './httpEndpoints';
import { Informer } from './informer';
import type { KubeClient } from './kubeClient';
import { LeaderElector, type LeaderElectionOptions } from './leaderElection';
import { errorMessage, type Logger } from './log';
import { Metrics } from './metrics';
import type { KubeObject, ResourceKind } from './resources';

export interface ManagerOptions {
  readonly client: KubeClient;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Watch one namespace; undefined = all. */
  readonly namespace: string | undefined;
  readonly healthAddr: string;
  /** '0' disables the metrics endpoint; equal to healthAddr serves both on one port. */
  readonly metricsAddr: string;
  readonly leaderElection?: LeaderElectionOptions;
}

export class Manager {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly controllers: Controller[] = [];
  private readonly servers: RunningServer[] = [];
  private readonly elector: LeaderElector | undefined;
  private readonly leaseAbort = new AbortController();
  private leaseHeld: Promise<void> | undefined;
  private ready = false;
  readonly controllerMetrics: ControllerMetrics;

  constructor(private readonly options: ManagerOptions) {
    const m = options.metrics;
    this.controllerMetrics = {
      reconciles: m.counter('capi_dcs_reconcile_total', 'Reconciles by controller and result (success, requeue_after, error).'),
      errors: m.counter('capi_dcs_reconcile_errors_total', 'Reconciles that ended in an error, by controller.'),
      durationSeconds: m.counter('capi_dcs_reconcile_duration_seconds_total', 'Time spent reconciling, by controller.'),
    };
    m.gauge('capi_dcs_workqueue_depth', 'Keys waiting in each work queue.', () =>
      this.controllers.map((c) => ({ labels: { name: c.name }, value: c.queue.length })),
    );
    m.gauge('capi_dcs_workqueue_in_flight', 'Keys being reconciled now, per work queue.', () =>
      this.controllers.map((c) => ({ labels: { name: c.name }, value: c.queue.inFlight })),
    );
    m.gauge('capi_dcs_informer_objects', 'Objects in each informer cache.', () =>
      [...this.informers.values()].map((i) => ({ labels: { resource: i.kind.plural }, value: i.size })),
    );
    m.gauge('capi_dcs_leader', '1 while this replica runs the controllers.', () => [{ labels: {}, value: this.isLeading ? 1 : 0 }]);
    m.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => [{ labels: {}, value: process.memoryUsage.rss() }]);
    if (options.leaderElection) this.elector = new LeaderElector(options.client, options.leaderElection, options.log);
  }

  get isLeading(): boolean {
    return this.elector ? this.elector.isLeader : this.ready;
  }

  /** The shared informer of a kind (created on first use). */
  informer<T extends KubeObject>(kind: ResourceKind): Informer<T> {
    const key = `${kind.group}/${kind.version}/${kind.plural}`;
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer<KubeObject>(this.options.client, kind, this.options.namespace, this.options.log);
      this.informers.set(key, informer);
    }
    return informer as unknown as Informer<T>;
  }

  add(controller: Controller): void {
    this.controllers.push(controller);
  }

  /**
   * Serves the endpoints, syncs the caches, waits for the lease, starts the controllers.
   * `onLeaseLost` is called if the lease is lost later (the caller should exit).
   */
  async start(signal: AbortSignal, onLeaseLost: (err: Error) => void): Promise<void> {
    const { healthAddr, metricsAddr, log, metrics } = this.options;
    const health = {
      '/healthz': () => ({ status: 200, body: 'ok\n' }),
      '/readyz': () => (this.ready ? { status: 200, body: 'ok\n' } : { status: 503, body: 'informers not synced\n' }),
    };
    const metricRoute = { '/metrics': () => ({ status: 200, body: metrics.render(), contentType: 'text/plain; version=0.0.4; charset=utf-8' }) };
    // One server for both when the same fixed address is given (port 0 means two free ports).
    const both = metricsAddr === healthAddr && parseHostPort(healthAddr).port !== 0;
    const healthServer = await serveEndpoints(healthAddr, both ? { ...health, ...metricRoute } : health);
    this.servers.push(healthServer);
    log.info('serving health endpoints', { address: healthServer.address, metrics: both });
    if (!both && metricsAddr !== '0') {
      const metricsServer = await serveEndpoints(metricsAddr, metricRoute);
      this.servers.push(metricsServer);
      log.info('serving metrics', { address: metricsServer.address });
    }

    for (const informer of this.informers.values()) informer.start();
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
    this.ready = true;
    log.info('caches synced', { informers: this.informers.size });

    if (this.elector) {
      await this.elector.acquire(signal);
      this.leaseHeld = this.elector.holdLease(this.leaseAbort.signal).catch((err: unknown) => {
        onLeaseLost(err instanceof Error ? err : new Error(String(err)));
      });
    }
    for (const controller of this.controllers) controller.start();
    log.info('controllers started', { controllers: this.controllers.map((c) => c.name).join(',') });
  }

  /** Finishes in-flight reconciles, releases the lease, stops watches and endpoints. */
  async stop(): Promise<void> {
    const { log } = this.options;
    await Promise.all(this.controllers.map((c) => c.stop()));
    this.leaseAbort.abort();
    await this.leaseHeld;
    await this.elector?.release();
    await Promise.all([...this.informers.values()].map((i) => i.stop().catch((err: unknown) => log.warn('informer stop failed', { error: errorMessage(err) }))));
    await Promise.all(this.servers.map((s) => s.close()));
    this.options.client.close();
  }
}
