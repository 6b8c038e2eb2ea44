// The controller's work queue and token bucket: de-duplication, one reconcile per key at a time,
// delayed adds, per-key exponential backoff and the overall rate limit.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from '../../src/controller/runtime/tokenBucket';
import { WorkQueue } from '../../src/controller/runtime/workQueue';

const limits = { baseDelayMs: 100, maxDelayMs: 1_000, qps: 1_000, burst: 1_000 };

describe('WorkQueue', () => {
  it('hands out each key once however often it was added', async () => {
    const q = new WorkQueue(limits);
    q.add('a');
    q.add('b');
    q.add('a');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(q.length, 0);
  });

  it('never hands out a key being processed; an add meanwhile queues it again after done', async () => {
    const q = new WorkQueue(limits);
    q.add('a');
    const key = await q.get();
    assert.equal(key, 'a');
    q.add('a');
    assert.equal(q.length, 0, 'not handed to a second worker while in flight');
    q.done('a');
    assert.equal(q.length, 1);
    assert.equal(await q.get(), 'a');
  });

  it('wakes a waiting worker on add', async () => {
    const q = new WorkQueue(limits);
    const waiting = q.get();
    q.add('x');
    assert.equal(await waiting, 'x');
    assert.equal(q.inFlight, 1);
  });

  it('keeps the earliest of several delayed adds', async () => {
    // Delay timers do not keep a process alive (the controller's servers do); this one stands in.
    const keepAlive = setTimeout(() => undefined, 10_000);
    const q = new WorkQueue(limits);
    const started = Date.now();
    q.addAfter('k', 5_000);
    q.addAfter('k', 30);
    q.addAfter('k', 3_000);
    assert.equal(await q.get(), 'k');
    assert.ok(Date.now() - started < 1_000);
    q.shutDown();
    clearTimeout(keepAlive);
  });

  it('doubles the retry delay of a failing key up to the maximum, and forgets it after a success', () => {
    const q = new WorkQueue(limits);
    const delays = [1, 2, 3, 4, 5].map(() => q.addRateLimited('k'));
    assert.deepEqual(delays, [100, 200, 400, 800, 1_000]);
    assert.equal(q.numRequeues('k'), 5);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
    assert.equal(q.addRateLimited('k'), 100);
    assert.equal(q.addRateLimited('other'), 100, 'keys back off independently');
    q.shutDown();
  });

  it('limits rate-limited requeues overall: a mass failure is spread out', () => {
    const clock = { now: 0 };
    const q = new WorkQueue({ baseDelayMs: 1, maxDelayMs: 1_000, qps: 10, burst: 2 }, () => clock.now);
    const delays = ['a', 'b', 'c', 'd'].map((k) => q.addRateLimited(k));
    assert.deepEqual(delays, [1, 1, 100, 200]);
    q.shutDown();
  });

  it('returns undefined to waiting workers on shutdown and ignores later adds', async () => {
    const q = new WorkQueue(limits);
    const waiting = q.get();
    q.shutDown();
    assert.equal(await waiting, undefined);
    q.add('late');
    assert.equal(q.length, 0);
    assert.equal(await q.get(), undefined);
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then one token per 1/qps seconds', () => {
    const clock = { now: 0 };
    const bucket = new TokenBucket(2, 3, () => clock.now);
    assert.deepEqual([bucket.reserve(), bucket.reserve(), bucket.reserve()], [0, 0, 0]);
    assert.equal(bucket.reserve(), 500);
    clock.now += 2_000;
    assert.equal(bucket.reserve(), 0, 'refilled while idle');
  });

  it('never limits when qps is 0', () => {
    const bucket = new TokenBucket(0, 0);
    assert.equal(bucket.reserve(), 0);
    assert.equal(bucket.reserve(), 0);
  });
});
