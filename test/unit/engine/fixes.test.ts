import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { fixesFor, type TextEdit } from '../../../server/engine/fixes';
import { CatalogSchemaChecker } from '../../../server/engine/schemaChecker';
import { loadBundledCatalog } from '../../../src/shared/schema/bundled';
import { ManifestValidator } from '../../../src/shared/schema/validate';
import { validateFile } from '../../../server/engine/validate';
import { WorkspaceIndex } from '../../../server/engine/workspaceIndex';
import { cluster, POOLS, TEMPLATES } from '../../fixtures/engine-cluster';

function apply(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

function problemsOf(index: WorkspaceIndex, uri: string) {
  const file = index.file(uri);
  assert.ok(file);
  return validateFile(file, index);
}

describe('quick fixes', () => {
  it('copies an edited template under a new name, restores the original and repoints the references', () => {
    const index = new WorkspaceIndex();
    const changed = TEMPLATES.replace('vmTemplateName: alaudaos-v4.3.2-x86\n      ipHostPoolRef: {name: demo-wk-pool}', 'vmTemplateName: alaudaos-v4.4.0-x86\n      ipHostPoolRef: {name: demo-wk-pool}');
    index.setBaseline('file:///templates.yaml', TEMPLATES);
    index.set('file:///templates.yaml', changed);
    index.set('file:///pools.yaml', POOLS);
    index.set('file:///cluster.yaml', cluster());
    const problem = problemsOf(index, 'file:///templates.yaml').find((p) => p.ruleId === 'template-edited-in-place');
    assert.ok(problem);
    const [fix] = fixesFor(index, 'file:///templates.yaml', problem);
    assert.ok(fix);
    assert.match(fix.title, /save this spec as demo-wk-v2 and repoint 1 reference/);

    const files: Record<string, string> = { 'file:///templates.yaml': changed, 'file:///cluster.yaml': cluster() };
    for (const uri of Object.keys(files)) files[uri] = apply(files[uri] ?? '', fix.edits.filter((e) => e.uri === uri));
    const templates = files['file:///templates.yaml'] ?? '';
    assert.match(templates, /name: demo-wk-v1[\s\S]*alaudaos-v4\.3\.2-x86[\s\S]*name: demo-wk-v2[\s\S]*alaudaos-v4\.4\.0-x86/);
    assert.match(files['file:///cluster.yaml'] ?? '', /kind: DCSMachineTemplate, name: demo-wk-v2\}/);

    for (const [uri, text] of Object.entries(files)) index.set(uri, text);
    assert.deepEqual(problemsOf(index, 'file:///templates.yaml').map((p) => p.ruleId), []);
    assert.deepEqual(problemsOf(index, 'file:///cluster.yaml').map((p) => p.ruleId), ['kcp-single-replica']);
  });

  it('creates a missing referenced object that then resolves', () => {
    const index = new WorkspaceIndex();
    index.set('file:///cluster.yaml', cluster({ mdInfraName: 'demo-wk-v9' }));
    const problem = problemsOf(index, 'file:///cluster.yaml').find((p) => p.ruleId === 'ref-not-found' && p.message.includes('demo-wk-v9'));
    assert.ok(problem);
    const [fix] = fixesFor(index, 'file:///cluster.yaml', problem);
    assert.ok(fix);
    assert.equal(fix.title, 'Create DCSMachineTemplate demo-wk-v9 in this file');
    index.set('file:///cluster.yaml', apply(cluster({ mdInfraName: 'demo-wk-v9' }), fix.edits));
    assert.ok(!problemsOf(index, 'file:///cluster.yaml').some((p) => p.ruleId === 'ref-not-found' && p.message.includes('demo-wk-v9')));
  });

  it('creates a missing CAPI object in the CAPI version the project prefers', () => {
    const index = new WorkspaceIndex();
    index.set('file:///cluster.yaml', cluster().replace('KubeadmConfigTemplate, name: demo-wk-v1', 'KubeadmConfigTemplate, name: demo-wk-v9'));
    const problem = problemsOf(index, 'file:///cluster.yaml').find((p) => p.ruleId === 'ref-not-found' && p.message.includes('KubeadmConfigTemplate'));
    assert.ok(problem);
    const created = (capiVersion?: 'v1beta1' | 'v1beta2') => fixesFor(index, 'file:///cluster.yaml', problem, undefined, capiVersion)[0]?.edits[0]?.newText ?? '';
    assert.match(created(), /apiVersion: bootstrap\.cluster\.x-k8s\.io\/v1beta2\nkind: KubeadmConfigTemplate/);
    assert.match(created('v1beta1'), /apiVersion: bootstrap\.cluster\.x-k8s\.io\/v1beta1\nkind: KubeadmConfigTemplate/);
  });

  it('prefixes a version with v and makes control-plane replicas odd', () => {
    const index = new WorkspaceIndex();
    const text = cluster({ mdVersion: '1.34.2', kcpReplicas: 2 });
    index.set('file:///cluster.yaml', text);
    const problems = problemsOf(index, 'file:///cluster.yaml');
    const edits = problems.flatMap((p) => fixesFor(index, 'file:///cluster.yaml', p)).flatMap((f) => f.edits);
    const fixed = apply(text, edits);
    assert.match(fixed, /version: v1\.34\.2\n {6}bootstrap/);
    assert.match(fixed, /replicas: 3/);
  });
});

describe('add a missing required field', () => {
  it('adds it at the end of a block map and of a flow map, with an empty value of its type', () => {
    const schemas = new CatalogSchemaChecker(new ManifestValidator(loadBundledCatalog(join(__dirname, '..', '..', '..', 'dist', 'schemas'))));
    const text = `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: DCSMachineTemplate
metadata: {name: t, namespace: ns}
spec:
  template:
    spec:
      ipHostPoolRef: {name: pool}
      vmConfig:
        dcsMachineCpuSpec: {}
        dcsMachineMemorySpec: {quantity: 8192}
`;
    const index = new WorkspaceIndex();
    index.set('file:///t.yaml', text);
    const file = index.file('file:///t.yaml');
    assert.ok(file);
    const problems = validateFile(file, index, { schemas }).filter((p) => p.ruleId === 'schema-required');
    const fixes = problems.flatMap((p) => fixesFor(index, 'file:///t.yaml', p, schemas));
    assert.deepEqual(fixes.map((f) => f.title).sort(), ['Add the required field quantity', 'Add the required field vmTemplateName']);
    const fixed = apply(text, fixes.flatMap((f) => f.edits));
    assert.match(fixed, /dcsMachineCpuSpec: \{quantity: 0\}/);
    assert.match(fixed, /ipHostPoolRef: \{name: pool\}\n {6}vmConfig:[\s\S]*\n {6}vmTemplateName: ""\n$/);
    index.set('file:///t.yaml', fixed);
    const after = index.file('file:///t.yaml');
    assert.ok(after);
    assert.deepEqual(validateFile(after, index, { schemas }).filter((p) => p.ruleId === 'schema-required'), []);
  });
});
