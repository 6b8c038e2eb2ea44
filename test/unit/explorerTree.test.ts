import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as L from '../../src/explorer/labels';
import { snapshot } from '../../src/explorer/model';
import type { ContextModel, KindProblem } from '../../src/explorer/modelTypes';
import type { ContextView } from '../../src/explorer/session';
import { clusterTargetOf, liveTargetOf } from '../../src/explorer/targets';
import { childrenOf, elementId, type Element, type TreeSource } from '../../src/explorer/tree';
import type { WatchedKind } from '../../src/kube/kinds';
import { byKind, clusterScenario, T0 } from './explorerFixtures';

function source(view: Partial<ContextView>): TreeSource & { connected: string[] } {
  const connected: string[] = [];
  const full: ContextView = { summary: { name: 'lab', cluster: 'lab', server: 'https://127.0.0.1:6443', isCurrent: true }, state: 'ready', reason: undefined, model: undefined, ...view };
  return { connected, view: (name) => (name === 'lab' ? full : undefined), connect: (name) => connected.push(name) };
}

function model(problems: Partial<Record<WatchedKind, KindProblem>> = {}, mdUpToDate = 3): ContextModel {
  return snapshot(byKind(clusterScenario('fleet', 'demo', { cp: 1, workers: 3, mdUpToDate }).objects), problems);
}

const labelOf = (e: Element): string => {
  switch (e.type) {
    case 'message':
      return `message:${e.label}`;
    case 'cluster':
      return `cluster:${e.cluster.name}`;
    default:
      return e.type;
  }
};

/** Every element of the tree, depth first. */
function walk(src: TreeSource, e: Element): Element[] {
  return [e, ...childrenOf(src, e).flatMap((c) => walk(src, c))];
}

describe('explorer tree', () => {
  const root: Element = { type: 'context', context: 'lab' };

  it('connects a context when it is expanded and shows Connecting… until data arrives', () => {
    const src = source({ state: 'connecting' });
    assert.deepEqual(childrenOf(src, root).map(labelOf), ['message:Connecting…']);
    assert.deepEqual(src.connected, ['lab']);
  });

  it('shows an unreachable server first, then the last known clusters', () => {
    const src = source({ state: 'unreachable', reason: 'connect ECONNREFUSED 127.0.0.1:6443', model: model() });
    const children = childrenOf(src, root);
    assert.deepEqual(children.map(labelOf), ['message:Unreachable, retrying', 'cluster:demo']);
    const first = children[0];
    assert.equal(first?.type === 'message' ? first.detail : undefined, 'connect ECONNREFUSED 127.0.0.1:6443');
  });

  it('turns a forbidden kind into a clear item at the context and where the kind would appear', () => {
    const forbidden: KindProblem = { state: 'forbidden', message: 'machinedeployments.cluster.x-k8s.io is forbidden: User "x" cannot list' };
    const src = source({ model: model({ MachineDeployment: forbidden }) });
    const top = childrenOf(src, root);
    assert.deepEqual(top.map(labelOf), ['message:MachineDeployments: access denied', 'cluster:demo']);
    const cluster = top[1];
    assert.ok(cluster);
    const groups = childrenOf(src, cluster);
    assert.deepEqual(groups.map((g) => g.type), ['controlPlane', 'deployments', 'infrastructure', 'conditions']);
    const deployments = groups[1];
    assert.ok(deployments);
    const inside = childrenOf(src, deployments);
    assert.equal(inside.length, 1);
    assert.equal(inside[0]?.type === 'message' ? inside[0].detail : '', 'RBAC does not let you list machinedeployments.cluster.x-k8s.io');
  });

  it('puts a rollout row first under a deployment in a rollout, then its Machines with DCSMachine and conditions', () => {
    const src = source({ model: model({}, 1) });
    const all = walk(src, root);
    const md = all.find((e) => e.type === 'deployment');
    assert.ok(md);
    const children = childrenOf(src, md);
    assert.deepEqual(children.map((c) => c.type), ['rollout', 'machine', 'machine', 'machine', 'conditions']);
    const rollout = children[0];
    assert.ok(rollout?.type === 'rollout');
    assert.deepEqual(L.rolloutRow(rollout.owner), { label: 'Rollout 33%', description: '1 new · 2 old · 33%' });
    const machine = children[1];
    assert.ok(machine?.type === 'machine');
    assert.equal(machine.inRollout, true);
    assert.deepEqual(childrenOf(src, machine).map((c) => c.type), ['dcsMachine', 'conditions']);
    assert.equal(L.machineDescription(machine.machine, Date.parse(T0) + 120_000, true), 'new · Running · v1.34.2 · demo-md-0-0 · 127.0.10.11');
  });

  it('gives every element a unique id and a target for the context menu', () => {
    const all = walk(source({ model: model({}, 1) }), root);
    const ids = all.map(elementId);
    assert.equal(new Set(ids).size, ids.length, 'duplicate ids');
    assert.ok(all.length > 40);
    const pool = all.find((e) => e.type === 'slot');
    assert.deepEqual(pool && liveTargetOf(pool), { context: 'lab', kind: 'DCSIpHostnamePool', namespace: 'fleet', name: 'demo-pool' });
    const cp = all.find((e) => e.type === 'controlPlane');
    assert.deepEqual(cp && clusterTargetOf(cp), { context: 'lab', namespace: 'fleet', name: 'demo' });
    assert.equal(liveTargetOf(root), undefined);
  });

  it('describes control planes and deployments with their counters and rollout state', () => {
    const m = model({}, 1);
    const c = m.clusters[0];
    assert.ok(c?.controlPlane);
    assert.equal(L.replicatedDescription(c.controlPlane, false), 'demo-cp · 1 ready · 1 updated / 1 · v1.34.2 · rolled out');
    const md = c.deployments[0];
    assert.ok(md);
    assert.equal(L.replicatedDescription(md, false), '3/3 replicas · 1 updated · 3 ready · 3 available · v1.34.2 · rolling out 33%');
    assert.match(L.replicatedDescription(md, true), /stuck 33%$/);
    assert.match(L.replicatedTooltip(md, false), /Rolling out/);
    assert.equal(L.clusterDescription(c), 'fleet · v1.34.2 · Provisioned · ready');
    assert.equal(L.md('a_b*c'), 'a\\_b\\*c');
  });
});
