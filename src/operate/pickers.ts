// Quick picks for palette invocations: which cluster, which control plane or deployment, which Machine.
import * as vscode from 'vscode';
import { getString } from '../../server/engine/objects';
import type { ClusterTarget } from '../explorer/targets';
import { listClusters, type ClusterState } from './clusterState';
import { infraRefOf, versionOf } from './capiShapes';
import type { KubeObject } from './objectApi';
import type { OperateServices } from './operateServices';
import { UserCancelled } from './operateServices';

export async function pickCluster(services: OperateServices, title: string): Promise<ClusterTarget> {
  const context = await services.pickContext(title);
  if (!context) throw new UserCancelled();
  const clusters = await listClusters(services.objectApi(context), undefined);
  if (clusters.length === 0) throw new Error(`context ${context} has no Cluster objects`);
  const items = clusters.map((c) => ({
    label: c.metadata.name,
    description: `${c.metadata.namespace ?? ''} · ${context}`,
    detail: (c.spec as { paused?: unknown } | undefined)?.paused === true ? 'paused' : undefined,
    target: { context, namespace: c.metadata.namespace ?? 'default', name: c.metadata.name },
  }));
  // One cluster: nothing to choose (every command confirms before it changes anything).
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title, placeHolder: 'Cluster' });
  if (!picked) throw new UserCancelled();
  return picked.target;
}

/** "v1.34.5-3 · lab-b-cp-k8s1345 · 3 replicas" for the control plane or a deployment. */
export function ownerSummary(owner: KubeObject): string {
  const replicas = (owner.spec as { replicas?: unknown } | undefined)?.replicas;
  return [versionOf(owner) ?? 'no version', infraRefOf(owner)?.name, typeof replicas === 'number' ? `${replicas} replicas` : undefined].filter(Boolean).join(' · ');
}

export async function pickOwner(state: ClusterState, title: string, kinds: readonly ('KubeadmControlPlane' | 'MachineDeployment')[]): Promise<KubeObject> {
  const owners = [...(kinds.includes('KubeadmControlPlane') && state.controlPlane ? [state.controlPlane] : []), ...(kinds.includes('MachineDeployment') ? state.deployments : [])];
  if (owners.length === 0) throw new Error(`cluster ${state.cluster.metadata.name} has no ${kinds.includes('KubeadmControlPlane') ? 'control plane or ' : ''}machine deployments`);
  if (owners.length === 1 && owners[0]) return owners[0];
  const picked = await vscode.window.showQuickPick(
    owners.map((o) => ({ label: o.metadata.name, description: o.kind === 'KubeadmControlPlane' ? 'control plane' : 'machine deployment', detail: ownerSummary(o), owner: o })),
    { title, placeHolder: 'Control plane or machine deployment' },
  );
  if (!picked) throw new UserCancelled();
  return picked.owner;
}

export async function pickMachine(state: ClusterState, title: string): Promise<KubeObject> {
  if (state.machines.length === 0) throw new Error(`cluster ${state.cluster.metadata.name} has no Machines`);
  const picked = await vscode.window.showQuickPick(
    state.machines.map((m) => ({
      label: m.metadata.name,
      description: [getString(m, ['status', 'phase']), getString(m, ['status', 'nodeRef', 'name'])].filter(Boolean).join(' · '),
      detail: m.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined ? 'control plane' : m.metadata.labels?.['cluster.x-k8s.io/deployment-name'],
      machine: m,
    })),
    { title, placeHolder: 'Machine' },
  );
  if (!picked) throw new UserCancelled();
  return picked.machine;
}
