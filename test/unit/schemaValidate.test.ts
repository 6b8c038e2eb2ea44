// The validator: examples pass, problems name the field and what was expected at the API server's
// field path, updates check the rules that compare with the stored object, and it is fast.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadBundledCatalog } from '../../src/shared/schema/bundled';
import { substituteVariables, templateVariables } from '../../src/shared/schema/clusterctlTemplate';
import { ManifestValidator, type Problem } from '../../src/shared/schema/validate';
import { capiSchemaDir, ExampleFiles, exampleObject, exampleObjects, exampleText, parseObjects, TEMPLATE_VALUES } from '../fixtures/schemas/examples';

const brief = (problems: readonly Problem[]): string => JSON.stringify(problems.map((p) => `${p.ruleId} ${p.path}: ${p.message}`));

describe('manifest validator', () => {
  let validator: ManifestValidator;
  const timings: string[] = [];

  before(() => {
    validator = new ManifestValidator(loadBundledCatalog(capiSchemaDir()));
  });
  after(() => {
    for (const line of timings) console.log(`[schema validate] ${line}`);
  });

  for (const file of [ExampleFiles.v1beta1, ExampleFiles.v1beta2]) {
    it(`finds no problem in ${file}`, () => {
      const objects = exampleObjects(file);
      assert.ok(objects.length >= 11);
      for (const object of objects) assert.deepEqual(validator.validate(object), [], `${object.kind} ${object.metadata.name}`);
    });
  }

  it('accepts the clusterctl template with placeholders, and its rendering without', () => {
    const text = exampleText(ExampleFiles.template);
    const raw = parseObjects(text);
    for (const object of raw) assert.deepEqual(validator.validate(object, { allowPlaceholders: true }), [], object.kind);
    assert.ok(raw.some((o) => validator.validate(o).length > 0), 'placeholders are problems when not allowed');
    const names = templateVariables(text).map((v) => v.name);
    assert.ok(names.includes('CLUSTER_NAME') && names.includes('CONTROL_PLANE_MACHINE_COUNT'));
    const rendered = substituteVariables(text, TEMPLATE_VALUES);
    assert.deepEqual(rendered.missing, []);
    for (const object of parseObjects(rendered.text)) assert.deepEqual(validator.validate(object), [], `${object.kind}: ${brief(validator.validate(object))}`);
  });

  it('names the field and the expected value in messages', () => {
    const cluster = exampleObject(ExampleFiles.v1beta1, 'DCSCluster');
    const spec = cluster.spec as Record<string, Record<string, unknown>>;
    spec.controlPlaneLoadBalancer = { type: 'haproxy', host: '127.0.10.5', port: '6443' };
    spec.credentialSecretRef = { nmae: 'dcs-lab' };
    const problems = validator.validate(cluster);
    const byPath = new Map(problems.map((p) => [p.path, p]));
    assert.match(byPath.get('spec.controlPlaneLoadBalancer.type')?.message ?? '', /"type" must be one of "internal", "external"; got "haproxy"/);
    assert.match(byPath.get('spec.controlPlaneLoadBalancer.port')?.message ?? '', /"port" must be an integer, got string "6443"/);
    assert.match(byPath.get('spec.credentialSecretRef.nmae')?.message ?? '', /unknown field "nmae"; did you mean "name"\?/);
    assert.match(byPath.get('spec.credentialSecretRef.name')?.message ?? '', /missing required field "name"/);
    assert.equal(problems.length, 4, brief(problems));
  });

  it('writes list indexes as [i] and map keys as [key], with typed segments', () => {
    const pool = exampleObject(ExampleFiles.v1beta1, 'DCSIpHostnamePool', 'lab-a-cp-pool');
    const labels = (pool.metadata as { labels?: Record<string, string> }).labels;
    assert.ok(labels);
    labels.tier = 'not a label value';
    const third = (pool.spec as { pool: Record<string, unknown>[] }).pool[2];
    assert.ok(third);
    third.ip = '127.0.10.999';
    const problems = validator.validate(pool);
    assert.deepEqual(problems.map((p) => p.path).sort(), ['metadata.labels[tier]', 'spec.pool[2].ip']);
    assert.deepEqual(problems.find((p) => p.path === 'spec.pool[2].ip')?.segments, ['spec', 'pool', 2, 'ip']);
  });

  it('checks update rules only against the stored object, correlating pool entries by ip', () => {
    const stored = exampleObject(ExampleFiles.v1beta1, 'DCSIpHostnamePool', 'lab-a-worker-pool');
    assert.deepEqual(validator.validateUpdate(stored, structuredClone(stored)), []);
    const scaledDown = structuredClone(stored);
    (scaledDown.spec as { pool: unknown[] }).pool.splice(0, 1); // dropping a whole entry is allowed
    assert.deepEqual(validator.validateUpdate(stored, scaledDown), []);
    const reordered = structuredClone(stored);
    (reordered.spec as { pool: unknown[] }).pool.reverse();
    assert.deepEqual(validator.validateUpdate(stored, reordered), [], 'entries correlate by ip, not position');
    const appended = structuredClone(stored);
    const firstDisks = ((appended.spec as { pool: { persistentDisk: unknown[] }[] }).pool[0] ?? { persistentDisk: [] }).persistentDisk;
    firstDisks.push({ slot: 2, quantityGB: 10, datastoreName: 'ds-01' });
    assert.deepEqual(validator.validateUpdate(stored, appended), [], 'appending a persistent disk is allowed');
    firstDisks.splice(0, 1);
    assert.deepEqual(validator.validateUpdate(stored, appended).map((p) => [p.ruleId, p.path]), [['dcs-persistent-disk-not-removable', 'spec.pool[0].persistentDisk']]);
    assert.deepEqual(validator.validate(appended), [], 'removal is only a problem on update');
  });

  it('warns about Cluster API kinds it has no schema for and ignores other groups', () => {
    const unknown = validator.validate({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSClusterTemplate', metadata: { name: 'x' } });
    assert.deepEqual(unknown.map((p) => [p.ruleId, p.severity, p.path]), [['unknown-kind', 'warning', 'kind']]);
    assert.deepEqual(validator.validate({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }), []);
    assert.deepEqual(validator.validate({ apiVersion: 'v1', metadata: { name: 'x' } }).map((p) => p.path), ['kind']);
    assert.deepEqual(validator.validate('text').map((p) => p.ruleId), ['not-an-object']);
  });

  it('evaluates the CEL rules of the Cluster API CRDs it recognizes', () => {
    const kct = exampleObject(ExampleFiles.v1beta2, 'KubeadmConfigTemplate');
    const args = (kct.spec as { template: { spec: { joinConfiguration: { nodeRegistration: { kubeletExtraArgs: unknown[] } } } } }).template.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs;
    args.push({ name: 'node-ip', value: '127.0.0.9' });
    const problems = validator.validate(kct);
    assert.deepEqual(problems.map((p) => [p.ruleId, p.path]), [['cel-unique', 'spec.template.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs[3].name']]);
    assert.equal(validator.compile('bootstrap.cluster.x-k8s.io/v1beta2', 'KubeadmConfigTemplate')?.stats.unchecked, 0);
  });

  it('compiles chosen kinds ahead of use, and stops when cancelled', async () => {
    const fresh = new ManifestValidator(validator.catalog);
    assert.equal(await fresh.warmUp((e) => e.origin === 'dcs'), 4);
    const cancelled = new AbortController();
    cancelled.abort();
    assert.equal(await fresh.warmUp(() => true, cancelled.signal), 0);
  });

  it('compiles each kind once', () => {
    const first = validator.compile('cluster.x-k8s.io/v1beta2', 'MachineDeployment');
    validator.validate(exampleObject(ExampleFiles.v1beta2, 'MachineDeployment'));
    assert.equal(validator.compile('cluster.x-k8s.io/v1beta2', 'MachineDeployment'), first);
  });

  it('validates 10,000 lines of manifests in well under a second once compiled', () => {
    const unit = [exampleText(ExampleFiles.v1beta1), exampleText(ExampleFiles.v1beta2)].join('\n---\n');
    const copies = Math.ceil(10_000 / unit.split('\n').length);
    const text = Array.from({ length: copies }, () => unit).join('\n---\n');
    const lines = text.split('\n').length;
    const objects = parseObjects(text);
    for (const o of objects.slice(0, 22)) validator.validate(o); // compile every kind first
    const start = performance.now();
    let problems = 0;
    for (const object of objects) problems += validator.validate(object).length;
    const ms = performance.now() - start;
    timings.push(`validated ${String(lines)} lines (${String(objects.length)} objects) in ${ms.toFixed(0)} ms`);
    assert.equal(problems, 0);
    assert.ok(lines >= 10_000);
    assert.ok(ms < 500, `took ${ms.toFixed(0)} ms`);
  });
});
