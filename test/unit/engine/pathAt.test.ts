import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifest } from '../../../server/engine/manifest';
import { pathAt } from '../../../server/engine/pathAt';

const text = `apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata:
  name: md
spec:
  template:
    spec:
      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DCSMachineTemplate, name: wk-v1}
  list:
  - first
`;

function at(marker: string, delta = 0) {
  const doc = parseManifest(text).docs[0];
  assert.ok(doc);
  return pathAt(doc, text.indexOf(marker) + delta);
}

describe('pathAt', () => {
  it('finds a value in a flow map', () => {
    const found = at('wk-v1', 2);
    assert.deepEqual(found.path, ['spec', 'template', 'spec', 'infrastructureRef', 'name']);
    assert.equal(found.on, 'value');
    assert.equal(found.scalar?.value, 'wk-v1');
  });

  it('finds a key', () => {
    const found = at('name: md', 1);
    assert.deepEqual(found.path, ['metadata', 'name']);
    assert.equal(found.on, 'key');
  });

  it('finds a sequence item', () => {
    assert.deepEqual(at('first').path, ['spec', 'list', 0]);
  });
});
