import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/engine/rules';
import { cluster, POOLS, TEMPLATES } from '../../fixtures/engine-cluster';
import { check, ids } from './helpers';

const base = { 'file:///pools.yaml': POOLS, 'file:///templates.yaml': TEMPLATES };

function clusterProblems(knobs: Parameters<typeof cluster>[0] = {}, extra: Record<string, string> = {}) {
  return check({ ...base, ...extra, 'file:///cluster.yaml': cluster(knobs) }, 'file:///cluster.yaml');
}

describe('cross-document rules', () => {
  it('every rule has a unique id, a severity and a description', () => {
    const seen = new Set<string>();
    for (const r of rules) {
      assert.match(r.id, /^[a-z][a-z0-9-]+$/);
      assert.ok(!seen.has(r.id), `duplicate rule id ${r.id}`);
      seen.add(r.id);
      assert.ok(r.description.length > 10);
    }
  });

  it('a consistent cluster has no problem except the single control plane note', () => {
    assert.deepEqual(ids(clusterProblems()), ['kcp-single-replica']);
    assert.deepEqual(ids(check({ ...base, 'file:///cluster.yaml': cluster() }, 'file:///pools.yaml')), []);
  });

  it('ref-not-found: a MachineDeployment points to a template nobody defines', () => {
    const found = clusterProblems({ mdInfraName: 'demo-wk-v2' }).filter((p) => p.ruleId === 'ref-not-found');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.text, 'demo-wk-v2');
    assert.match(found[0].message, /DCSMachineTemplate "demo-wk-v2" in namespace ns/);
    assert.equal(found[0].severity, 'warning');
  });

  it('ref-wrong-kind: infrastructureRef of a MachineDeployment names a DCSMachine', () => {
    const found = clusterProblems({ mdInfraKind: 'DCSMachine' }).filter((p) => p.ruleId === 'ref-wrong-kind');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.text, 'DCSMachine');
    assert.match(found[0].message, /must point to a DCSMachineTemplate/);
  });

  it('ref-wrong-version: a v1beta1 ref asks for the DCS kinds as v1beta2', () => {
    const text = `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata: {name: demo, namespace: ns}
spec:
  infrastructureRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DCSCluster, name: demo}
`;
    const found = check({ 'file:///c.yaml': text }, 'file:///c.yaml').filter((p) => p.ruleId === 'ref-wrong-version');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.text, 'infrastructure.cluster.x-k8s.io/v1beta2');
  });

  it('cluster-name: the template clusterName disagrees with spec.clusterName', () => {
    const found = clusterProblems({ templateClusterName: 'other' }).filter((p) => p.ruleId === 'cluster-name');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.text, 'other');
  });

  it('cluster-not-found: clusterName names no Cluster', () => {
    const found = clusterProblems({ mdClusterName: 'ghost' }).filter((p) => p.ruleId === 'cluster-not-found');
    assert.equal(found.length, 1);
    assert.match(found[0]?.message ?? '', /No Cluster "ghost"/);
  });

  it('version-format: a version without the v prefix', () => {
    const found = clusterProblems({ mdVersion: '1.34.2' }).filter((p) => p.ruleId === 'version-format');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.text, '1.34.2');
  });

  it('version-skew: workers newer than the control plane, or more than three minors behind', () => {
    const newer = clusterProblems({ mdVersion: 'v1.35.0' }).filter((p) => p.ruleId === 'version-skew');
    assert.equal(newer.length, 1);
    assert.match(newer[0]?.message ?? '', /must not be newer/);
    const newerPatch = clusterProblems({ mdVersion: 'v1.34.3' }).filter((p) => p.ruleId === 'version-skew');
    assert.equal(newerPatch.length, 1);
    const old = clusterProblems({ mdVersion: 'v1.30.1' }).filter((p) => p.ruleId === 'version-skew');
    assert.equal(old.length, 1);
    assert.match(old[0]?.message ?? '', /at most 3 minor/);
    assert.deepEqual(clusterProblems({ mdVersion: 'v1.34.1' }).filter((p) => p.ruleId === 'version-skew'), []);
  });

  it('kubeadm-minor-skew: workers one minor behind cannot scale up', () => {
    const found = clusterProblems({ mdVersion: 'v1.33.4' }).filter((p) => p.ruleId === 'kubeadm-minor-skew');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.severity, 'warning');
  });

  it('kcp-replicas-odd: two control-plane machines with stacked etcd', () => {
    const found = clusterProblems({ kcpReplicas: 2 }).filter((p) => p.ruleId === 'kcp-replicas-odd');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.text, '2');
    assert.deepEqual(clusterProblems({ kcpReplicas: 3 }).filter((p) => p.ruleId.startsWith('kcp-')), []);
  });

  it('pool-exhausted and pool-surge-capacity: more machines than pool entries', () => {
    const files = { ...base, 'file:///cluster.yaml': cluster({ mdReplicas: 4 }) };
    const exhausted = check(files, 'file:///pools.yaml').filter((p) => p.ruleId === 'pool-exhausted');
    assert.equal(exhausted.length, 1);
    assert.match(exhausted[0]?.message ?? '', /3 entries for 4 machines/);
    const surge = check({ ...base, 'file:///cluster.yaml': cluster({ mdReplicas: 3 }) }, 'file:///pools.yaml').filter(
      (p) => p.ruleId === 'pool-surge-capacity',
    );
    assert.equal(surge.length, 1);
    assert.deepEqual(
      check({ ...base, 'file:///cluster.yaml': cluster({ mdReplicas: 3, mdMaxSurge: 0 }) }, 'file:///pools.yaml').map((p) => p.ruleId),
      [],
    );
  });

  it('pool capacity is not judged while replicas is a clusterctl variable', () => {
    const files = { ...base, 'file:///cluster.yaml': cluster({ mdReplicas: '${WORKER_MACHINE_COUNT}' }) };
    assert.deepEqual(ids(check(files, 'file:///pools.yaml')), []);
  });

  it('pool-address-shared: two pools claim the same IP', () => {
    const other = POOLS.replace('demo-cp-pool', 'other-pool').replace('demo-wk-pool', 'other-wk-pool').replaceAll('demo-', 'x-');
    const found = check({ 'file:///pools.yaml': POOLS, 'file:///other.yaml': other }, 'file:///other.yaml').filter(
      (p) => p.ruleId === 'pool-address-shared',
    );
    assert.equal(found.length, 5);
    assert.equal(found[0]?.text, '"127.0.10.11"');
  });

  it('persistent-disk-surge: persistent disks with maxSurge 1', () => {
    const pools = POOLS.replace(
      'machineName: demo-wk-1}',
      'machineName: demo-wk-1, persistentDisk: [{slot: 0, quantityGB: 10, datastoreName: ds-gold, path: /var/cpaas}]}',
    );
    const found = check({ ...base, 'file:///pools.yaml': pools, 'file:///cluster.yaml': cluster() }, 'file:///pools.yaml');
    assert.deepEqual(ids(found), ['persistent-disk-surge']);
    assert.match(found[0]?.message ?? '', /MachineDeployment demo-md-0/);
  });

  it('template-edited-in-place: a referenced template spec changed since the baseline', () => {
    const changed = TEMPLATES.replace('vmTemplateName: alaudaos-v4.3.2-x86\n      ipHostPoolRef: {name: demo-wk-pool}', 'vmTemplateName: alaudaos-v4.4.0-x86\n      ipHostPoolRef: {name: demo-wk-pool}');
    assert.notEqual(changed, TEMPLATES);
    const files = { ...base, 'file:///templates.yaml': changed, 'file:///cluster.yaml': cluster() };
    const found = check(files, 'file:///templates.yaml', {}, { 'file:///templates.yaml': TEMPLATES }).filter(
      (p) => p.ruleId === 'template-edited-in-place',
    );
    assert.equal(found.length, 1);
    assert.equal(found[0]?.text, 'spec');
    assert.match(found[0].message, /MachineDeployment demo-md-0/);
    // Unchanged: nothing to say.
    assert.deepEqual(
      check({ ...base, 'file:///cluster.yaml': cluster() }, 'file:///templates.yaml', {}, { 'file:///templates.yaml': TEMPLATES }).map((p) => p.ruleId),
      [],
    );
  });

  it('data-on-template-disk: a data path on a template disk', () => {
    const withData = TEMPLATES.replace(
      '- {systemVolume: true, quantity: 0, datastoreName: ds-gold}\n---',
      '- {systemVolume: true, quantity: 0, datastoreName: ds-gold}\n        - {path: /data, quantity: 50, datastoreName: ds-gold}\n---',
    );
    const found = check({ 'file:///t.yaml': withData }, 'file:///t.yaml').filter((p) => p.ruleId === 'data-on-template-disk');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.text, '/data');
  });

  it('duplicate-object: the same template defined differently in two files', () => {
    const copy = TEMPLATES.replace('alaudaos-v4.3.2-x86', 'alaudaos-v4.4.0-x86');
    const found = check({ ...base, 'file:///copy.yaml': copy }, 'file:///copy.yaml').filter((p) => p.ruleId === 'duplicate-object');
    assert.equal(found.length, 1);
    assert.match(found[0]?.message ?? '', /DCSMachineTemplate "demo-cp-v1" in namespace ns is also defined, differently, in templates\.yaml/);
    // Identical copies apply the same way: nothing to say (a Namespace repeated in two bundles).
    assert.deepEqual(check({ ...base, 'file:///same.yaml': TEMPLATES }, 'file:///same.yaml').map((p) => p.ruleId), []);
  });

  it('deprecated-api-version: CAPI v1beta1 kinds', () => {
    const text = 'apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: a}\n';
    const found = check({ 'file:///c.yaml': text }, 'file:///c.yaml');
    assert.deepEqual(ids(found), ['deprecated-api-version']);
    assert.equal(found[0]?.text, 'cluster.x-k8s.io/v1beta1');
  });

  it('a severity setting changes or silences a rule', () => {
    const warned = check({ ...base, 'file:///cluster.yaml': cluster({ kcpReplicas: 2 }) }, 'file:///cluster.yaml', {
      severities: { 'kcp-replicas-odd': 'warning' },
    });
    assert.equal(warned.find((p) => p.ruleId === 'kcp-replicas-odd')?.severity, 'warning');
    const silenced = check({ ...base, 'file:///cluster.yaml': cluster({ kcpReplicas: 2 }) }, 'file:///cluster.yaml', {
      severities: { 'kcp-replicas-odd': 'off' },
    });
    assert.equal(silenced.find((p) => p.ruleId === 'kcp-replicas-odd'), undefined);
  });
});
