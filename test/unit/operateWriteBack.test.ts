// Writing an upgrade back into the workspace files: new template documents after the ones they copy, the new
// version and template name in place (comments and layout kept), and the objects no file defines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFile } from '../../server/engine/workspaceIndex';
import { OperateAnnotations } from '../../src/operate/ids';
import { planUpgrade, type UpgradePlan } from '../../src/operate/upgradePlan';
import { applyEdits, definedInWorkspace, planWriteBack } from '../../src/operate/workspaceWriteBack';
import { EXAMPLE_URI, exampleState, exampleText } from './operateFixtures';

function plan(): UpgradePlan {
  const outcome = planUpgrade(exampleState(), {
    controlPlane: { version: 'v1.35.2-1', vmTemplateName: 'alaudaos-v4.4.0-x86' },
    workers: { version: 'v1.35.2-1', vmTemplateName: 'alaudaos-v4.4.0-x86' },
  });
  assert.ok(outcome.ok);
  return outcome.plan;
}

describe('workspace write-back', () => {
  it('changes only the version and template scalars, and adds the new templates after their originals', () => {
    const text = exampleText();
    const result = planWriteBack([{ uri: EXAMPLE_URI, text }], plan());
    assert.deepEqual(result.notFound, []);
    assert.equal(result.files.length, 1);
    const after = applyEdits(text, result.files[0]?.edits ?? []);
    const objects = parseFile(EXAMPLE_URI, after).objects;
    assert.deepEqual(objects.filter((o) => o.kind === 'DCSMachineTemplate').map((o) => o.name), ['lab-b-cp-k8s1345', 'lab-b-cp-k8s1352', 'lab-b-wk-k8s1345', 'lab-b-wk-k8s1352']);
    const copy = objects.find((o) => o.name === 'lab-b-cp-k8s1352')?.object as { metadata: { annotations: Record<string, string> }; spec: { template: { spec: { vmTemplateName: string; ipHostPoolRef: unknown } } } };
    assert.equal(copy.spec.template.spec.vmTemplateName, 'alaudaos-v4.4.0-x86');
    assert.deepEqual(copy.spec.template.spec.ipHostPoolRef, { name: 'lab-b-cp-pool' });
    assert.equal(copy.metadata.annotations[OperateAnnotations.copiedFrom], 'lab-b-cp-k8s1345');
    const kcp = objects.find((o) => o.kind === 'KubeadmControlPlane')?.object as { spec: { version: string; machineTemplate: { spec: { infrastructureRef: { name: string } } } } };
    assert.equal(kcp.spec.version, 'v1.35.2-1');
    assert.equal(kcp.spec.machineTemplate.spec.infrastructureRef.name, 'lab-b-cp-k8s1352');
    const md = objects.find((o) => o.kind === 'MachineDeployment')?.object as { spec: { template: { spec: { version: string; infrastructureRef: { name: string } } } } };
    assert.equal(md.spec.template.spec.version, 'v1.35.2-1');
    assert.equal(md.spec.template.spec.infrastructureRef.name, 'lab-b-wk-k8s1352');
    // Outside the inserted documents, only those four scalars differ; the header comment and the annotation-free KCP stay.
    const removed = text.split('\n').filter((line) => !after.split('\n').includes(line));
    assert.deepEqual(removed.map((l) => l.trim()).sort(), ['name: lab-b-cp-k8s1345', 'name: lab-b-wk-k8s1345', 'version: v1.34.5-3', 'version: v1.34.5-3'].sort());
    assert.ok(after.startsWith('# A complete DCS workload cluster'));
    assert.ok(!after.includes(OperateAnnotations.previous));
  });

  it('keeps quotes, and appends a template whose original is in no file to the file of the object that uses it', () => {
    const text = 'apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachineDeployment\nmetadata:\n  name: lab-b-md-0\n  namespace: cpaas-system\nspec:\n  template:\n    spec:\n      version: "v1.34.5-3"\n      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DCSMachineTemplate, name: \'lab-b-wk-k8s1345\'}';
    const p = plan();
    const result = planWriteBack([{ uri: 'file:///md.yaml', text }], p);
    const after = applyEdits(text, result.files[0]?.edits ?? []);
    assert.match(after, /version: "v1.35.2-1"/);
    assert.match(after, /name: 'lab-b-wk-k8s1352'\}/);
    assert.match(after, /\n---\napiVersion: infrastructure.cluster.x-k8s.io\/v1beta1\nkind: DCSMachineTemplate\n/);
    assert.deepEqual(result.notFound, ['KubeadmControlPlane lab-b-kcp', 'DCSMachineTemplate lab-b-cp-k8s1352']);
    assert.equal(after.match(/kind: DCSMachineTemplate/g)?.length, 2);
    assert.ok(definedInWorkspace([{ uri: 'file:///md.yaml', text }], p));
    assert.ok(!definedInWorkspace([{ uri: 'file:///other.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' }], p));
  });
});
