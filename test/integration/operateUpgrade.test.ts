// The immutable upgrade against the real API server: new DCSMachineTemplates appear beside the untouched
// old ones, the control plane and then the workers are re-pointed with the new version (the workers only
// after the control plane reports its rollout done), refusals leave the server alone, and the workspace
// write-back validates with the language server's engine and re-applies as a no-op.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { commitApply, isConflict, previewApply } from '../../src/operate/applyRun';
import { readClusterState } from '../../src/operate/clusterState';
import { waitForControlPlane } from '../../src/operate/controlPlaneWait';
import { OperateAnnotations } from '../../src/operate/ids';
import type { KubeObject, ObjectApi, ObjectRef } from '../../src/operate/objectApi';
import { replacedGroup, replacementNotice } from '../../src/operate/replacement';
import { executeUpgrade, previewUpgrade } from '../../src/operate/upgradeRun';
import { planUpgrade, type UpgradePlan, type UpgradeRequest } from '../../src/operate/upgradePlan';
import { readVmTemplates, VM_TEMPLATE_LABEL, vmTemplateMismatch } from '../../src/operate/vmTemplates';
import { applyEdits, planWriteBack } from '../../src/operate/workspaceWriteBack';
import { CatalogSchemaChecker } from '../../server/engine/schemaChecker';
import { validateFile } from '../../server/engine/validate';
import { WorkspaceIndex } from '../../server/engine/workspaceIndex';
import { loadBundledCatalog } from '../../src/shared/schema/bundled';
import { ManifestValidator } from '../../src/shared/schema/validate';
import { capiSchemaDir } from '../fixtures/schemas/examples';
import { EXAMPLE_URI, exampleText, NS } from '../unit/operateFixtures';
import { applyExample, createMachines, examplePlan, objectApi, resourceVersions } from './operateLab';

const KCP: ObjectRef = { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlane', namespace: NS, name: 'lab-b-kcp' };
const MD: ObjectRef = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', namespace: NS, name: 'lab-b-md-0' };
const template = (name: string): ObjectRef => ({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSMachineTemplate', namespace: NS, name });
const REQUEST: UpgradeRequest = {
  controlPlane: { version: 'v1.35.2-1', vmTemplateName: 'alaudaos-v4.4.0-x86' },
  workers: { version: 'v1.35.2-1', vmTemplateName: 'alaudaos-v4.4.0-x86' },
};

const spec = (o: KubeObject | undefined): Record<string, unknown> => (o?.spec ?? {}) as Record<string, unknown>;

/** Writes the status a KubeadmControlPlane controller would write once the rollout is done. */
async function reportControlPlaneDone(api: ObjectApi): Promise<void> {
  const kcp = await api.get(KCP);
  assert.ok(kcp);
  const status = {
    observedGeneration: kcp.metadata.generation,
    replicas: 3, readyReplicas: 3, availableReplicas: 3, upToDateReplicas: 3,
    versions: [{ version: (kcp.spec as { version: string }).version, replicas: 3 }],
    conditions: [{ type: 'RollingOut', status: 'False', reason: 'NotRollingOut', message: '', lastTransitionTime: '2026-11-25T10:00:00Z' }],
  };
  await api.apply({ apiVersion: KCP.apiVersion, kind: KCP.kind, metadata: { name: KCP.name, namespace: NS }, status }, { fieldManager: 'fake-kcp-controller', force: true, subresource: 'status' });
}

describe('immutable upgrade against the real API server', () => {
  let plane: ManagementPlane;
  let api: ObjectApi;
  let plan: UpgradePlan;
  let oldTemplates: Record<string, string | undefined>;
  /** The workspace file after the write-back. */
  let written = '';

  before(async () => {
    plane = await startManagementPlane({ crds: true });
    api = objectApi(plane.kubeconfigPath);
    await applyExample(api);
    await createMachines(api);
    oldTemplates = await resourceVersions(api, [template('lab-b-cp-k8s1345'), template('lab-b-wk-k8s1345')].map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, namespace: NS } })));
  });

  after(async () => {
    await plane.stop();
  });

  it('reads the VM templates of the OS releases from their labelled ConfigMaps, newest first', async () => {
    const release = (name: string, labels: Record<string, string>, data: Record<string, string>, namespace = NS): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data });
    const releases = [
      release('v4.3.2-dcs-vm-template', { [VM_TEMPLATE_LABEL]: 'alaudaos-v4.3.2-x86' }, { kubernetesVersion: 'v1.34.5-3', corednsTag: 'v1.12.1', etcdTag: 'v3.5.21' }),
      release('v4.5.0-dcs-vm-template', { [VM_TEMPLATE_LABEL]: 'alaudaos-v4.5.0-x86' }, { kubernetesVersion: 'v1.36.0' }),
      release('v4.4.0-dcs-vm-template', { [VM_TEMPLATE_LABEL]: 'alaudaos-v4.4.0-x86' }, { kubernetesVersion: 'v1.35.2-1', corednsTag: 'v1.12.3', etcdTag: 'v3.6.4' }),
      // Not releases: no label, no Kubernetes version, another namespace.
      release('unlabelled', {}, { kubernetesVersion: 'v1.37.0' }),
      release('no-version', { [VM_TEMPLATE_LABEL]: 'alaudaos-dev' }, { note: 'x' }),
      release('elsewhere', { [VM_TEMPLATE_LABEL]: 'alaudaos-v9' }, { kubernetesVersion: 'v1.37.0' }, 'default'),
    ];
    for (const r of releases) await api.apply(r, { fieldManager: 'operate-test' });
    const read = await readVmTemplates(api, NS);
    assert.deepEqual(read.map((r) => [r.release, r.vmTemplateName, r.kubernetesVersion]), [
      ['v4.5.0-dcs-vm-template', 'alaudaos-v4.5.0-x86', 'v1.36.0'],
      ['v4.4.0-dcs-vm-template', 'alaudaos-v4.4.0-x86', 'v1.35.2-1'],
      ['v4.3.2-dcs-vm-template', 'alaudaos-v4.3.2-x86', 'v1.34.5-3'],
    ]);
    assert.deepEqual([read[1]?.corednsTag, read[1]?.etcdTag, read[0]?.etcdTag], ['v1.12.3', 'v3.6.4', undefined]);
    // The dialog's warning: the current template belongs to the release of the version the cluster leaves.
    assert.match(vmTemplateMismatch(read, 'alaudaos-v4.3.2-x86', 'v1.35.2-1') ?? '', /^alaudaos-v4\.3\.2-x86 belongs to release v4\.3\.2-dcs-vm-template \(v1\.34\.5-3\), not to v1\.35\.2-1/);
    assert.equal(vmTemplateMismatch(read, 'alaudaos-v4.4.0-x86', 'v1.35.2-1'), undefined);
    assert.equal(vmTemplateMismatch(read, 'custom-build', 'v1.35.2-1'), undefined, 'a template no release lists is the user\'s call');
  });

  it('refuses a two-minor jump and workers ahead of the control plane, reading the live cluster', async () => {
    const state = await readClusterState(api, NS, 'lab-b');
    const jump = planUpgrade(state, { controlPlane: { version: 'v1.36.0', vmTemplateName: 'x' } });
    assert.ok(!jump.ok);
    assert.match(jump.errors.join(), /one minor at a time: v1.34.5-3 → v1.36.0/);
    const ahead = planUpgrade(state, { workers: { version: 'v1.35.2-1', vmTemplateName: 'x' } });
    assert.ok(!ahead.ok);
    assert.match(ahead.errors.join(), /v1.35.2-1 is ahead of the control plane's v1.34.5-3/);
  });

  it('plans new templates and patches, says which machines go, and previews them without changing anything', async () => {
    const state = await readClusterState(api, NS, 'lab-b');
    const outcome = planUpgrade(state, REQUEST);
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.join());
    plan = outcome.plan;
    assert.deepEqual(plan.templates.map((t) => t.metadata.name), ['lab-b-cp-k8s1352', 'lab-b-wk-k8s1352']);
    const notice = replacementNotice([state.controlPlane, ...state.deployments].filter((o): o is KubeObject => o !== undefined).map((o) => replacedGroup(state, o)));
    assert.match(notice, /Control plane lab-b-kcp: lab-b-kcp-7x2lq, lab-b-kcp-9fk3d, lab-b-kcp-q8w2m will be replaced/);
    assert.match(notice, /Pool lab-b-worker-pool declares persistent disks \(\/var\/cpaas\)/);

    const preview = await previewUpgrade(api, plan);
    assert.deepEqual(preview.map((s) => [s.kind, s.ref.name, s.error === undefined]), [
      ['template', 'lab-b-cp-k8s1352', true], ['template', 'lab-b-wk-k8s1352', true], ['controlPlane', 'lab-b-kcp', true], ['deployment', 'lab-b-md-0', true],
    ]);
    assert.equal(spec(preview[2]?.result).version, 'v1.35.2-1');
    assert.equal(spec(preview[2]?.live).version, 'v1.34.5-3');
    assert.equal(await api.get(template('lab-b-cp-k8s1352')), undefined, 'a dry run creates nothing');
    assert.equal(spec(await api.get(KCP)).version, 'v1.34.5-3');
  });

  it('creates the templates, moves the control plane, and moves the workers only once it is done', async () => {
    const order: string[] = [];
    const waiting = executeUpgrade(api, plan, {
      onStep: (_i, _n, what) => order.push(what),
      waitForControlPlane: async (ref) => {
        order.push('wait');
        const kcp = await api.get(ref);
        assert.equal(spec(kcp).version, 'v1.35.2-1', 'the control plane is patched before the wait');
        assert.equal(spec(spec(await api.get(MD)).template as KubeObject).version, 'v1.34.5-3', 'the workers wait');
        setTimeout(() => void reportControlPlaneDone(api), 300);
        await waitForControlPlane(api, ref, { timeoutMs: 20_000, intervalMs: 100 });
      },
    });
    const result = await waiting;
    assert.ok(result.ok, result.stoppedBecause);
    assert.deepEqual(order.map((s) => s.split(':')[0]), ['new DCSMachineTemplate lab-b-cp-k8s1352 (copy of lab-b-cp-k8s1345)', 'new DCSMachineTemplate lab-b-wk-k8s1352 (copy of lab-b-wk-k8s1345)', 'KubeadmControlPlane cpaas-system/lab-b-kcp', 'wait', 'MachineDeployment cpaas-system/lab-b-md-0']);

    for (const [name, oldName, pool] of [['lab-b-cp-k8s1352', 'lab-b-cp-k8s1345', 'lab-b-cp-pool'], ['lab-b-wk-k8s1352', 'lab-b-wk-k8s1345', 'lab-b-worker-pool']] as const) {
      const created = await api.get(template(name));
      const old = await api.get(template(oldName));
      const t = (o: KubeObject | undefined): Record<string, unknown> => (spec(o).template as { spec: Record<string, unknown> }).spec;
      assert.equal(t(created).vmTemplateName, 'alaudaos-v4.4.0-x86');
      assert.deepEqual({ ...t(created), vmTemplateName: 'same' }, { ...t(old), vmTemplateName: 'same' });
      assert.deepEqual(t(created).ipHostPoolRef, { name: pool });
      assert.equal(created?.metadata.annotations?.[OperateAnnotations.copiedFrom], oldName);
      assert.equal(t(old).vmTemplateName, 'alaudaos-v4.3.2-x86');
    }
    assert.deepEqual(await resourceVersions(api, [template('lab-b-cp-k8s1345'), template('lab-b-wk-k8s1345')].map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, namespace: NS } }))), oldTemplates, 'old templates are never edited');

    const kcp = await api.get(KCP);
    assert.equal(spec(kcp).version, 'v1.35.2-1');
    assert.deepEqual((spec(kcp).machineTemplate as { spec: { infrastructureRef: unknown } }).spec.infrastructureRef, { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DCSMachineTemplate', name: 'lab-b-cp-k8s1352' });
    assert.equal(kcp?.metadata.annotations?.[OperateAnnotations.previous], '{"name":"lab-b-cp-k8s1345","version":"v1.34.5-3"}');
    const md = (spec(await api.get(MD)).template as { spec: Record<string, unknown> }).spec;
    assert.equal(md.version, 'v1.35.2-1');
    assert.deepEqual(md.infrastructureRef, { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DCSMachineTemplate', name: 'lab-b-wk-k8s1352' });
    assert.deepEqual(md.bootstrap, { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: 'lab-b-worker-kct' } });
  });

  it('writes the upgrade into the workspace file: it validates and re-applies as a no-op', async () => {
    const text = exampleText();
    const writeBack = planWriteBack([{ uri: EXAMPLE_URI, text }], plan);
    assert.deepEqual(writeBack.notFound, []);
    const after = applyEdits(text, writeBack.files[0]?.edits ?? []);
    written = after;

    const schemas = new CatalogSchemaChecker(new ManifestValidator(loadBundledCatalog(capiSchemaDir())));
    const index = new WorkspaceIndex();
    const problems = validateFile(index.set(EXAMPLE_URI, after), index, { schemas });
    assert.deepEqual(problems.map((p) => `${p.ruleId}: ${p.message}`), []);
    // The same check does find problems: a broken copy of the new template is reported.
    const broken = after.replace('vmTemplateName: alaudaos-v4.4.0-x86', 'vmTemplateName: 42');
    assert.ok(validateFile(index.set('file:///broken.yaml', broken), index, { schemas }).some((p) => p.message.includes('vmTemplateName')));

    const objects = examplePlan(after);
    assert.equal(objects.objects.length, 13);
    const before = await resourceVersions(api, objects.objects.map((p) => p.object));
    const preview = await previewApply(api, objects);
    assert.deepEqual(preview.filter((e) => e.outcome !== 'unchanged').map((e) => `${e.ref.kind}/${e.ref.name}:${e.outcome}`), []);
    const result = await commitApply(api, objects);
    assert.deepEqual(result.entries.filter((e) => e.outcome !== 'unchanged').map((e) => e.ref.name), []);
    assert.deepEqual(await resourceVersions(api, objects.objects.map((p) => p.object)), before);
  });

  it('rolls the workers back to the template they had, and the control plane refuses to go back a minor', async () => {
    const { planRollback } = await import('../../src/operate/rolloutActions');
    const state = await readClusterState(api, NS, 'lab-b');
    const md = state.deployments[0];
    assert.ok(md);
    const rollback = planRollback(md, state);
    assert.deepEqual(rollback.errors, []);
    assert.ok(rollback.patch);
    await api.mergePatch(rollback.ref, rollback.patch, { fieldManager: 'capi-dcs-operate' });
    const back = (spec(await api.get(MD)).template as { spec: { version: string; infrastructureRef: { name: string } } }).spec;
    assert.deepEqual([back.version, back.infrastructureRef.name], ['v1.34.5-3', 'lab-b-wk-k8s1345']);
    const refused = planUpgrade(await readClusterState(api, NS, 'lab-b'), { controlPlane: { version: 'v1.34.5-3', vmTemplateName: 'alaudaos-v4.3.2-x86' } });
    assert.ok(!refused.ok);
    assert.match(refused.errors.join(), /cannot go back from v1.35.2-1 to v1.34.5-3/);
  });

  it('applies the next version bump from the written-back file over the upgrade\'s own fields, without a conflict', async () => {
    // The upgrade's merge patches made capi-dcs-operate the owner of the versions and template names; the
    // written-back file re-applied as "unchanged" and was never sent, so capi-dcs did not take them back.
    const kcpVersion = /(kind: KubeadmControlPlane[\s\S]*?\n {2}version: )v1\.35\.2-1/;
    assert.match(written, kcpVersion);
    const plan = examplePlan(written.replace(kcpVersion, '$1v1.35.3-1'));
    const preview = await previewApply(api, plan);
    assert.deepEqual(preview.filter((e) => e.outcome === 'failed').map((e) => `${e.ref.name}: ${String(e.error)}`), []);
    const kcpPreview = preview.find((e) => e.ref.kind === 'KubeadmControlPlane');
    assert.equal(kcpPreview?.outcome, 'configure');
    assert.deepEqual(kcpPreview.tookOverFrom, ['capi-dcs-operate']);

    const result = await commitApply(api, plan);
    assert.deepEqual(result.entries.filter((e) => e.outcome === 'failed').map((e) => e.ref.name), []);
    const kcpEntry = result.entries.find((e) => e.ref.kind === 'KubeadmControlPlane');
    assert.deepEqual([kcpEntry?.outcome, kcpEntry?.tookOverFrom], ['configured', ['capi-dcs-operate']]);
    const kcp = await api.get(KCP);
    assert.equal(spec(kcp).version, 'v1.35.3-1');
    const owners = (kcp?.metadata.managedFields as { manager: string; fieldsV1?: { 'f:spec'?: Record<string, unknown> } }[]).filter((m) => m.fieldsV1?.['f:spec']?.['f:version'] !== undefined).map((m) => m.manager);
    assert.deepEqual(owners, ['capi-dcs'], 'the files own the version again');
  });

  it('still asks before taking fields from a manager that is not the extension\'s', async () => {
    await api.mergePatch(KCP, { spec: { version: 'v1.35.4-1' } }, { fieldManager: 'someone-else' });
    const preview = await previewApply(api, examplePlan(written));
    const kcpPreview = preview.find((e) => e.ref.kind === 'KubeadmControlPlane');
    assert.equal(kcpPreview?.outcome, 'failed');
    assert.ok(isConflict(kcpPreview.error));
    assert.deepEqual(kcpPreview.error.conflicts.map((c) => c.manager), ['someone-else']);
  });
});
