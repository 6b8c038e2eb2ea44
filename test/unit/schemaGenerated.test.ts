// The DCS CRDs and TypeScript types are generated from schemas/src/dcs-api.yaml: the committed files
// must equal a fresh generation, and the CRDs must follow the provider contract and the CEL limits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { generateDcsFiles, staleDcsFiles, CRD_DIR } from '../../scripts/gen-dcs';
import { DCS_API_VERSION, DCS_CONTRACT_LABELS, DcsKinds } from '../../src/shared/api/dcs.generated';
import { dcsCrds } from '../../src/shared/api/dcsCrds.generated';
import { findCelCheck } from '../../src/shared/schema/celLookup';
import type { CustomResourceDefinition, StructuralSchema } from '../../src/shared/schema/crd';
import { REPO_ROOT } from '../fixtures/schemas/examples';

function crdFiles(): CustomResourceDefinition[] {
  return Object.values(DcsKinds).map(
    (k) => parse(readFileSync(join(REPO_ROOT, CRD_DIR, `infrastructure.cluster.x-k8s.io_${k.plural}.yaml`), 'utf8')) as CustomResourceDefinition,
  );
}

function walk(node: StructuralSchema, path: string, visit: (node: StructuralSchema, path: string) => void): void {
  visit(node, path);
  for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${name}`, visit);
  if (node.items) walk(node.items, `${path}[]`, visit);
  if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}[*]`, visit);
}

function rootOf(crd: CustomResourceDefinition): StructuralSchema {
  const root = crd.spec.versions[0]?.schema?.openAPIV3Schema;
  assert.ok(root, `${crd.metadata.name} has no schema`);
  return root;
}

describe('generated DCS API', () => {
  it('committed CRDs and types equal a fresh generation (run node --import tsx scripts/gen-dcs.ts)', () => {
    assert.deepEqual(staleDcsFiles(REPO_ROOT), []);
    assert.equal(generateDcsFiles(REPO_ROOT).size, 6);
  });

  it('the bundled CRDs are the CRD files', () => {
    assert.deepEqual(dcsCrds, crdFiles());
  });

  it('names every CRD <flect plural>.<group> with both contract labels, a status subresource and one stored version', () => {
    const expected = ['dcsclusters', 'dcsmachines', 'dcsmachinetemplates', 'dcsiphostnamepools'];
    assert.deepEqual(crdFiles().map((c) => c.spec.names.plural), expected);
    for (const crd of crdFiles()) {
      assert.equal(crd.metadata.name, `${crd.spec.names.plural}.infrastructure.cluster.x-k8s.io`);
      // Pools belong to no Cluster: only their CRD carries clusterctl's move label, so `clusterctl move` takes them.
      const move = crd.spec.names.kind === 'DCSIpHostnamePool' ? { 'clusterctl.cluster.x-k8s.io/move': '' } : {};
      assert.deepEqual(crd.metadata.labels, { 'cluster.x-k8s.io/v1beta1': 'v1beta1', 'cluster.x-k8s.io/v1beta2': 'v1beta1', ...move });
      assert.equal(crd.spec.scope, 'Namespaced');
      assert.deepEqual(crd.spec.versions.map((v) => [v.name, v.served, v.storage]), [['v1beta1', true, true]]);
      const version = crd.spec.versions[0];
      assert.ok(version);
      assert.deepEqual(version.subresources, { status: {} });
      assert.ok((version.additionalPrinterColumns ?? []).length >= 4, `${crd.metadata.name} printer columns`);
      assert.ok((crd.spec.names.shortNames ?? []).length === 1);
      assert.deepEqual(crd.spec.names.categories, ['cluster-api']);
    }
    assert.deepEqual(DCS_CONTRACT_LABELS, crdFiles()[0]?.metadata.labels);
    assert.equal(DCS_API_VERSION, 'infrastructure.cluster.x-k8s.io/v1beta1');
  });

  it('reports provisioning in both contracts: status.ready and status.initialization.provisioned', () => {
    for (const crd of crdFiles().filter((c) => c.spec.names.kind === 'DCSCluster' || c.spec.names.kind === 'DCSMachine')) {
      const status = rootOf(crd).properties?.status?.properties ?? {};
      assert.equal(status.ready?.type, 'boolean');
      const initialization = status.initialization?.properties ?? {};
      assert.equal(initialization.provisioned?.type, 'boolean');
    }
  });

  it('bounds every list and string, so CEL cost estimates stay within the API server budget', () => {
    for (const crd of crdFiles()) {
      walk(rootOf(crd), crd.spec.names.kind, (node, path) => {
        if (node.type === 'array') assert.ok(node.maxItems !== undefined, `${path} has no maxItems`);
        const bounded = node.maxLength !== undefined || node.enum !== undefined || node.format === 'date-time';
        const insideMap = path.endsWith('[*]');
        if (node.type === 'string' && !insideMap && !path.endsWith('.apiVersion') && !path.endsWith('.kind')) {
          assert.ok(bounded, `${path} has no maxLength`);
        }
      });
    }
  });

  it('gives every CEL rule of the CRDs a TypeScript twin', () => {
    let rules = 0;
    for (const crd of crdFiles()) {
      walk(rootOf(crd), crd.spec.names.kind, (node, path) => {
        for (const rule of node['x-kubernetes-validations'] ?? []) {
          rules++;
          assert.ok(findCelCheck(rule)?.id.startsWith('dcs-'), `${path}: no twin for ${rule.rule}`);
        }
      });
    }
    assert.ok(rules >= 20, `rules: ${String(rules)}`);
  });

  it('keys pool entries by ip and persistent disks by slot, which makes both unique', () => {
    const pool = crdFiles().find((c) => c.spec.names.kind === 'DCSIpHostnamePool');
    assert.ok(pool);
    const list = rootOf(pool).properties?.spec?.properties?.pool;
    assert.equal(list?.['x-kubernetes-list-type'], 'map');
    assert.deepEqual(list['x-kubernetes-list-map-keys'], ['ip']);
    const disks = list.items?.properties?.persistentDisk;
    assert.deepEqual(disks?.['x-kubernetes-list-map-keys'], ['slot']);
    assert.equal(disks.items?.properties?.pciType?.default, 'VIRTIO');
  });
});
