// The only writer of DCSIpHostnamePool status (slot allocations, persistent disk records,
// counts). Changes to one pool are queued and applied in batches: every change waiting when a
// write starts goes into that one patch. Writes of a pool are paced: the next one starts no
// sooner than twice the duration of the last (at most 5 s later). A pool status write is costly
// for the API server (a 250-entry pool takes hundreds of milliseconds: list-maps and CEL rules),
// so under load fewer, larger writes keep it responsive. Each write carries the resourceVersion
// it was computed from; on 409 the pool is read again and the batch re-applied (changes are pure
// functions of the status).

import { setTimeout as delay } from 'node:timers/promises';
import type { DCSIpHostnamePool, DCSIpHostnamePoolStatus } from '../../shared/api/dcs.generated';
import { Kinds } from '../api/kinds';
import type { Informer } from '../runtime/informer';
import type { KubeClient } from '../runtime/kubeClient';
import { isConflict, isNotFound } from '../runtime/kubeErrors';
import { mergePatch } from '../runtime/objectWriter';
import { objectPath } from '../runtime/resources';
import { ProvisioningError } from './dcsInventory';

/** Changes `status` in place (it is a copy) and returns a result for its caller. */
export type PoolMutation<R> = (pool: DCSIpHostnamePool, status: DCSIpHostnamePoolStatus) => R;

interface Pending {
  readonly mutate: PoolMutation<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

const CONFLICT_RETRIES = 8;
const MAX_GAP_MS = 5_000;

export class PoolStatusWriter {
  private readonly queues = new Map<string, Pending[]>();
  private readonly running = new Set<string>();

  constructor(
    private readonly kube: KubeClient,
    private readonly informer: Informer<DCSIpHostnamePool>,
  ) {}

  update<R>(namespace: string, name: string, mutate: PoolMutation<R>): Promise<R> {
    const key = `${namespace}/${name}`;
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key) ?? [];
      queue.push({ mutate, resolve: resolve as (v: unknown) => void, reject });
      this.queues.set(key, queue);
      if (!this.running.has(key)) void this.drain(key, namespace, name);
    });
  }

  private async drain(key: string, namespace: string, name: string): Promise<void> {
    this.running.add(key);
    try {
      for (let batch = this.take(key); batch.length > 0; batch = this.take(key)) {
        const started = Date.now();
        const wrote = await this.writeBatch(namespace, name, batch).catch((err: unknown) => {
          for (const p of batch) p.reject(err);
          return false;
        });
        if (wrote && this.queues.has(key)) await delay(Math.min(MAX_GAP_MS, 2 * (Date.now() - started)));
      }
    } finally {
      this.running.delete(key);
    }
  }

  private take(key: string): Pending[] {
    const batch = this.queues.get(key) ?? [];
    this.queues.delete(key);
    return batch;
  }

  /** Applies the batch and writes it; true when a request was sent. */
  private async writeBatch(namespace: string, name: string, batch: Pending[]): Promise<boolean> {
    const path = objectPath(Kinds.dcsPool, namespace, name);
    let pool = this.informer.get(namespace, name) ?? (await this.read(path, namespace, name));
    for (let attempt = 0; ; attempt++) {
      const before = pool.status ?? {};
      const status = structuredClone(before);
      const results = batch.map((p) => {
        try {
          return { ok: true as const, value: p.mutate(pool, status) };
        } catch (err: unknown) {
          return { ok: false as const, err };
        }
      });
      Object.assign(status, countsOf(pool, status));
      const patch = mergePatch(before, status);
      try {
        if (patch !== undefined) {
          const written = await this.kube.mergePatch<DCSIpHostnamePool>(`${path}/status`, { metadata: { resourceVersion: pool.metadata.resourceVersion }, status: patch });
          this.informer.recordWrite(written);
        }
        results.forEach((r, i) => (r.ok ? batch[i]?.resolve(r.value) : batch[i]?.reject(r.err)));
        return patch !== undefined;
      } catch (err: unknown) {
        // The cache may still hold a pool that was deleted a moment ago.
        if (isNotFound(err)) throw poolNotFound(namespace, name);
        if (!isConflict(err) || attempt >= CONFLICT_RETRIES) throw err;
        pool = await this.read(path, namespace, name);
      }
    }
  }

  private async read(path: string, namespace: string, name: string): Promise<DCSIpHostnamePool> {
    try {
      const pool = await this.kube.get<DCSIpHostnamePool>(path);
      this.informer.recordWrite(pool);
      return pool;
    } catch (err: unknown) {
      if (isNotFound(err)) throw poolNotFound(namespace, name);
      throw err;
    }
  }
}

export const POOL_NOT_FOUND = 'PoolNotFound';

function poolNotFound(namespace: string, name: string): ProvisioningError {
  return new ProvisioningError(`DCSIpHostnamePool ${namespace}/${name} does not exist`, POOL_NOT_FOUND);
}

export function isPoolNotFound(err: unknown): boolean {
  return err instanceof ProvisioningError && err.reason === POOL_NOT_FOUND;
}

/** size, used and free from the spec and the allocations (allocations of removed entries do not count). */
export function countsOf(pool: DCSIpHostnamePool, status: DCSIpHostnamePoolStatus): { size: number; used: number; free: number } {
  const ips = new Set(pool.spec.pool.map((e) => e.ip));
  const size = ips.size;
  const used = (status.allocations ?? []).filter((a) => ips.has(a.ip)).length;
  return { size, used, free: Math.max(0, size - used) };
}
