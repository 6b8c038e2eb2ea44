// What the operate commands act on when started from the explorer: the owner behind a control plane or
// deployment row, the Machine behind a machine or DCS machine row, and the Cluster any of them belongs to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshot } from '../../src/explorer/model';
import type { ContextView } from '../../src/explorer/session';
import { childrenOf, type Element, type TreeSource } from '../../src/explorer/tree';
import type { KubeObject } from '../../src/kube/kinds';
import { clusterOf, machineTargetOf, ownerTargetOf } from '../../src/operate/targets';
import { byKind, clusterScenario } from './explorerFixtures';

describe('operate targets from explorer elements', () => {
  const { objects } = clusterScenario('fleet', 'demo', { cp: 1, workers: 2 });
  for (const o of objects) {
    if (o.kind === 'DCSMachine') o.metadata.ownerReferences = [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Machine', name: o.metadata.name, uid: `u-${o.metadata.name}` }];
  }
  const model = snapshot(byKind(objects), {});
  const view: ContextView = { summary: { name: 'lab', cluster: 'lab', server: undefined, isCurrent: true }, state: 'ready', reason: undefined, model };
  const source: TreeSource = { view: () => view, connect: () => undefined };
  const cache = {
    object: (_context: string, kind: string, namespace: string, name: string): KubeObject | undefined =>
      objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name),
  };
  const walk = (e: Element): Element[] => [e, ...childrenOf(source, e).flatMap(walk)];
  const all = walk({ type: 'context', context: 'lab' });
  const one = (type: Element['type'], match: (e: Element) => boolean = () => true): Element => {
    const found = all.find((e) => e.type === type && match(e));
    assert.ok(found, type);
    return found;
  };

  it('finds the control plane and the deployment behind their rows', () => {
    assert.deepEqual(ownerTargetOf(one('controlPlane')), { context: 'lab', kind: 'KubeadmControlPlane', namespace: 'fleet', name: 'demo-cp' });
    assert.deepEqual(ownerTargetOf(one('deployment')), { context: 'lab', kind: 'MachineDeployment', namespace: 'fleet', name: 'demo-md-0' });
    assert.equal(ownerTargetOf(one('cluster')), undefined);
  });

  it('finds the Machine behind a machine row and behind its DCS machine row', () => {
    assert.deepEqual(machineTargetOf(one('machine', (e) => e.type === 'machine' && e.machine.name === 'demo-md-0-1'), cache), { context: 'lab', namespace: 'fleet', name: 'demo-md-0-1' });
    assert.deepEqual(machineTargetOf(one('dcsMachine', (e) => e.type === 'dcsMachine' && e.dcs.name === 'demo-cp-0'), cache), { context: 'lab', namespace: 'fleet', name: 'demo-cp-0' });
    assert.equal(machineTargetOf(one('pool'), cache), undefined);
  });

  it('finds the Cluster of a deployment or a machine through the cache', () => {
    const cluster = { context: 'lab', namespace: 'fleet', name: 'demo' };
    assert.deepEqual(clusterOf(one('cluster'), cache), cluster);
    assert.deepEqual(clusterOf(one('deployment'), cache), cluster);
    assert.deepEqual(clusterOf(one('machine'), cache), cluster);
    assert.equal(clusterOf({ type: 'context', context: 'lab' }, cache), undefined);
  });
});
