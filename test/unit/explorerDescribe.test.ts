import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { age, describeCluster } from '../../src/explorer/describe';
import { snapshot } from '../../src/explorer/model';
import { byKind, clusterScenario, T0 } from './explorerFixtures';

const NOW = Date.parse(T0) + 90 * 60_000;

function describeScenario(mdUpToDate: number): string {
  const cluster = snapshot(byKind(clusterScenario('fleet', 'demo', { cp: 3, workers: 3, mdUpToDate }).objects)).clusters[0];
  assert.ok(cluster);
  return describeCluster(cluster, 'lab', NOW);
}

describe('describe view (clusterctl describe cluster)', () => {
  it('renders the clusterctl columns and tree: infrastructure, control plane, workers', () => {
    const text = describeScenario(3);
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('NAME'));
    assert.ok(header, text);
    for (const column of ['REPLICAS', 'AVAILABLE', 'READY', 'UP TO DATE', 'STATUS', 'REASON', 'SINCE', 'MESSAGE']) assert.ok(header.includes(column), column);
    assert.match(text, /^Cluster\/demo\s+Available: True/m);
    assert.match(text, /├─ClusterInfrastructure - DCSCluster\/demo/);
    assert.match(text, /├─ControlPlane - KubeadmControlPlane\/demo-cp\s+3\/3\s+3\s+3\s+3\s+Available: True/);
    assert.match(text, /└─Workers\n\s+└─MachineDeployment\/demo-md-0/);
    assert.match(text, /3 Machines\.\.\..*See demo-cp-0, demo-cp-1, demo-cp-2/, 'same-state Machines are grouped');
    assert.match(text, /RollingOut: False/, 'conditions appear as children');
    assert.match(text, /1h/, 'SINCE is an age');
    assert.doesNotMatch(text, /rolling out/);
  });

  it('lists Machines of a rollout one by one and says what rolls out', () => {
    const text = describeScenario(1);
    assert.match(text, /rolling out MachineDeployment\/demo-md-0: 1 new · 2 old · 33%/);
    assert.match(text, /Machine\/demo-md-0-1/, 'an old Machine shows on its own line');
    assert.match(text, /UpToDate: False/);
  });

  it('formats ages like kubectl', () => {
    assert.equal(age(0, 59_000), '59s');
    assert.equal(age(0, 5 * 60_000), '5m');
    assert.equal(age(0, 3 * 3_600_000), '3h');
    assert.equal(age(0, 49 * 3_600_000), '2d');
    assert.equal(age(Number.NaN, 0), '');
  });
});
