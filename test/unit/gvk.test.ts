import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiVersionOf, gvkKey, isClusterApiGroup, parseApiVersion, toGvk } from '../../src/shared/gvk';

describe('gvk', () => {
  it('splits a grouped apiVersion', () => {
    assert.deepEqual(parseApiVersion('infrastructure.cluster.x-k8s.io/v1beta1'), {
      group: 'infrastructure.cluster.x-k8s.io',
      version: 'v1beta1',
    });
  });

  it('treats a bare version as the core group', () => {
    assert.deepEqual(parseApiVersion('v1'), { group: '', version: 'v1' });
    assert.equal(apiVersionOf({ group: '', version: 'v1' }), 'v1');
  });

  it('round-trips through a key', () => {
    assert.equal(gvkKey(toGvk('cluster.x-k8s.io/v1beta2', 'Cluster')), 'cluster.x-k8s.io/v1beta2/Cluster');
  });

  it('knows the Cluster API groups and nothing else', () => {
    assert.ok(isClusterApiGroup('cluster.x-k8s.io'));
    assert.ok(isClusterApiGroup('infrastructure.cluster.x-k8s.io'));
    assert.ok(!isClusterApiGroup('apps'));
    assert.ok(!isClusterApiGroup('evilcluster.x-k8s.io'));
  });
});
