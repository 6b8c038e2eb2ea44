import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitionAt, referencesAt } from '../../../server/engine/navigation';
import { WorkspaceIndex } from '../../../server/engine/workspaceIndex';
import { cluster, POOLS, TEMPLATES } from '../../fixtures/engine-cluster';

function workspace() {
  const index = new WorkspaceIndex();
  index.set('file:///pools.yaml', POOLS);
  index.set('file:///templates.yaml', TEMPLATES);
  index.set('file:///cluster.yaml', cluster());
  return index;
}

function textOf(index: WorkspaceIndex, span: { uri: string; start: number; end: number }) {
  return `${span.uri}:${index.file(span.uri)?.text.slice(span.start, span.end) ?? ''}`;
}

describe('navigation', () => {
  it('goes from a MachineDeployment infrastructureRef to the template in another file', () => {
    const index = workspace();
    const text = cluster();
    const offset = text.lastIndexOf('name: demo-wk-v1}') + 7;
    const spans = definitionAt(index, 'file:///cluster.yaml', offset);
    assert.deepEqual(spans.map((s) => textOf(index, s)), ['file:///templates.yaml:demo-wk-v1']);
  });

  it('goes from a template ipHostPoolRef to the pool', () => {
    const index = workspace();
    const offset = TEMPLATES.indexOf('{name: demo-wk-pool}') + 8;
    assert.deepEqual(definitionAt(index, 'file:///templates.yaml', offset).map((s) => textOf(index, s)), ['file:///pools.yaml:demo-wk-pool']);
  });

  it('finds every reference to a template from its name', () => {
    const index = workspace();
    const offset = TEMPLATES.indexOf('name: demo-wk-v1') + 7;
    const spans = referencesAt(index, 'file:///templates.yaml', offset, true);
    assert.deepEqual(spans.map((s) => textOf(index, s)), ['file:///templates.yaml:demo-wk-v1', 'file:///cluster.yaml:demo-wk-v1']);
  });
});
