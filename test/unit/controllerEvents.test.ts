// The controller's event recorder: a repeat within the window patches the count of the Event it wrote,
// each object gets a burst and then one event per refill interval, and a refused write is logged, not thrown.
// The API server is replaced by a recorder of requests (the integration test reads real Events).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventRecorder } from '../../src/controller/runtime/events';
import type { KubeClient } from '../../src/controller/runtime/kubeClient';
import { jsonLogger } from '../../src/controller/runtime/log';
import { Kinds } from '../../src/controller/api/kinds';

function recorder(options: { fail?: boolean; burst?: number } = {}) {
  const sent: { method: string; path: string; body: Record<string, unknown> }[] = [];
  const logs: string[] = [];
  let now = Date.parse('2026-12-03T06:00:00Z');
  const kube = {
    request: (method: string, path: string, init: { body: Record<string, unknown> }) => {
      sent.push({ method, path, body: init.body });
      return options.fail ? Promise.reject(new Error('events is forbidden')) : Promise.resolve({});
    },
  } as unknown as KubeClient;
  const events = new EventRecorder(kube, jsonLogger((l) => logs.push(l), 'debug'), { component: 'test', burst: options.burst ?? 3, refillMs: 60_000, aggregateMs: 600_000, clock: () => now });
  return { events, sent, logs, advance: (ms: number) => (now += ms), settle: () => new Promise((r) => setTimeout(r, 10)) };
}

const machine = { metadata: { name: 'm-1', namespace: 'ns', uid: 'uid-1', resourceVersion: '7' } };

describe('controller event recorder', () => {
  it('posts a new Event, then patches its count and lastTimestamp for a repeat', async () => {
    const r = recorder();
    r.events.event(Kinds.dcsMachine, machine, 'Warning', 'TaskFailed', 'clone failed (DCS 10000599)');
    r.advance(5_000);
    r.events.event(Kinds.dcsMachine, machine, 'Warning', 'TaskFailed', 'clone failed (DCS 10000599)');
    await r.settle();
    assert.deepEqual(r.sent.map((s) => s.method), ['POST', 'PATCH']);
    const [post, patch] = r.sent;
    assert.equal(post?.path, '/api/v1/namespaces/ns/events');
    assert.deepEqual(post.body.involvedObject, { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSMachine', name: 'm-1', namespace: 'ns', uid: 'uid-1', resourceVersion: '7' });
    assert.equal(patch?.path, `/api/v1/namespaces/ns/events/${(post.body.metadata as { name: string }).name}`);
    assert.deepEqual(patch.body, { count: 2, lastTimestamp: '2026-12-03T06:00:05.000Z' });
  });

  it('writes a new Event once the aggregation window has passed', async () => {
    const r = recorder();
    r.events.event(Kinds.dcsMachine, machine, 'Normal', 'VMPoweredOn', 'powered on');
    r.advance(600_001);
    r.events.event(Kinds.dcsMachine, machine, 'Normal', 'VMPoweredOn', 'powered on');
    await r.settle();
    assert.deepEqual(r.sent.map((s) => s.method), ['POST', 'POST']);
  });

  it('allows a burst per object, then one event per refill interval', async () => {
    const r = recorder({ burst: 3 });
    for (let i = 0; i < 5; i++) r.events.event(Kinds.dcsMachine, machine, 'Warning', 'TaskFailed', `failure ${i}`);
    r.events.event(Kinds.dcsMachine, { metadata: { ...machine.metadata, name: 'm-2', uid: 'uid-2' } }, 'Normal', 'IPAllocated', 'claimed');
    await r.settle();
    assert.equal(r.sent.length, 4, 'three for m-1 (its burst), one for m-2 (its own budget)');
    r.advance(60_000);
    r.events.event(Kinds.dcsMachine, machine, 'Warning', 'TaskFailed', 'failure 5');
    r.events.event(Kinds.dcsMachine, machine, 'Warning', 'TaskFailed', 'failure 6');
    await r.settle();
    assert.equal(r.sent.length, 5, 'one more after the refill interval');
    assert.ok(r.logs.some((l) => l.includes('event dropped by the rate limit')));
  });

  it('logs a refused write and never throws', async () => {
    const r = recorder({ fail: true });
    assert.doesNotThrow(() => r.events.event(Kinds.dcsCluster, machine, 'Normal', 'Connected', 'logged in'));
    await r.settle();
    assert.ok(r.logs.some((l) => l.includes('could not write an event') && l.includes('events is forbidden')));
  });
});
