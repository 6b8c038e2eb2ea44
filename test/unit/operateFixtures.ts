// The example cluster (schemas/examples/dcs-cluster-v1beta2.yaml) as the operate features read it: the
// manifest text, its objects, and a ClusterState with Machines and MachineSets added for the lab-b cluster.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planApply } from '../../src/operate/applyPlan';
import type { ClusterState } from '../../src/operate/clusterState';
import type { KubeObject } from '../../src/operate/objectApi';

export const EXAMPLE_PATH = join(__dirname, '..', '..', 'schemas', 'examples', 'dcs-cluster-v1beta2.yaml');
export const EXAMPLE_URI = 'file:///workspace/clusters/lab-b.yaml';
export const NS = 'cpaas-system';

export function exampleText(): string {
  return readFileSync(EXAMPLE_PATH, 'utf8');
}

export function exampleObjects(): KubeObject[] {
  return planApply([{ uri: EXAMPLE_URI, text: exampleText() }]).objects.map((p) => structuredClone(p.object));
}

export function find(objects: readonly KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''} in the example`);
  return found;
}

export function machine(name: string, owner: { kind: 'KubeadmControlPlane' | 'MachineSet'; name: string }, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Machine',
    metadata: {
      name,
      namespace: NS,
      labels: { 'cluster.x-k8s.io/cluster-name': 'lab-b', ...labels },
      ownerReferences: [{ apiVersion: 'x/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true }],
    },
    spec: { clusterName: 'lab-b', bootstrap: { dataSecretName: `${name}-bootstrap` }, infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DCSMachine', name } },
  };
}

export function machineSet(name: string, deployment: string, template: string, version: string, revision: number): KubeObject {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachineSet',
    metadata: {
      name,
      namespace: NS,
      labels: { 'cluster.x-k8s.io/cluster-name': 'lab-b', 'cluster.x-k8s.io/deployment-name': deployment },
      annotations: { 'machinedeployment.clusters.x-k8s.io/revision': String(revision) },
    },
    spec: {
      clusterName: 'lab-b',
      selector: { matchLabels: { 'pool.name': deployment } },
      template: {
        metadata: { labels: { 'pool.name': deployment } },
        spec: {
          clusterName: 'lab-b',
          version,
          bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: 'lab-b-worker-kct' } },
          infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DCSMachineTemplate', name: template },
        },
      },
    },
  };
}

/** The Machines CAPI would have made: 3 on the control plane, 2 on lab-b-md-0. */
export function exampleMachines(): KubeObject[] {
  const cp = { kind: 'KubeadmControlPlane' as const, name: 'lab-b-kcp' };
  const ms = { kind: 'MachineSet' as const, name: 'lab-b-md-0-abcde' };
  return [
    machine('lab-b-kcp-7x2lq', cp, { 'cluster.x-k8s.io/control-plane': '' }),
    machine('lab-b-kcp-9fk3d', cp, { 'cluster.x-k8s.io/control-plane': '' }),
    machine('lab-b-kcp-q8w2m', cp, { 'cluster.x-k8s.io/control-plane': '' }),
    machine('lab-b-md-0-abcde-h5k2p', ms, { 'cluster.x-k8s.io/deployment-name': 'lab-b-md-0' }),
    machine('lab-b-md-0-abcde-t9r4s', ms, { 'cluster.x-k8s.io/deployment-name': 'lab-b-md-0' }),
  ];
}

export function exampleState(edit: (objects: KubeObject[]) => void = () => undefined): ClusterState {
  const objects = exampleObjects();
  edit(objects);
  return {
    namespace: NS,
    cluster: find(objects, 'Cluster'),
    controlPlane: objects.find((o) => o.kind === 'KubeadmControlPlane'),
    deployments: objects.filter((o) => o.kind === 'MachineDeployment'),
    machineSets: [machineSet('lab-b-md-0-abcde', 'lab-b-md-0', 'lab-b-wk-k8s1345', 'v1.34.5-3', 1)],
    machines: exampleMachines(),
    templates: objects.filter((o) => o.kind === 'DCSMachineTemplate'),
    pools: objects.filter((o) => o.kind === 'DCSIpHostnamePool'),
  };
}
