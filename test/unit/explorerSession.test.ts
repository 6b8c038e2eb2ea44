import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { ExplorerSession } from '../../src/explorer/session';
import { Backoff } from '../../src/kube/backoff';
import { classifyFailure, KubeHttpError } from '../../src/kube/errors';
import type { KubeObject } from '../../src/kube/kinds';
import { contextFingerprint, contextKubeConfig } from '../../src/kube/kubeconfig';
import type { Informer } from '../../src/kube/listWatch';
import { clusterScenario } from './explorerFixtures';

function kubeconfig(server2 = 'https://127.0.0.1:2'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'one', server: 'https://127.0.0.1:1' }, { name: 'two', server: server2 }],
    users: [{ name: 'u', token: 'not-a-token' }],
    contexts: [{ name: 'ctx-one', cluster: 'one', user: 'u' }, { name: 'ctx-two', cluster: 'two', user: 'u' }],
    currentContext: 'ctx-one',
  });
  return kc;
}

/** Informers that serve fixed objects per context server, or fail for a kind. */
function staticInformers(objects: readonly KubeObject[], servers: string[], forbidden = new Set<string>()): (kc: KubeConfig) => (info: { kind: string }) => Informer {
  return (kc) => {
    servers.push(kc.getCurrentCluster()?.server ?? '');
    return (info) => {
      const mine = objects.filter((o) => o.kind === info.kind);
      const errors: ((e: unknown) => void)[] = [];
      return {
        on: (event: string, cb: (x?: unknown) => void) => {
          if (event === 'error') errors.push(cb);
        },
        start: () => {
          if (forbidden.has(info.kind)) for (const cb of errors) cb(new KubeHttpError(403, `${info.kind} is forbidden`));
          return Promise.resolve();
        },
        stop: () => Promise.resolve(),
        list: () => (forbidden.has(info.kind) ? [] : mine),
      } as Informer;
    };
  };
}

async function waitFor(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('explorer session', () => {
  const objects = clusterScenario('fleet', 'demo', { cp: 1, workers: 1 }).objects;

  it('lists every context when none is chosen, and connects each only when asked', async () => {
    const servers: string[] = [];
    let kc = kubeconfig();
    const session = new ExplorerSession({ loadKubeConfig: () => kc, shownContexts: () => [], informerFactory: staticInformers(objects, servers), informerOptions: { coalesceMs: 5 } });
    const state = session.state;
    assert.ok(state.kind === 'loaded');
    assert.deepEqual(state.contexts.map((c) => c.name), ['ctx-one', 'ctx-two']);
    assert.equal(session.view('ctx-two')?.state, 'idle');
    assert.deepEqual(servers, [], 'nothing connects before a context is expanded');
    const changes: (string | undefined)[] = [];
    session.onDidChange((c) => changes.push(c));
    session.connect('ctx-two');
    assert.deepEqual(servers, ['https://127.0.0.1:2'], 'the informers talk to the chosen context');
    await waitFor('a model', () => session.view('ctx-two')?.model?.clusters.length === 1);
    assert.equal(session.view('ctx-two')?.state, 'ready');
    assert.ok(changes.includes('ctx-two'));
    assert.equal(session.object('ctx-two', 'Machine', 'fleet', 'demo-md-0-0')?.metadata?.name, 'demo-md-0-0');

    // Same kubeconfig: the connection stays. A changed server: it is closed and rebuilt on the next expand.
    session.reload();
    assert.deepEqual(session.connectedContexts(), ['ctx-two']);
    kc = kubeconfig('https://127.0.0.2:2');
    session.reload();
    assert.deepEqual(session.connectedContexts(), []);
    session.dispose();
  });

  it('shows only the chosen contexts, and all of them when the choice names none that exist', () => {
    let shown = ['ctx-two'];
    const session = new ExplorerSession({ loadKubeConfig: () => kubeconfig(), shownContexts: () => shown });
    assert.deepEqual(session.state.kind === 'loaded' ? session.state.contexts.map((c) => c.name) : [], ['ctx-two']);
    shown = ['gone'];
    session.reload();
    const after = session.state;
    assert.equal(after.kind === 'loaded' ? after.contexts.length : 0, 2);
    assert.equal(session.allContexts().length, 2);
    session.dispose();
  });

  it('reports an invalid kubeconfig instead of throwing, and no kubeconfig as none', () => {
    const broken = new ExplorerSession({ loadKubeConfig: () => { throw new Error('bad YAML at line 3'); }, shownContexts: () => [] });
    assert.deepEqual(broken.state, { kind: 'invalid', message: 'bad YAML at line 3' });
    const none = new ExplorerSession({ loadKubeConfig: () => undefined, shownContexts: () => [] });
    assert.deepEqual(none.state, { kind: 'none' });
  });

  it('puts forbidden kinds into the model as problems', async () => {
    const session = new ExplorerSession({ loadKubeConfig: () => kubeconfig(), shownContexts: () => [], informerFactory: staticInformers(objects, [], new Set(['MachineDeployment'])), informerOptions: { coalesceMs: 5, recheckMs: 60_000 } });
    session.connect('ctx-one');
    await waitFor('the problem', () => session.view('ctx-one')?.model?.problems.MachineDeployment !== undefined);
    assert.equal(session.view('ctx-one')?.model?.problems.MachineDeployment?.state, 'forbidden');
    assert.equal(session.view('ctx-one')?.model?.clusters[0]?.deployments.length, 0);
    session.dispose();
  });
});

describe('kube helpers', () => {
  it('classifies API and connection failures', () => {
    assert.equal(classifyFailure(new KubeHttpError(403, 'no')).kind, 'forbidden');
    assert.equal(classifyFailure(new KubeHttpError(404, 'no')).kind, 'notFound');
    assert.equal(classifyFailure(new KubeHttpError(401, 'no')).kind, 'unauthorized');
    assert.equal(classifyFailure(new KubeHttpError(410, 'too old')).kind, 'gone');
    assert.equal(classifyFailure(new KubeHttpError(503, 'starting')).kind, 'unreachable');
    assert.equal(classifyFailure(Object.assign(new Error('Forbidden'), { statusCode: 403 })).kind, 'forbidden', 'client-node Watch errors');
    assert.equal(classifyFailure({ code: 403, body: '{}' }).kind, 'forbidden', 'client-node ApiException');
    assert.equal(classifyFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).kind, 'unreachable');
    assert.equal(classifyFailure(new Error('strange')).kind, 'other');
  });

  it('doubles the backoff up to its cap', () => {
    const b = new Backoff(100, 1000, 0);
    assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 800, 1000]);
    b.reset();
    assert.equal(b.next(), 100);
    const jittered = new Backoff(1000, 30_000, 0.2, () => 1);
    assert.equal(jittered.next(), 1200);
  });

  it('makes a KubeConfig per context and a fingerprint that follows what the context points at', () => {
    const kc = kubeconfig();
    assert.equal(contextKubeConfig(kc, 'ctx-two').getCurrentCluster()?.server, 'https://127.0.0.1:2');
    assert.throws(() => contextKubeConfig(kc, 'nope'), /not in the kubeconfig/);
    assert.equal(contextFingerprint(kc, 'ctx-two'), contextFingerprint(kubeconfig(), 'ctx-two'));
    assert.notEqual(contextFingerprint(kc, 'ctx-two'), contextFingerprint(kubeconfig('https://127.0.0.3:2'), 'ctx-two'));
  });
});
