// Leader election with a coordination.k8s.io/v1 Lease, as client-go does it: a candidate takes
// the lease when it is free or its holder has not renewed it for leaseDuration (measured on the
// candidate's own clock from when it last saw the record change), the leader renews it every
// retryPeriod and gives up when it could not renew for renewDeadline. On shutdown the leader
// releases the lease so a successor need not wait.

import { setTimeout as delay } from 'node:timers/promises';
import type { KubeClient } from './kubeClient';
import { isConflict, isNotFound } from './kubeErrors';
import { errorMessage, type Logger } from './log';
import { objectPath, collectionPath, type ResourceKind } from './resources';

export const LeaseKind: ResourceKind = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease' };

export interface LeaderElectionOptions {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: LeaseSpec;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private observedRecord = '';
  private observedAt = 0;
  private current: Lease | undefined;
  private leading = false;

  constructor(
    private readonly client: KubeClient,
    private readonly options: LeaderElectionOptions,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /** Resolves once this process holds the lease (or rejects when `signal` aborts). */
  async acquire(signal: AbortSignal): Promise<void> {
    this.log.info('waiting for the leader lease', { lease: `${this.options.namespace}/${this.options.name}`, identity: this.options.identity });
    while (!(await this.tryAcquireOrRenew())) {
      await delay(this.jittered(this.options.retryPeriodMs), undefined, { signal });
    }
    this.leading = true;
    this.log.info('became leader', { lease: `${this.options.namespace}/${this.options.name}`, identity: this.options.identity });
  }

  /** Renews until `signal` aborts (resolves) or renewing fails past the deadline (rejects). */
  async holdLease(signal: AbortSignal): Promise<void> {
    let lastRenew = this.clock();
    const aborted = (): boolean => signal.aborted;
    while (!aborted()) {
      await delay(this.options.retryPeriodMs, undefined, { signal }).catch(() => undefined);
      if (aborted()) return;
      if (await this.tryAcquireOrRenew()) {
        lastRenew = this.clock();
      } else if (this.clock() - lastRenew > this.options.renewDeadlineMs) {
        this.leading = false;
        throw new Error(`lost the leader lease ${this.options.namespace}/${this.options.name}: not renewed for ${this.options.renewDeadlineMs} ms`);
      }
    }
  }

  /** Gives the lease up (leader only), so that another replica takes over at once. */
  async release(): Promise<void> {
    if (!this.leading || !this.current) return;
    this.leading = false;
    const lease: Lease = { ...this.current, spec: { ...this.current.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.clock()) } };
    try {
      await this.client.request('PUT', objectPath(LeaseKind, this.options.namespace, this.options.name), { body: lease });
      this.log.info('released the leader lease', { lease: `${this.options.namespace}/${this.options.name}` });
    } catch (err: unknown) {
      this.log.warn('could not release the leader lease', { error: errorMessage(err) });
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.options;
    const now = this.clock();
    const durationSeconds = Math.max(1, Math.ceil(this.options.leaseDurationMs / 1000));
    let existing: Lease;
    try {
      existing = await this.client.get<Lease>(objectPath(LeaseKind, namespace, name));
    } catch (err: unknown) {
      if (!isNotFound(err)) {
        this.log.warn('could not read the leader lease', { error: errorMessage(err) });
        return false;
      }
      const lease: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
      };
      return this.write('POST', collectionPath(LeaseKind, namespace), lease);
    }
    const record = JSON.stringify(existing.spec);
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedAt = now;
    }
    const holder = existing.spec.holderIdentity ?? '';
    const heldFor = (existing.spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (holder !== '' && holder !== identity && this.observedAt + heldFor > now) return false;
    const ours = holder === identity;
    const lease: Lease = {
      ...existing,
      spec: {
        holderIdentity: identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: ours ? existing.spec.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: (existing.spec.leaseTransitions ?? 0) + (ours ? 0 : 1),
      },
    };
    return this.write('PUT', objectPath(LeaseKind, namespace, name), lease);
  }

  private async write(method: 'POST' | 'PUT', path: string, lease: Lease): Promise<boolean> {
    try {
      this.current = await this.client.request<Lease>(method, path, { body: lease });
      this.observedRecord = JSON.stringify(this.current.spec);
      this.observedAt = this.clock();
      return true;
    } catch (err: unknown) {
      if (!isConflict(err) && !(err instanceof Error && err.message.includes('already exists'))) {
        this.log.warn('could not write the leader lease', { error: errorMessage(err) });
      }
      return false;
    }
  }

  private jittered(ms: number): number {
    return ms + Math.floor(Math.random() * ms * 0.2);
  }
}
