// The API server stops in the middle of a watch and comes back on the same address: the explorer shows the
// outage (an "Unreachable" item above the last known clusters) and recovers by itself, re-listing after
// the new server answers the old resourceVersion with 410 Gone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { ExplorerSession } from '../../src/explorer/session';
import { childrenOf, type Element } from '../../src/explorer/tree';
import { Backoff } from '../../src/kube/backoff';
import { loadKubeConfig } from '../../src/kube/kubeconfig';
import { listWatchFactory } from '../../src/kube/listWatch';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { clusterScenario } from '../unit/explorerFixtures';
import { applyAll, applyStatus, ensureNamespace, loadKubeconfig, restartableApiServer, waitUntil, type RestartableApiServer } from './explorerLab';

const NS = 'fleet';
const CONTEXT = 'capi-dcs-lab';

describe('cluster explorer through an API server outage', () => {
  let plane: ManagementPlane;
  let admin: KubeConfig;
  let apiserver: RestartableApiServer;
  let session: ExplorerSession;
  const lists = new Map<string, number>();
  const scenario = clusterScenario(NS, 'beta', { cp: 1, workers: 2, mdUpToDate: 1 });
  const md = scenario.objects.find((o) => o.kind === 'MachineDeployment');

  before(async () => {
    plane = await startManagementPlane({ crds: true });
    admin = loadKubeconfig(plane.kubeconfigPath);
    apiserver = restartableApiServer(plane, admin);
    await ensureNamespace(admin, NS);
    await applyAll(admin, scenario.objects);
    session = new ExplorerSession({
      loadKubeConfig: () => loadKubeConfig(plane.kubeconfigPath),
      shownContexts: () => [],
      informerFactory: (kc) => listWatchFactory(kc, { onList: (info) => lists.set(info.kind, (lists.get(info.kind) ?? 0) + 1) }),
      // Shorter backoff than the product's 1 s..30 s so the test does not wait long for the next try.
      informerOptions: { coalesceMs: 50, backoff: () => new Backoff(200, 2_000) },
    });
    session.connect(CONTEXT);
    await waitUntil('the model', () => session.view(CONTEXT)?.state === 'ready' && session.view(CONTEXT)?.model?.clusters[0]?.deployments[0]?.replicas.upToDate === 1, 30_000);
  });

  after(async () => {
    session.dispose();
    await apiserver.dispose();
    await plane.stop();
  });

  it('shows the outage with the last known clusters, then recovers by itself', async () => {
    assert.ok(md?.status);
    const listsBefore = lists.get('MachineDeployment') ?? 0;
    assert.equal(listsBefore, 1);

    await apiserver.stop();
    const noticed = await waitUntil('the outage to show', () => session.view(CONTEXT)?.state === 'unreachable', 20_000);
    console.log(`[outage] noticed ${noticed} ms after kube-apiserver exited`);
    const view = session.view(CONTEXT);
    assert.match(view?.reason ?? '', /^connection (lost|refused)/);
    const root: Element = { type: 'context', context: CONTEXT };
    const items = childrenOf(session, root).map((e) => (e.type === 'message' ? e.label : e.type === 'cluster' ? e.cluster.name : e.type));
    assert.deepEqual(items, ['Unreachable, retrying', 'beta'], 'the outage item sits above the last known cluster');

    const restarted = Date.now();
    await apiserver.start();
    const recovered = await waitUntil('recovery', () => session.view(CONTEXT)?.state === 'ready', 30_000);
    console.log(`[outage] kube-apiserver ready after ${Date.now() - restarted - recovered} ms; explorer recovered ${recovered} ms later`);
    assert.deepEqual(childrenOf(session, root).map((e) => e.type), ['cluster']);

    // The watch is live again: a change after the restart reaches the model.
    await applyStatus(admin, md, { ...md.status, upToDateReplicas: 2 });
    await waitUntil('the change after the restart', () => session.view(CONTEXT)?.model?.clusters[0]?.deployments[0]?.replicas.upToDate === 2, 20_000);
    assert.equal(session.view(CONTEXT)?.model?.clusters[0]?.deployments[0]?.rollout.oldMachines, 0);
    // The new server's watch cache starts after the informer's last resourceVersion: it answers 410 Gone
    // and the informer lists again (once) instead of failing or polling.
    assert.equal(lists.get('MachineDeployment'), 2, 're-listed once after 410 Gone');
  });
});
