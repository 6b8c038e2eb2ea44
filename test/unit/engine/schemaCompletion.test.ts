import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseManifest } from '../../../server/engine/manifest';
import { CatalogSchemaChecker } from '../../../server/engine/schemaChecker';
import { schemaCompletions } from '../../../server/engine/schemaCompletion';
import { loadBundledCatalog } from '../../../src/shared/schema/bundled';
import { ManifestValidator } from '../../../src/shared/schema/validate';

describe('schema completion', () => {
  let schemas: CatalogSchemaChecker;

  before(() => {
    schemas = new CatalogSchemaChecker(new ManifestValidator(loadBundledCatalog(join(__dirname, '..', '..', '..', 'dist', 'schemas'))));
  });

  function complete(text: string, marker = '|', capiVersion?: 'v1beta1' | 'v1beta2') {
    const offset = text.indexOf(marker);
    const clean = text.replace(marker, '');
    const doc = parseManifest(clean).docs.find((d) => d.start <= offset && offset <= d.end + 1);
    return schemaCompletions(schemas, doc, offset, capiVersion);
  }

  it('ranks and preselects the apiVersion of the CAPI version the project prefers', () => {
    for (const preferred of ['v1beta1', 'v1beta2'] as const) {
      const items = complete('kind: Cluster\napiVersion: |\n', '|', preferred);
      const chosen = items.filter((i) => i.preselect).map((i) => i.label);
      assert.deepEqual(chosen, [`cluster.x-k8s.io/${preferred}`]);
      const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
      assert.equal(sorted[0], `cluster.x-k8s.io/${preferred}`, sorted.join(','));
    }
    // A new object: the preferred version's kinds first.
    const first = [...complete('', '|', 'v1beta1')].filter((i) => i.label.startsWith('Cluster ('));
    const order = first.sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
    assert.deepEqual(order, ['Cluster (cluster.x-k8s.io/v1beta1)', 'Cluster (cluster.x-k8s.io/v1beta2)']);
  });

  it('offers the DCS fields of a machine template spec that are not there yet, required ones first', () => {
    const items = complete(
      'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: DCSMachineTemplate\nmetadata: {name: t}\nspec:\n  template:\n    spec:\n      vmTemplateName: x\n      |\n',
    );
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('ipHostPoolRef') && labels.includes('vmConfig') && labels.includes('location'), labels.join(','));
    assert.ok(!labels.includes('vmTemplateName'), 'a field already present is not offered again');
    const pool = items.find((i) => i.label === 'ipHostPoolRef');
    assert.match(pool?.detail ?? '', /required/);
    assert.ok((pool?.documentation ?? '').length > 10);
  });

  it('completes half-typed keys inside list items', () => {
    const items = complete(
      'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: DCSIpHostnamePool\nmetadata: {name: p}\nspec:\n  pool:\n  - ip: 127.0.0.2\n    gat|\n',
    );
    assert.ok(items.some((i) => i.label === 'gateway'));
    assert.ok(!items.some((i) => i.label === 'ip'));
  });

  it('offers enum values and kinds', () => {
    const values = complete(
      'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: DCSCluster\nmetadata: {name: c}\nspec:\n  controlPlaneLoadBalancer:\n    type: |\n',
    );
    assert.deepEqual(values.map((v) => v.label).sort(), ['external', 'internal']);
    const kinds = complete('apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: |\n');
    assert.deepEqual(kinds.map((k) => k.label).sort(), ['DCSCluster', 'DCSIpHostnamePool', 'DCSMachine', 'DCSMachineTemplate']);
  });

  it('starts a new object with an apiVersion and kind pair', () => {
    const items = complete('|\n');
    const template = items.find((i) => i.label.startsWith('DCSMachineTemplate ('));
    assert.equal(template?.insertText, 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: DCSMachineTemplate\nmetadata:\n  name: ');
  });
});
