import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Backoff } from '../../src/kube/backoff';
import { KubeHttpError } from '../../src/kube/errors';
import { InformerSet } from '../../src/kube/informers';
import type { KindInfo, KubeObject, WatchedKind } from '../../src/kube/kinds';
import type { Informer, InformerFactory } from '../../src/kube/listWatch';

type Handler = (arg?: unknown) => void;

/** An informer whose start() does what the test says; it reports errors the way client-node's does. */
class FakeInformer implements Informer {
  readonly handlers = new Map<string, Handler[]>();
  readonly objects = new Map<string, KubeObject>();
  starts = 0;
  stopped = false;

  constructor(
    readonly kind: WatchedKind,
    readonly version: string,
    private readonly onStart: (self: FakeInformer) => void,
  ) {}

  on(event: 'add' | 'update' | 'delete', cb: (obj: KubeObject) => void): void;
  on(event: 'error' | 'connect', cb: (err?: unknown) => void): void;
  on(event: string, cb: ((obj: KubeObject) => void) | Handler): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), cb as Handler]);
  }

  start(): Promise<void> {
    this.starts++;
    this.stopped = false;
    this.onStart(this);
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }

  list(): KubeObject[] {
    return [...this.objects.values()];
  }

  add(name: string): void {
    const o: KubeObject = { kind: this.kind, metadata: { name, namespace: 'ns' } };
    this.objects.set(name, o);
    for (const cb of this.handlers.get('add') ?? []) cb(o);
  }

  fail(error: unknown): void {
    for (const cb of this.handlers.get('error') ?? []) cb(error);
  }
}

function fakes(onStart: (self: FakeInformer) => void): { factory: InformerFactory; made: FakeInformer[] } {
  const made: FakeInformer[] = [];
  const factory: InformerFactory = (info: KindInfo, version: string) => {
    const informer = new FakeInformer(info.kind, version, onStart);
    made.push(informer);
    return informer;
  };
  return { factory, made };
}

const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });

async function waitFor(what: string, probe: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const options = { coalesceMs: 20, recheckMs: 40, backoff: () => new Backoff(10, 40, 0) };

describe('InformerSet', () => {
  it('coalesces a burst of events into one change', async () => {
    const { factory, made } = fakes(() => undefined);
    const set = new InformerSet(factory, options);
    set.start();
    await waitFor('ready', () => set.state === 'ready');
    await waitFor('the sync change', () => set.changes >= 1);
    const before = set.changes;
    const machines = made.find((m) => m.kind === 'Machine');
    assert.ok(machines);
    for (let i = 0; i < 100; i++) machines.add(`m${i}`);
    await waitFor('a change', () => set.changes > before);
    // A later event as a sentinel: had the burst made more than one change, the count would pass before + 2.
    machines.add('sentinel');
    await waitFor('the sentinel change', () => set.objects().Machine.length === 101 && set.changes > before + 1);
    assert.equal(set.changes, before + 2, '100 events, one change');
    assert.equal(set.objects().Machine.length, 101);
    set.dispose();
  });

  it('passes a lone event on at once, then at most one change per window', async () => {
    let clock = 0;
    const { factory, made } = fakes(() => undefined);
    const set = new InformerSet(factory, { ...options, coalesceMs: 300, now: () => clock });
    set.start();
    await waitFor('ready', () => set.state === 'ready' && set.changes >= 1);
    const machines = made.find((m) => m.kind === 'Machine');
    assert.ok(machines);
    clock += 10_000; // a quiet spell
    const before = set.changes;
    let t = Date.now();
    machines.add('first');
    await waitFor('the first change', () => set.changes > before);
    assert.ok(Date.now() - t < 200, `a lone event waits ${Date.now() - t} ms`);
    t = Date.now();
    machines.add('second');
    machines.add('third');
    await waitFor('the throttled change', () => set.changes > before + 1);
    assert.ok(Date.now() - t >= 250, `events right after a change wait for the window (${Date.now() - t} ms)`);
    assert.equal(set.changes, before + 2);
    assert.equal(set.objects().Machine.length, 3);
    set.dispose();
  });

  it('marks a forbidden kind, keeps the others, and tries the kind again later', async () => {
    let allowed = false;
    const { factory, made } = fakes((self) => {
      if (self.kind === 'Machine' && !allowed) self.fail(new KubeHttpError(403, 'machines.cluster.x-k8s.io is forbidden: User "u" cannot list'));
      else self.add('x');
    });
    const set = new InformerSet(factory, options);
    set.start();
    await waitFor('ready', () => set.state === 'ready');
    assert.equal(set.status('Machine').state, 'forbidden');
    assert.match(set.status('Machine').message ?? '', /forbidden/);
    assert.equal(set.status('Cluster').state, 'synced');
    assert.equal(set.objects().Cluster.length, 1);
    allowed = true;
    await waitFor('the recheck', () => set.status('Machine').state === 'synced');
    assert.ok(made.filter((m) => m.kind === 'Machine').length >= 2, 'a fresh informer for the recheck');
    set.dispose();
  });

  it('falls back to v1beta1 when v1beta2 is not served, and reports a kind nobody serves', async () => {
    const { factory } = fakes((self) => {
      if (self.kind === 'MachineSet' && self.version === 'v1beta2') self.fail(new KubeHttpError(404, 'the server could not find the requested resource'));
      if (self.kind === 'DCSMachine') self.fail(new KubeHttpError(404, 'not found'));
    });
    const set = new InformerSet(factory, options);
    set.start();
    await waitFor('ready', () => set.state === 'ready');
    assert.deepEqual(set.status('MachineSet'), { state: 'synced', version: 'v1beta1' });
    assert.equal(set.status('DCSMachine').state, 'notInstalled');
    assert.equal(set.status('Machine').version, 'v1beta2');
    set.dispose();
  });

  it('goes unreachable on connection errors and recovers with backoff, keeping its cache', async () => {
    let down = true;
    const { factory, made } = fakes((self) => {
      if (down) self.fail(refused());
      else if (self.objects.size === 0) self.add('c1');
    });
    const logs: string[] = [];
    const set = new InformerSet(factory, { ...options, log: (_level, message) => logs.push(message) });
    set.start();
    await waitFor('unreachable', () => set.state === 'unreachable');
    assert.match(set.unreachableReason ?? '', /ECONNREFUSED/);
    const cluster = made.find((m) => m.kind === 'Cluster');
    await waitFor('two retries', () => (cluster?.starts ?? 0) >= 3);
    down = false;
    await waitFor('ready again', () => set.state === 'ready');
    await waitFor('the recovery log line', () => logs.some((l) => l.startsWith('reachable again')));
    assert.deepEqual(logs.filter((l) => l.startsWith('unreachable')).length, 1, `one line per outage, not per kind or retry: ${logs.join(' | ')}`);
    assert.equal(made.filter((m) => m.kind === 'Cluster').length, 1, 'the same informer restarts (resumes from its resourceVersion)');
    assert.equal(set.objects().Cluster.length, 1);

    // A watch that breaks later: unreachable, then back by itself; the cache survives the outage.
    down = true;
    cluster?.fail(refused());
    assert.equal(set.state, 'unreachable');
    assert.equal(set.objects().Cluster.length, 1, 'the last known objects stay visible');
    down = false;
    await waitFor('ready after the outage', () => set.state === 'ready');
    set.dispose();
  });

  it('stops every informer on dispose and ignores what they report afterwards', async () => {
    const { factory, made } = fakes(() => undefined);
    const set = new InformerSet(factory, options);
    set.start();
    await waitFor('ready', () => set.state === 'ready');
    set.dispose();
    assert.equal(set.state, 'stopped');
    assert.ok(made.every((m) => m.stopped));
    made[0]?.fail(refused());
    assert.equal(set.state, 'stopped');
  });

  it('lists everything again on restart', async () => {
    const { factory, made } = fakes((self) => {
      self.add('a');
    });
    const set = new InformerSet(factory, options);
    set.start();
    await waitFor('ready', () => set.state === 'ready');
    set.restart();
    await waitFor('ready again', () => set.state === 'ready');
    assert.equal(made.filter((m) => m.kind === 'Cluster').length, 2);
    assert.ok(made.find((m) => m.kind === 'Cluster')?.stopped);
    set.dispose();
  });
});
