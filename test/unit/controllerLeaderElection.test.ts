// Leader election against an in-memory Lease store with client-go's rules: take a free lease,
// respect a fresh holder, take over an expired one, give it up on release.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeClient, RequestInit } from '../../src/controller/runtime/kubeClient';
import { KubeApiError } from '../../src/controller/runtime/kubeErrors';
import { LeaderElector } from '../../src/controller/runtime/leaderElection';
import { jsonLogger } from '../../src/controller/runtime/log';

interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; leaseTransitions?: number };
}

/** One Lease with optimistic concurrency, as the API server keeps it. */
class LeaseStore {
  lease: Lease | undefined;
  private version = 0;

  client(): KubeClient {
    const request = (method: string, _path: string, init: RequestInit = {}): Promise<unknown> => {
      if (method === 'GET') return this.lease ? Promise.resolve(structuredClone(this.lease)) : Promise.reject(new KubeApiError(404, 'NotFound', 'not found'));
      const body = init.body as Lease;
      if (method === 'POST' && this.lease) return Promise.reject(new KubeApiError(409, 'AlreadyExists', 'already exists'));
      if (method === 'PUT' && body.metadata.resourceVersion !== this.lease?.metadata.resourceVersion) return Promise.reject(new KubeApiError(409, 'Conflict', 'conflict'));
      this.lease = { ...structuredClone(body), metadata: { ...body.metadata, resourceVersion: String(++this.version) } };
      return Promise.resolve(structuredClone(this.lease));
    };
    return { request, get: (path: string) => request('GET', path) } as unknown as KubeClient;
  }
}

const options = (identity: string) => ({ namespace: 'ns', name: 'lock', identity, leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 10 });
const silent = jsonLogger(() => undefined);

describe('LeaderElector', () => {
  it('takes a free lease, keeps others out while it is fresh, and lets one take over once it expires', async () => {
    const store = new LeaseStore();
    const clock = { now: 1_000_000 };
    const a = new LeaderElector(store.client(), options('a'), silent, () => clock.now);
    const b = new LeaderElector(store.client(), options('b'), silent, () => clock.now);
    await a.acquire(new AbortController().signal);
    assert.equal(a.isLeader, true);
    assert.equal(store.lease?.spec.holderIdentity, 'a');

    const waiting = new AbortController();
    const bTrying = b.acquire(waiting.signal);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(b.isLeader, false, 'a fresh lease is respected');

    clock.now += 3_001; // a stopped renewing; b has watched the record for longer than the duration
    await bTrying;
    assert.equal(b.isLeader, true);
    assert.equal(store.lease.spec.holderIdentity, 'b');
    assert.equal(store.lease.spec.leaseTransitions, 1);
  });

  it('releases the lease on shutdown so a standby takes over at once', async () => {
    const store = new LeaseStore();
    const clock = { now: 5_000_000 };
    const a = new LeaderElector(store.client(), options('a'), silent, () => clock.now);
    await a.acquire(new AbortController().signal);
    await a.release();
    assert.equal(a.isLeader, false);
    assert.equal(store.lease?.spec.holderIdentity, '');
    const b = new LeaderElector(store.client(), options('b'), silent, () => clock.now);
    await b.acquire(new AbortController().signal);
    assert.equal(store.lease.spec.holderIdentity, 'b', 'no need to wait for expiry');
  });

  it('gives up leadership when it cannot renew within the deadline', async () => {
    const store = new LeaseStore();
    const clock = { now: 9_000_000 };
    const a = new LeaderElector(store.client(), options('a'), silent, () => clock.now);
    await a.acquire(new AbortController().signal);
    const stolen = store.lease;
    assert.ok(stolen);
    stolen.spec.holderIdentity = 'intruder';
    stolen.metadata.resourceVersion = '999';
    const holding = a.holdLease(new AbortController().signal);
    clock.now += 2_500;
    await assert.rejects(holding, /lost the leader lease ns\/lock/);
    assert.equal(a.isLeader, false);
  });
});
