// The schema catalog: which kinds it serves, how CRD schemas become JSON schemas, and what loading and
// compiling cost.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CAPI_SCHEMA_FILE, loadBundledCatalog } from '../../src/shared/schema/bundled';
import { SchemaCatalog, type CatalogEntry } from '../../src/shared/schema/catalog';
import { convertSchema } from '../../src/shared/schema/convert';
import type { StructuralSchema } from '../../src/shared/schema/crd';
import { ManifestValidator } from '../../src/shared/schema/validate';
import { capiSchemaDir } from '../fixtures/schemas/examples';

const CAPI_KINDS = {
  'cluster.x-k8s.io': ['Cluster', 'ClusterClass', 'Machine', 'MachineSet', 'MachineDeployment', 'MachineHealthCheck'],
  'controlplane.cluster.x-k8s.io': ['KubeadmControlPlane', 'KubeadmControlPlaneTemplate'],
  'bootstrap.cluster.x-k8s.io': ['KubeadmConfig', 'KubeadmConfigTemplate'],
};

describe('schema catalog', () => {
  let dir: string;
  let catalog: SchemaCatalog;

  before(() => {
    dir = capiSchemaDir();
    catalog = loadBundledCatalog(dir);
  });

  it('serves the DCS kinds, the core kinds and Cluster API core, kubeadm bootstrap and control plane kinds in v1beta1 and v1beta2', () => {
    for (const kind of ['DCSCluster', 'DCSMachine', 'DCSMachineTemplate', 'DCSIpHostnamePool']) {
      assert.equal(catalog.getEntry('infrastructure.cluster.x-k8s.io/v1beta1', kind)?.origin, 'dcs', kind);
    }
    for (const kind of ['Namespace', 'Secret', 'ConfigMap']) assert.equal(catalog.getEntry('v1', kind)?.origin, 'core', kind);
    for (const [group, kinds] of Object.entries(CAPI_KINDS)) {
      for (const kind of kinds) {
        for (const version of ['v1beta1', 'v1beta2']) {
          const entry = catalog.getEntry(`${group}/${version}`, kind);
          assert.equal(entry?.origin, 'capi', `${group}/${version} ${kind}`);
          assert.equal(entry.deprecated, version === 'v1beta1');
          assert.ok(catalog.getSchema(`${group}/${version}`, kind));
        }
      }
    }
    assert.equal(catalog.getSchema('infrastructure.cluster.x-k8s.io/v1beta2', 'DCSCluster'), undefined);
    assert.deepEqual(catalog.versionsOf('infrastructure.cluster.x-k8s.io', 'DCSCluster'), ['v1beta1']);
  });

  it('pins apiVersion and kind, validates metadata as ObjectMeta and converts once', () => {
    const schema = catalog.getSchema('cluster.x-k8s.io/v1beta2', 'Cluster');
    assert.ok(schema);
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    assert.equal(properties.apiVersion?.const, 'cluster.x-k8s.io/v1beta2');
    assert.equal(properties.kind?.const, 'Cluster');
    assert.ok((properties.metadata?.properties as Record<string, unknown> | undefined)?.name, 'ObjectMeta declares name');
    assert.deepEqual(schema.required, ['spec', 'apiVersion', 'kind', 'metadata']);
    assert.equal(schema.additionalProperties, false);
    assert.equal(catalog.getSchema('cluster.x-k8s.io/v1beta2', 'Cluster'), schema);
  });

  it('keeps a CRD constraint on metadata.name on top of ObjectMeta', () => {
    const namespace = catalog.getSchema('v1', 'Namespace');
    const allOf = (namespace?.properties as Record<string, { allOf?: { properties?: Record<string, { maxLength?: number }> }[] }>).metadata?.allOf;
    assert.equal(allOf?.[1]?.properties?.name?.maxLength, 63);
  });

  it('lays a live catalog over the bundled one, entry by entry', () => {
    const secret = catalog.getEntry('v1', 'Secret');
    assert.ok(secret);
    const replaced: CatalogEntry = { ...secret, origin: 'cluster' };
    const layered = catalog.overlay([replaced]);
    assert.equal(layered.getEntry('v1', 'Secret')?.origin, 'cluster');
    assert.equal(layered.getEntry('v1', 'ConfigMap')?.origin, 'core');
    assert.equal(catalog.getEntry('v1', 'Secret')?.origin, 'core');
  });

  it('leaves Cluster API out without a schema directory and refuses a corrupt bundle', () => {
    const bare = loadBundledCatalog();
    assert.ok(bare.getEntry('infrastructure.cluster.x-k8s.io/v1beta1', 'DCSMachine'));
    assert.equal(bare.getEntry('cluster.x-k8s.io/v1beta2', 'Cluster'), undefined);
    const empty = mkdtempSync(join(tmpdir(), 'capi-dcs-schemas-'));
    try {
      assert.equal(loadBundledCatalog(empty).getEntry('cluster.x-k8s.io/v1beta2', 'Cluster'), undefined);
      writeFileSync(join(empty, CAPI_SCHEMA_FILE), '{"crds": [{"kind": "Nope"}]}');
      assert.throws(() => loadBundledCatalog(empty), /not a Cluster API schema bundle/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  describe('measured', () => {
    const timings: string[] = [];
    after(() => {
      for (const line of timings) console.log(`[schema catalog] ${line}`);
    });

    it('loads the bundle in well under a second and compiles every kind in a few seconds at most', () => {
      const t0 = performance.now();
      const loaded = loadBundledCatalog(dir);
      const loadMs = performance.now() - t0;
      const validator = new ManifestValidator(loaded);
      const perKind: [string, number][] = [];
      for (const e of loaded.entries()) {
        const start = performance.now();
        assert.ok(validator.compile(e.apiVersion, e.kind));
        perKind.push([`${e.apiVersion} ${e.kind}`, performance.now() - start]);
      }
      const compileMs = perKind.reduce((sum, [, ms]) => sum + ms, 0);
      const slowest = [...perKind].sort((a, b) => b[1] - a[1]).slice(0, 3);
      timings.push(`load ${loadMs.toFixed(1)} ms; convert+compile ${String(perKind.length)} kinds ${compileMs.toFixed(0)} ms`);
      timings.push(`slowest: ${slowest.map(([k, ms]) => `${k} ${ms.toFixed(0)} ms`).join(', ')}`);
      assert.ok(loadMs < 1000, `load took ${loadMs.toFixed(0)} ms`);
      assert.ok(compileMs < 10_000, `compile took ${compileMs.toFixed(0)} ms`);
    });
  });
});

describe('CRD schema conversion', () => {
  const convert = (node: StructuralSchema): Record<string, unknown> => convertSchema(node);

  it('forbids undeclared fields unless unknown fields are preserved', () => {
    assert.equal(convert({ type: 'object', properties: { a: { type: 'string' } } }).additionalProperties, false);
    assert.equal(convert({ type: 'object' }).additionalProperties, false);
    assert.equal(convert({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }).additionalProperties, undefined);
    assert.deepEqual(convert({ type: 'object', additionalProperties: { type: 'string' } }).additionalProperties, { type: 'string' });
  });

  it('turns int-or-string and nullable into type lists', () => {
    assert.deepEqual(convert({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }).type, ['integer', 'string']);
    assert.deepEqual(convert({ type: 'string', nullable: true, enum: ['a'] }), { type: ['string', 'null'], enum: ['a', null] });
  });

  it('does not forbid fields inside value validations (anyOf, allOf, oneOf, not)', () => {
    const converted = convert({ type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ required: ['a'] }, { properties: { a: { type: 'object' } } }] });
    const branches = converted.anyOf as Record<string, unknown>[];
    assert.equal((branches[1]?.properties as Record<string, Record<string, unknown>>).a?.additionalProperties, undefined);
  });

  it('keeps the formats the API server checks and drops the others', () => {
    assert.equal(convert({ type: 'string', format: 'ipv4' }).format, 'ipv4');
    assert.equal(convert({ type: 'string', format: 'datetime' }).format, 'date-time');
    assert.equal(convert({ type: 'string', format: 'color' }).format, undefined);
    assert.equal(convert({ type: 'integer', format: 'int32' }).format, undefined);
  });

  it('writes exclusive bounds in the draft-07 form and implies the fields of embedded objects', () => {
    assert.deepEqual(convert({ type: 'integer', minimum: 0, exclusiveMinimum: true }), { type: 'integer', exclusiveMinimum: 0 });
    const embedded = convert({ type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } });
    assert.deepEqual(Object.keys(embedded.properties as object).sort(), ['apiVersion', 'kind', 'metadata', 'spec']);
  });
});
