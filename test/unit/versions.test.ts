import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import versions from '../../tools/versions.json';

const goMod = readFileSync(join(__dirname, '..', '..', 'tools', 'mgmt-plane', 'go.mod'), 'utf8');

/** `path version` pairs of every require line (single-line and block form). */
function requires(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of text.matchAll(/^(?:require\s+|\t)([^\s=]+)\s+(v[^\s]+)(?:\s*\/\/.*)?$/gm)) {
    if (m[1] && m[2]) found.set(m[1], m[2]);
  }
  return found;
}

/** `old => new version` of every replace line. */
function replaces(text: string): Map<string, { path: string; version: string }> {
  const found = new Map<string, { path: string; version: string }>();
  for (const m of text.matchAll(/^(?:replace\s+|\t)(\S+)\s+=>\s+(\S+)\s+(v\S+)$/gm)) {
    if (m[1] && m[2] && m[3]) found.set(m[1], { path: m[2], version: m[3] });
  }
  return found;
}

describe('tools/mgmt-plane/go.mod agrees with tools/versions.json', () => {
  const required = requires(goMod);
  const replaced = replaces(goMod);

  it('pins kubernetes, etcd and cluster-api at the versions in versions.json', () => {
    assert.equal(required.get('k8s.io/kubernetes'), versions.kubernetes);
    assert.equal(required.get('go.etcd.io/etcd/server/v3'), versions.etcd);
    assert.equal(required.get('sigs.k8s.io/cluster-api'), versions.clusterApi);
    assert.equal(required.get('sigs.k8s.io/cluster-api/api'), versions.clusterApi);
  });

  it('maps every k8s.io staging module to its published release of the same Kubernetes version', () => {
    const staging = [...replaced].filter(([from]) => from.startsWith('k8s.io/'));
    assert.ok(staging.length >= 30, `expected the ~33 staging modules, found ${staging.length}`);
    for (const [from, to] of staging) {
      assert.deepEqual(to, { path: from, version: versions.kubernetesStaging }, from);
    }
    for (const name of ['k8s.io/api', 'k8s.io/apimachinery', 'k8s.io/apiserver', 'k8s.io/apiextensions-apiserver', 'k8s.io/component-base']) {
      assert.ok(replaced.has(name), `${name} is not replaced`);
    }
  });

  it('replaces the CAPI api module with the same CAPI release', () => {
    assert.deepEqual(replaced.get('sigs.k8s.io/cluster-api/api'), { path: 'sigs.k8s.io/cluster-api/api', version: versions.clusterApi });
  });
});

