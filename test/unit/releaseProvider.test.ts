// The provider release's files, built from the real sources (schemas/crds, config/rbac, the example
// template) without a server: what each flavor changes, and how the controller's rules are split.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { componentObjects, controllerRules, COMPONENTS_NAMESPACE, SERVICE_ACCOUNT } from '../../src/release/components';
import { clusterctlConfigYaml, metadataYaml, releaseVersion } from '../../src/release/repository';
import { FLAVORS, renderFlavor } from '../../src/release/templates';

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> } & Record<string, unknown>;

async function flavorObjects(name: string): Promise<Obj[]> {
  const flavor = FLAVORS.find((f) => f.name === name);
  assert.ok(flavor, name);
  const text = await renderFlavor(flavor);
  return parseAllDocuments(text).map((d) => d.toJS() as Obj);
}

function pools(objects: readonly Obj[]): Map<string, { persistentDisk?: unknown }[]> {
  return new Map(objects.filter((o) => o.kind === 'DCSIpHostnamePool').map((o) => [o.metadata.name, (o.spec as { pool: { persistentDisk?: unknown }[] }).pool]));
}

function kcp(objects: readonly Obj[]): { replicas: unknown; rollout: { strategy: { rollingUpdate: { maxSurge: unknown } } } } {
  const found = objects.find((o) => o.kind === 'KubeadmControlPlane');
  assert.ok(found);
  return found.spec as never;
}

describe('provider release files', () => {
  it('default template: one control-plane machine that surges into a spare pool entry, no persistent disks', async () => {
    const objects = await flavorObjects('');
    const cp = pools(objects).get('${CLUSTER_NAME}-cp-pool');
    assert.equal(cp?.length, 2);
    assert.equal(kcp(objects).replicas, '${CONTROL_PLANE_MACHINE_COUNT:=1}');
    assert.equal(kcp(objects).rollout.strategy.rollingUpdate.maxSurge, 1);
    for (const entries of pools(objects).values()) for (const e of entries) assert.equal(e.persistentDisk, undefined);
  });

  it('ha template: three machines written out, a DRS anti-affinity rule, no persistent disks', async () => {
    const objects = await flavorObjects('ha');
    assert.equal(pools(objects).get('${CLUSTER_NAME}-cp-pool')?.length, 3);
    assert.equal(kcp(objects).replicas, 3);
    const dcsCluster = objects.find((o) => o.kind === 'DCSCluster');
    assert.deepEqual(dcsCluster?.spec?.controlPlaneHA, { enabled: true });
    for (const entries of pools(objects).values()) for (const e of entries) assert.equal(e.persistentDisk, undefined);
  });

  it('persistent-disk template: a persistent disk on every pool entry, three machines, no surge', async () => {
    const objects = await flavorObjects('persistent-disk');
    assert.equal(kcp(objects).replicas, 3);
    assert.equal(kcp(objects).rollout.strategy.rollingUpdate.maxSurge, 0);
    for (const entries of pools(objects).values()) for (const e of entries) assert.ok(Array.isArray(e.persistentDisk));
  });

  it('splits config/rbac: Leases only through a Role in the provider namespace, the rest cluster-wide', async () => {
    const { clusterWide, leaderElection } = await controllerRules();
    assert.ok(leaderElection.every((r) => r.apiGroups.includes('coordination.k8s.io')));
    assert.ok(clusterWide.every((r) => !r.apiGroups.includes('coordination.k8s.io')));
    const objects = (await componentObjects('v9.9.9')) as Obj[];
    const role = objects.find((o) => o.kind === 'Role');
    assert.equal(role?.metadata.namespace, COMPONENTS_NAMESPACE);
    const bindings = objects.filter((o) => o.kind.endsWith('Binding')) as unknown as { subjects: { name: string; namespace: string }[] }[];
    assert.equal(bindings.length, 2);
    for (const b of bindings) assert.deepEqual(b.subjects.map((s) => `${s.namespace}/${s.name}`), [`${COMPONENTS_NAMESPACE}/${SERVICE_ACCOUNT}`]);
    const deployment = JSON.stringify(objects.find((o) => o.kind === 'Deployment'));
    assert.match(deployment, /\$\{DCS_CONTROLLER_IMAGE:=localhost\/capi-dcs-controller:v9\.9\.9\}/);
    assert.match(deployment, /--log-level=\$\{DCS_LOG_LEVEL:=info\}/);
  });

  it('names the release after package.json and maps its series to the v1beta2 contract', () => {
    assert.equal(releaseVersion('1.2.3'), 'v1.2.3');
    assert.throws(() => releaseVersion('1.2'));
    assert.match(metadataYaml('v1.2.3'), /major: 1\n\s+minor: 2\n\s+contract: v1beta2/);
    assert.match(clusterctlConfigYaml('/x/repo'), /url: file:\/\/\/x\/repo\/infrastructure-dcs\/latest\/infrastructure-components\.yaml/);
  });
});
