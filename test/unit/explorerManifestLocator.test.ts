import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findManifest } from '../../src/explorer/manifestLocator';

const FILE = `# a fleet
apiVersion: v1
kind: Namespace
metadata: {name: fleet}
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata:
  name: demo
  namespace: other
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata:
  name: demo
  namespace: fleet
spec: {}
`;

describe('finding the workspace file that defines an object', () => {
  it('finds the document with the same kind, name and namespace', () => {
    assert.deepEqual(findManifest(FILE, { kind: 'Cluster', name: 'demo', namespace: 'fleet' }), { line: 11, character: 0, namespaceMatched: true });
  });

  it('skips documents in another namespace, and files that do not mention the object', () => {
    assert.equal(findManifest(FILE, { kind: 'Cluster', name: 'demo', namespace: 'nowhere' }), undefined);
    assert.equal(findManifest(FILE, { kind: 'MachineDeployment', name: 'demo', namespace: 'fleet' }), undefined);
    assert.equal(findManifest('kind: Cluster\n', { kind: 'Cluster', name: 'demo', namespace: 'fleet' }), undefined);
  });

  it('accepts a document without a namespace (applied with -n), but prefers an exact one', () => {
    const text = 'kind: Machine\nmetadata:\n  name: m1\n';
    assert.deepEqual(findManifest(text, { kind: 'Machine', name: 'm1', namespace: 'fleet' }), { line: 0, character: 0, namespaceMatched: false });
  });

  it('survives YAML with errors in other documents', () => {
    const text = `kind: [broken\n---\nkind: Cluster\nmetadata: {name: demo, namespace: fleet}\n`;
    assert.equal(findManifest(text, { kind: 'Cluster', name: 'demo', namespace: 'fleet' })?.line, 2);
  });
});
