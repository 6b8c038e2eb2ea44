// The dashboard's pure parts: merge patches, the upgrade plan as editable manifests and back, the
// replacement timeline, the picture of a rollout, and the combined schema the playground and planner use.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { loadAll } from 'js-yaml';
import { dashboardState } from '../../src/dashboard/dashboardView';
import { ReplacementTimeline } from '../../src/dashboard/timeline';
import { snapshot } from '../../src/explorer/model';
import { applyMergePatch, mergePatchBetween } from '../../src/operate/mergePatch';
import { planFromManifests, planManifests } from '../../src/operate/upgradeManifests';
import { planUpgrade, type UpgradePlan } from '../../src/operate/upgradePlan';
import { loadBundledCatalog } from '../../src/shared/schema/bundled';
import { combinedSchema } from '../../src/shared/schema/combined';
import { byKind, clusterScenario } from './explorerFixtures';
import { exampleState } from './operateFixtures';

function examplePlan(): UpgradePlan {
  const outcome = planUpgrade(exampleState(), {
    controlPlane: { version: 'v1.35.2-1', vmTemplateName: 'alaudaos-v4.4.0-x86' },
    workers: { version: 'v1.35.2-1', vmTemplateName: 'alaudaos-v4.4.0-x86' },
  });
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.join(' '));
  return outcome.plan;
}

describe('merge patches', () => {
  it('applies RFC 7386 patches and computes the patch between two objects', () => {
    const before = { a: 1, b: { c: 2, d: [1, 2] }, gone: 'x' };
    const after = { a: 1, b: { c: 3, d: [1, 2, 3] }, added: true };
    const patch = mergePatchBetween(before, after);
    assert.deepEqual(patch, { gone: null, b: { c: 3, d: [1, 2, 3] }, added: true });
    assert.deepEqual(applyMergePatch(before, patch), after);
    assert.deepEqual(mergePatchBetween(after, structuredClone(after)), {});
  });
});

describe('upgrade plan as manifests', () => {
  it('shows the new templates and the patched objects, and reads the same steps back', () => {
    const state = exampleState();
    const plan = examplePlan();
    const text = planManifests(state, plan);
    assert.match(text, /kind: DCSMachineTemplate[\s\S]*vmTemplateName: alaudaos-v4\.4\.0-x86/);
    assert.match(text, /kind: KubeadmControlPlane[\s\S]*version: v1\.35\.2-1/);
    assert.doesNotMatch(text, /resourceVersion|managedFields|^status:/m);
    const back = planFromManifests(state, text);
    assert.ok(back.ok, back.ok ? '' : back.errors.join(' '));
    assert.deepEqual(back.plan.templates.map((t) => t.metadata.name), plan.templates.map((t) => t.metadata.name));
    assert.deepEqual(back.plan.controlPlane?.patch, plan.controlPlane?.patch);
    assert.deepEqual(back.plan.deployments.map((d) => d.patch), plan.deployments.map((d) => d.patch));
    assert.equal(back.plan.controlPlane?.toTemplate, plan.controlPlane?.toTemplate);
  });

  it('sends what people edited, and refuses what the upgrade does not do', () => {
    const state = exampleState();
    const plan = examplePlan();
    const edited = planManifests(state, plan).replace(/replicas: 3/, 'replicas: 5');
    const back = planFromManifests(state, edited);
    assert.ok(back.ok);
    assert.equal((back.plan.controlPlane?.patch.spec as { replicas?: number }).replicas, 5);

    const existing = state.templates[0]?.metadata.name ?? '';
    const inPlace = planFromManifests(state, `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: DCSMachineTemplate\nmetadata: {name: ${existing}}\nspec: {}\n`);
    assert.ok(!inPlace.ok && inPlace.errors.some((e) => e.includes('never edited in place')));
    const other = planFromManifests(state, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    assert.ok(!other.ok && other.errors[0]?.includes('not part of the upgrade'));
    const broken = planFromManifests(state, 'kind: [\n');
    assert.ok(!broken.ok && broken.errors[0]?.startsWith('Document 1'));
  });
});

describe('rollout picture and replacement timeline', () => {
  it('shows old and new Machines, the one being replaced, and how long each step took', () => {
    const { objects } = clusterScenario('fleet', 'demo', { cp: 1, workers: 3, mdUpToDate: 1 });
    const held = objects.find((o) => o.metadata.name === 'demo-md-0-2');
    assert.ok(held);
    held.metadata.deletionTimestamp = '2026-08-01T10:05:00Z';
    for (const o of objects) if (o.kind === 'Machine') o.metadata.creationTimestamp = '2026-08-01T10:00:00Z';
    const model = snapshot(byKind(objects));
    const cluster = model.clusters[0];
    assert.ok(cluster);
    const timeline = new ReplacementTimeline();
    const observe = (c: typeof cluster, now: number): void => {
      timeline.update([...(c.controlPlane ? [c.controlPlane] : []), ...c.deployments].flatMap((o) => o.machines.map((machine) => ({ owner: o.id, machine, deletionTimestamp: machine.deleting ? '2026-08-01T10:05:00Z' : undefined }))), now);
    };
    const t1 = Date.parse('2026-08-01T10:06:00Z');
    observe(cluster, t1);
    const state = dashboardState({ context: 'lab', namespace: 'fleet', name: 'demo' }, cluster, 'ready', timeline, t1);
    const md = state.owners.find((o) => o.kind === 'MachineDeployment');
    assert.ok(md);
    assert.deepEqual([md.newMachines, md.oldMachines, md.percent, md.rollingOut], [1, 2, 33, true]);
    assert.deepEqual(md.machines.map((m) => `${m.name}:${m.generation}${m.inMotion ? `:${m.inMotion}` : ''}`), ['demo-md-0-1:old', 'demo-md-0-2:old:deleting', 'demo-md-0-0:new']);
    assert.deepEqual(md.timeline[0], { machine: 'demo-md-0-2', event: 'deleting', at: '2026-08-01T10:05:00Z', durationMs: 60_000, done: false });

    // The held Machine goes away: its deletion is done, with its duration.
    const rest = objects.filter((o) => o !== held);
    const later = snapshot(byKind(rest)).clusters[0];
    assert.ok(later);
    const t2 = Date.parse('2026-08-01T10:07:30Z');
    observe(later, t2);
    const entries = timeline.entries(md.id, t2);
    assert.deepEqual(entries.slice(0, 2).map((e) => [e.machine, e.event, e.durationMs, e.done]), [
      ['demo-md-0-2', 'deleted', undefined, true],
      ['demo-md-0-2', 'deleting', 150_000, true],
    ]);
    assert.equal(dashboardState({ context: 'lab', namespace: 'fleet', name: 'gone' }, undefined, 'ready', timeline, t2).found, false);
  });
});

describe('combined schema', () => {
  const schema = combinedSchema(loadBundledCatalog(join(__dirname, '..', '..', 'dist', 'schemas')));
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

  it('checks each document against the schema of its apiVersion and kind', () => {
    // The example cluster is valid, document by document; a misspelt DCS field is not.
    const docs = loadAll(readFileSync(join(__dirname, '..', '..', 'schemas', 'examples', 'dcs-cluster-v1beta2.yaml'), 'utf8')) as Record<string, unknown>[];
    for (const doc of docs) assert.ok(validate(doc), `${String(doc.kind)}: ${JSON.stringify(validate.errors)}`);
    const template = structuredClone(docs.find((d) => d.kind === 'DCSMachineTemplate')) as { spec: { template: { spec: Record<string, unknown> } } };
    const spec = template.spec.template.spec;
    spec.vmTemplateNam = spec.vmTemplateName;
    Reflect.deleteProperty(spec, 'vmTemplateName');
    assert.ok(!validate(template));
    assert.ok(validate.errors?.some((e) => e.keyword === 'additionalProperties' && (e.params as { additionalProperty?: string }).additionalProperty === 'vmTemplateNam'), JSON.stringify(validate.errors));
    // Kinds outside the catalog stay free: the playground does not invent errors for them.
    assert.ok(validate({ apiVersion: 'example.com/v1', kind: 'Other', anything: 1 }));
  });
});
