// Apply against the real API server: the example cluster is created object by object in dependency order,
// a second apply changes nothing, an invalid object is refused with its field path before anything after it
// is applied, conflicts name the other manager and can be forced, RBAC refusals say what was refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiFailure, describeFailure } from '../../src/operate/apiErrors';
import { planApply } from '../../src/operate/applyPlan';
import { commitApply, isConflict, previewApply } from '../../src/operate/applyRun';
import { diffTexts } from '../../src/operate/diff';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import type { ObjectApi } from '../../src/operate/objectApi';
import { examplePlan, objectApi, resourceVersions } from './operateLab';

const NS = 'cpaas-system';

const pool = (name: string, namespace: string, disk: Record<string, unknown>): string => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: DCSIpHostnamePool
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  pool:
    - ip: 127.0.12.11
      mask: "24"
      gateway: 127.0.12.1
      persistentDisk:
        - ${JSON.stringify({ slot: 0, quantityGB: 10, ...disk })}
`;

const template = (name: string, namespace: string): string => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: DCSMachineTemplate
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  template:
    spec:
      vmTemplateName: t
      ipHostPoolRef: {name: good-pool}
      vmConfig: {dcsMachineCpuSpec: {quantity: 2}, dcsMachineMemorySpec: {quantity: 2048}}
`;

describe('apply against the real API server', () => {
  let plane: ManagementPlane;
  let api: ObjectApi;

  before(async () => {
    plane = await startManagementPlane({ crds: true });
    api = objectApi(plane.kubeconfigPath);
  });

  after(async () => {
    await plane.stop();
  });

  it('previews the example on an empty server, then creates every object in dependency order', async () => {
    const plan = examplePlan();
    const preview = await previewApply(api, plan);
    assert.deepEqual(preview.map((e) => e.outcome), plan.objects.map(() => 'create'));
    // The namespace does not exist yet: what lives in it can only be checked once it does.
    assert.deepEqual(preview.filter((e) => e.awaitsNamespace).length, plan.objects.length - 1);
    const kcpPreview = preview[8];
    assert.ok(kcpPreview?.result);
    assert.match(diffTexts(kcpPreview.live, kcpPreview.result).result, /kind: KubeadmControlPlane/);

    const steps: string[] = [];
    const result = await commitApply(api, plan, { onProgress: (_done, _total, what) => steps.push(what) });
    assert.equal(result.cancelled, false);
    assert.deepEqual(result.entries.map((e) => `${e.ref.kind}/${e.ref.name}:${e.outcome}`), plan.objects.map((p) => `${p.object.kind}/${p.object.metadata.name}:created`));
    assert.equal(steps[0], 'Namespace cpaas-system');
    for (const p of plan.objects) {
      const live = await api.get({ apiVersion: p.object.apiVersion, kind: p.object.kind, name: p.object.metadata.name, namespace: p.object.metadata.namespace });
      assert.ok(live, `${p.object.kind} ${p.object.metadata.name} exists on the server`);
      // (This API server keeps no apply entry for Namespaces; every other object records our field manager.)
      if (p.object.kind !== 'Namespace') assert.ok((live.metadata.managedFields as { manager: string }[]).some((m) => m.manager === 'capi-dcs'), `${p.object.kind} applied by capi-dcs`);
    }
  });

  it('applies the same file again as a no-op: nothing is sent, nothing changes', async () => {
    const plan = examplePlan();
    const before = await resourceVersions(api, plan.objects.map((p) => p.object));
    const preview = await previewApply(api, plan);
    assert.deepEqual(preview.map((e) => e.outcome), plan.objects.map(() => 'unchanged'));
    const result = await commitApply(api, plan);
    assert.deepEqual(result.entries.map((e) => `${e.ref.kind}:${e.outcome}`), plan.objects.map((p) => `${p.object.kind}:unchanged`));
    assert.deepEqual(await resourceVersions(api, plan.objects.map((p) => p.object)), before);
  });

  it('refuses an invalid object with its field path and applies nothing after it (new namespace)', async () => {
    const text = [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: fresh}\n',
      pool('good-pool', 'fresh', { datastoreName: 'ds-1' }),
      pool('bad-pool', 'fresh', { datastoreName: 'ds-1', datastoreClusterName: 'dsc-1' }),
      template('after-bad', 'fresh'),
    ].join('---\n');
    const plan = planApply([{ uri: 'file:///bad.yaml', text }]);
    assert.deepEqual(plan.objects.map((p) => p.object.metadata.name), ['fresh', 'good-pool', 'bad-pool', 'after-bad']);
    const result = await commitApply(api, plan);
    assert.deepEqual(result.entries.map((e) => `${e.ref.name}:${e.outcome}`), ['fresh:created', 'good-pool:skipped', 'bad-pool:failed', 'after-bad:skipped']);
    const error = result.entries[2]?.error;
    assert.ok(error instanceof ApiFailure && error.reason === 'invalid');
    assert.deepEqual(error.fields.map((f) => f.field), ['spec.pool[0].persistentDisk[0]']);
    assert.match(describeFailure(error), /^spec\.pool\[0\]\.persistentDisk\[0\]: .*exactly one of datastoreName or datastoreClusterName/);
    for (const name of ['good-pool', 'bad-pool']) assert.equal(await api.get({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSIpHostnamePool', namespace: 'fresh', name }), undefined);
    assert.equal(await api.get({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSMachineTemplate', namespace: 'fresh', name: 'after-bad' }), undefined);
  });

  it('finds the same refusal in the preview when the namespace exists, and names unknown fields', async () => {
    const text = [pool('bad-pool', NS, { slot: -1, datastoreName: 'ds-1' }), template('typo', NS).replace('vmTemplateName: t', 'vmTemplateNam: t')].join('---\n');
    const preview = await previewApply(api, planApply([{ uri: 'file:///bad.yaml', text }]));
    assert.deepEqual(preview.map((e) => e.outcome), ['failed', 'failed']);
    const [slot, typo] = preview.map((e) => e.error);
    assert.ok(slot instanceof ApiFailure && typo instanceof ApiFailure);
    assert.deepEqual(slot.fields.map((f) => f.segments), [['spec', 'pool', 0, 'persistentDisk', 0, 'slot']]);
    assert.deepEqual(typo.fields.map((f) => f.field), ['spec.template.spec.vmTemplateNam']);
  });

  it('reports a conflict with the other manager, and applies when forced', async () => {
    await api.mergePatch({ apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlane', namespace: NS, name: 'lab-b-kcp' }, { spec: { replicas: 5 } }, { fieldManager: 'someone-else' });
    const plan = examplePlan();
    const preview = await previewApply(api, plan);
    const conflicted = preview.filter((e) => e.outcome === 'failed');
    assert.deepEqual(conflicted.map((e) => e.ref.name), ['lab-b-kcp']);
    const error = conflicted[0]?.error;
    assert.ok(isConflict(error));
    assert.deepEqual(error.conflicts.map((c) => [c.field, c.manager]), [['.spec.replicas', 'someone-else']]);

    const force = new Set(conflicted.map((e) => e.planned.key));
    const forcedPreview = await previewApply(api, plan, { force });
    assert.deepEqual(forcedPreview.filter((e) => e.outcome !== 'unchanged').map((e) => `${e.ref.name}:${e.outcome}`), ['lab-b-kcp:configure']);
    const forcedKcp = forcedPreview[8];
    assert.ok(forcedKcp?.result);
    assert.match(diffTexts(forcedKcp.live, forcedKcp.result).live, /replicas: 5/);
    const result = await commitApply(api, plan, { force });
    assert.deepEqual(result.entries.filter((e) => e.outcome !== 'unchanged').map((e) => `${e.ref.name}:${e.outcome}`), ['lab-b-kcp:configured']);
    const kcp = await api.get({ apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlane', namespace: NS, name: 'lab-b-kcp' });
    assert.equal((kcp?.spec as { replicas: number }).replicas, 3);
  });

  it('says what RBAC refused for a user without write access', async () => {
    const controller = objectApi(plane.controllerKubeconfigPath);
    const preview = await previewApply(controller, examplePlan());
    const kcp = preview.find((e) => e.ref.kind === 'KubeadmControlPlane');
    assert.equal(kcp?.outcome, 'failed');
    assert.ok(kcp.error instanceof ApiFailure && kcp.error.reason === 'forbidden');
    assert.match(describeFailure(kcp.error), /^RBAC does not allow it: .*cannot (get|patch) resource "kubeadmcontrolplanes"/);
  });
});
