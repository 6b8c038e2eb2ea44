// Reading manifests: YAML merge keys as kubectl applies them, and Helm chart templates left alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasGoTemplateActions, looksLikeKubernetesYaml, parseManifest } from '../../../server/engine/manifest';
import { check, ids } from './helpers';

const POOL_WITH_MERGE = `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: DCSIpHostnamePool
metadata: {name: p, namespace: ns}
spec:
  pool:
  - &e {ip: "10.0.0.2", mask: "24", gateway: "10.0.0.1", hostname: h1, machineName: m1}
  - <<: *e
    ip: "10.0.0.3"
    hostname: h2
    machineName: m2
`;

describe('manifest reading', () => {
  it('applies YAML merge keys, in both parsers', () => {
    const expected = { ip: '10.0.0.3', mask: '24', gateway: '10.0.0.1', hostname: 'h2', machineName: 'm2' };
    const fast = parseManifest(POOL_WITH_MERGE).docs[0]?.object;
    assert.deepEqual((fast?.spec as { pool: unknown[] }).pool[1], expected);
    // More aliases than the fast reader takes: the `yaml` package reads the chunk.
    const slowText = `${POOL_WITH_MERGE}status:\n  refs: [${Array.from({ length: 25 }, () => '*e').join(', ')}]\n`;
    const slow = parseManifest(slowText).docs[0];
    assert.deepEqual(parseManifest(slowText).syntaxErrors, []);
    assert.deepEqual((slow?.object?.spec as { pool: unknown[] }).pool[1], expected);
    assert.deepEqual(ids(check({ 'file:///p.yaml': POOL_WITH_MERGE }, 'file:///p.yaml').filter((p) => p.ruleId.startsWith('schema-'))), []);
  });

  it('skips Helm chart templates but not cloud-init Jinja inside bootstrap data', () => {
    const helm = 'apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  {{- if .Values.paused }}\n  paused: true\n  {{- end }}\n';
    assert.equal(hasGoTemplateActions(helm), true);
    assert.equal(looksLikeKubernetesYaml(helm), false);
    const jinja = "apiVersion: bootstrap.cluster.x-k8s.io/v1beta2\nkind: KubeadmConfigTemplate\nmetadata: {name: t}\nspec:\n  template:\n    spec:\n      joinConfiguration:\n        nodeRegistration: {name: '{{ ds.meta_data.hostname }}'}\n";
    assert.equal(looksLikeKubernetesYaml(jinja), true);
    // An action in a comment only: still a manifest.
    assert.equal(looksLikeKubernetesYaml('apiVersion: v1\nkind: ConfigMap\n# rendered from {{ .Values.x }}\nmetadata: {name: c}\n'), true);
  });

  it('reports input nested too deep to read once per document, not once per node', () => {
    const depth = 20_000;
    const { syntaxErrors } = parseManifest(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
    assert.deepEqual(syntaxErrors.map((e) => e.message), [`This document cannot be read: nesting too deep (${depth + 1} levels)`]);
  });
});
