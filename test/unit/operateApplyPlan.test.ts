// The apply's pure parts: manifest text to ordered objects and problems, the API server's refusals turned
// into field paths and managers, and the live-vs-result comparison behind the diff.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiFailure, describeFailure } from '../../src/operate/apiErrors';
import { applyRank, planApply } from '../../src/operate/applyPlan';
import { comparable, diffTexts, isUnchanged } from '../../src/operate/diff';
import { formatFieldPath, parseFieldPath, resolveFieldPath } from '../../src/operate/fieldPath';
import type { KubeObject } from '../../src/operate/objectApi';
import { EXAMPLE_URI, exampleText } from './operateFixtures';

describe('planApply', () => {
  it('orders the example cluster: namespace, credentials, pools and templates before what points to them', () => {
    const plan = planApply([{ uri: EXAMPLE_URI, text: exampleText() }]);
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(
      plan.objects.map((p) => `${p.object.kind}/${p.object.metadata.name}`),
      [
        'Namespace/cpaas-system',
        'Secret/dcs-lab-b',
        'DCSIpHostnamePool/lab-b-cp-pool',
        'DCSIpHostnamePool/lab-b-worker-pool',
        'DCSMachineTemplate/lab-b-cp-k8s1345',
        'DCSMachineTemplate/lab-b-wk-k8s1345',
        'KubeadmConfigTemplate/lab-b-worker-kct',
        'DCSCluster/lab-b',
        'KubeadmControlPlane/lab-b-kcp',
        'Cluster/lab-b',
        'MachineDeployment/lab-b-md-0',
      ],
    );
    assert.equal(plan.objects[0]?.key, '/Namespace//cpaas-system');
  });

  it('puts unknown kinds last and keeps file order within a rank', () => {
    assert.ok(applyRank('ClusterResourceSet') > applyRank('MachineDeployment'));
    const text = ['apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}', 'apiVersion: x/v1\nkind: Widget\nmetadata: {name: w}', 'apiVersion: v1\nkind: Secret\nmetadata: {name: a}'].join('\n---\n');
    assert.deepEqual(planApply([{ uri: 'u', text }]).objects.map((p) => p.object.metadata.name), ['b', 'a', 'w']);
  });

  it('reports documents that cannot be applied, with where they are', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}',
      'kind: ConfigMap\nmetadata: {name: no-version}',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "${CLUSTER_NAME}-cm"}',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [broken',
    ].join('\n---\n');
    const plan = planApply([{ uri: 'file:///a.yaml', text, offset: 100 }]);
    assert.deepEqual(plan.objects.map((p) => p.object.metadata.name), ['ok']);
    const messages = plan.problems.map((p) => p.message);
    assert.ok(messages.slice(0, -3).every((m) => m.startsWith('YAML: ')) && messages.length > 3, messages.join('\n'));
    assert.match(messages.at(-3) ?? '', /no apiVersion/);
    assert.match(messages.at(-2) ?? '', /\$\{CLUSTER_NAME\} is a clusterctl variable/);
    assert.match(messages.at(-1) ?? '', /defined twice/);
    assert.ok(plan.problems.every((p) => p.source.uri === 'file:///a.yaml' && p.source.offset === 100));
  });
});

describe('field paths', () => {
  it('parses indexes, keys with dots in brackets, and keyed-list selectors', () => {
    assert.deepEqual(parseFieldPath('spec.pool[0].persistentDisk[1].slot'), ['spec', 'pool', 0, 'persistentDisk', 1, 'slot']);
    assert.deepEqual(parseFieldPath('.metadata.labels[cluster.x-k8s.io/cluster-name]'), ['metadata', 'labels', 'cluster.x-k8s.io/cluster-name']);
    assert.deepEqual(parseFieldPath('.spec.kubeletExtraArgs[name="node-ip"].value'), ['spec', 'kubeletExtraArgs', { key: 'name', value: 'node-ip' }, 'value']);
    assert.equal(formatFieldPath(['spec', 'pool', 0, 'ip']), 'spec.pool[0].ip');
  });

  it('resolves selectors to indexes of the object and stops where the object ends', () => {
    const object = { spec: { args: [{ name: 'a', value: '1' }, { name: 'node-ip', value: '2' }] } };
    assert.deepEqual(resolveFieldPath(object, parseFieldPath('.spec.args[name="node-ip"].value')), ['spec', 'args', 1, 'value']);
    assert.deepEqual(resolveFieldPath(object, parseFieldPath('.spec.args[name="none"].value')), ['spec', 'args']);
  });
});

describe('ApiFailure', () => {
  it('reads CEL and schema refusals (422) with their field paths', () => {
    const body = JSON.stringify({
      kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422,
      message: 'DCSIpHostnamePool.infrastructure.cluster.x-k8s.io "bad-pool" is invalid: [...]',
      details: { causes: [
        { reason: 'FieldValueInvalid', message: 'Invalid value: -1: spec.pool[0].persistentDisk[0].slot in body should be greater than or equal to 0', field: 'spec.pool[0].persistentDisk[0].slot' },
        { reason: 'FieldValueInvalid', message: 'Invalid value: exactly one of datastoreName or datastoreClusterName must be set', field: 'spec.pool[0].persistentDisk[0]' },
      ] },
    });
    const failure = ApiFailure.fromResponse(422, body);
    assert.equal(failure.reason, 'invalid');
    assert.deepEqual(failure.fields.map((f) => f.segments), [['spec', 'pool', 0, 'persistentDisk', 0, 'slot'], ['spec', 'pool', 0, 'persistentDisk', 0]]);
    assert.equal(
      describeFailure(failure),
      'spec.pool[0].persistentDisk[0].slot: invalid value -1: should be greater than or equal to 0; spec.pool[0].persistentDisk[0]: exactly one of datastoreName or datastoreClusterName must be set',
    );
  });

  it('reads server-side apply conflicts with their managers', () => {
    const body = '{"kind":"Status","status":"Failure","message":"Apply failed with 1 conflict: conflict with \\"probe\\": .spec.replicas","reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \\"probe\\"","field":".spec.replicas"}]},"code":409}';
    const failure = ApiFailure.fromResponse(409, body);
    assert.equal(failure.reason, 'conflict');
    assert.deepEqual(failure.conflicts, [{ field: '.spec.replicas', segments: ['spec', 'replicas'], manager: 'probe' }]);
    assert.equal(describeFailure(failure), 'fields owned by another manager: spec.replicas (probe)');
  });

  it('reads unknown fields from strict validation and RBAC refusals', () => {
    const unknown = ApiFailure.fromResponse(500, '{"kind":"Status","status":"Failure","message":"failed to create typed patch object (cpaas-system/unk; infrastructure.cluster.x-k8s.io/v1beta1, Kind=DCSCluster): .spec.sitex: field not declared in schema","code":500}');
    assert.equal(unknown.reason, 'invalid');
    assert.deepEqual(unknown.fields.map((f) => [f.field, f.segments]), [['spec.sitex', ['spec', 'sitex']]]);
    const forbidden = ApiFailure.fromResponse(403, '{"kind":"Status","message":"kubeadmcontrolplanes.controlplane.cluster.x-k8s.io \\"x\\" is forbidden: User \\"u\\" cannot patch resource","reason":"Forbidden","code":403}');
    assert.equal(forbidden.reason, 'forbidden');
    assert.match(describeFailure(forbidden), /^RBAC does not allow it: .*cannot patch resource/);
    assert.equal(ApiFailure.fromResponse(409, '{"reason":"AlreadyExists","message":"exists"}').reason, 'alreadyExists');
  });
});

describe('diff', () => {
  const live: KubeObject = {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'a', namespace: 'n', uid: 'u1', resourceVersion: '7', generation: 1, creationTimestamp: 't', managedFields: [{}], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    data: { k: 'v' },
  };

  it('compares what people write, not what the server keeps', () => {
    assert.deepEqual(comparable(live), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' }, data: { k: 'v' } });
    assert.ok(isUnchanged(live, { ...live, metadata: { ...live.metadata, resourceVersion: '8', managedFields: [] } }));
    assert.ok(!isUnchanged(live, { ...live, data: { k: 'w' } }));
    assert.ok(!isUnchanged(undefined, live));
  });

  it('masks Secret values and marks the ones that change', () => {
    const secret = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
    const texts = diffTexts(secret({ user: 'YQ==', key: 'Yg==' }), secret({ user: 'YQ==', key: 'Yw==' }));
    assert.ok(!texts.live.includes('Yg==') && !texts.result.includes('Yw=='));
    assert.match(texts.live, /key: "\*\*\* \(before\)"/);
    assert.match(texts.result, /key: "\*\*\* \(after\)"/);
    assert.match(texts.result, /user: "\*\*\*"/);
  });
});
