// The explorer's tree shape: which elements sit under which, read from the session's snapshots only.
// Pure (no vscode), so the tree is unit-tested without an editor; items.ts turns elements into TreeItems.
import { KIND_INFO, type WatchedKind } from '../kube/kinds';
import type {
  ClusterModel,
  ControlPlaneModel,
  DcsClusterModel,
  DcsMachineModel,
  IpPoolModel,
  IpSlot,
  KindProblem,
  MachineDeploymentModel,
  MachineModel,
  ReplicatedModel,
} from './modelTypes';
import type { Condition } from './normalize';
import type { ContextView } from './session';

export type MessageTone = 'info' | 'loading' | 'warning' | 'error';

export type Element =
  | { readonly type: 'context'; readonly context: string }
  | { readonly type: 'message'; readonly context: string; readonly id: string; readonly label: string; readonly detail?: string; readonly tooltip?: string; readonly tone: MessageTone }
  | { readonly type: 'cluster'; readonly context: string; readonly cluster: ClusterModel }
  | { readonly type: 'controlPlane'; readonly context: string; readonly cluster: ClusterModel; readonly owner: ControlPlaneModel }
  | { readonly type: 'deployments'; readonly context: string; readonly cluster: ClusterModel }
  | { readonly type: 'deployment'; readonly context: string; readonly owner: MachineDeploymentModel }
  | { readonly type: 'rollout'; readonly context: string; readonly owner: ReplicatedModel }
  | { readonly type: 'machines'; readonly context: string; readonly cluster: ClusterModel }
  | { readonly type: 'machine'; readonly context: string; readonly machine: MachineModel; readonly inRollout: boolean }
  | { readonly type: 'dcsMachine'; readonly context: string; readonly dcs: DcsMachineModel }
  | { readonly type: 'disk'; readonly context: string; readonly id: string; readonly label: string }
  | { readonly type: 'conditions'; readonly context: string; readonly ownerId: string; readonly conditions: readonly Condition[] }
  | { readonly type: 'condition'; readonly context: string; readonly ownerId: string; readonly condition: Condition }
  | { readonly type: 'infrastructure'; readonly context: string; readonly cluster: ClusterModel }
  | { readonly type: 'dcsCluster'; readonly context: string; readonly dcs: DcsClusterModel }
  | { readonly type: 'pool'; readonly context: string; readonly pool: IpPoolModel }
  | { readonly type: 'slot'; readonly context: string; readonly pool: IpPoolModel; readonly slot: IpSlot };

/** What the tree reads: the session's views (and nothing else). */
export interface TreeSource {
  view(context: string): ContextView | undefined;
  connect(context: string): void;
}

const plural: Record<WatchedKind, string> = {
  Cluster: 'Clusters',
  KubeadmControlPlane: 'KubeadmControlPlanes',
  MachineDeployment: 'MachineDeployments',
  MachineSet: 'MachineSets',
  Machine: 'Machines',
  DCSCluster: 'DCSClusters',
  DCSMachine: 'DCSMachines',
  DCSIpHostnamePool: 'DCSIpHostnamePools',
};

/** One item that says why a kind is missing, e.g. "MachineDeployments: access denied". */
export function problemMessage(context: string, kind: WatchedKind, problem: KindProblem, scope: string): Element {
  const resource = `${KIND_INFO[kind].plural}.${KIND_INFO[kind].group}`;
  const text: Record<KindProblem['state'], [string, string, MessageTone]> = {
    forbidden: ['access denied', `RBAC does not let you list ${resource}`, 'warning'],
    notInstalled: ['not installed', `this API server does not serve ${resource}`, 'info'],
    unauthorized: ['not authenticated', 'the API server rejected the credentials', 'error'],
    error: ['cannot be read', problem.message, 'error'],
  };
  const [label, detail, tone] = text[problem.state];
  return { type: 'message', context, id: `${context}|${scope}|problem|${kind}`, label: `${plural[kind]}: ${label}`, detail, tooltip: problem.message, tone };
}

export function childrenOf(source: TreeSource, element: Element): Element[] {
  switch (element.type) {
    case 'context':
      return contextChildren(source, element.context);
    case 'cluster':
      return clusterChildren(source, element.context, element.cluster);
    case 'controlPlane':
    case 'deployment':
      return replicatedChildren(source, element.context, element.owner);
    case 'deployments': {
      const problem = source.view(element.context)?.model?.problems.MachineDeployment;
      if (problem) return [problemMessage(element.context, 'MachineDeployment', problem, element.cluster.id)];
      return element.cluster.deployments.map((owner) => ({ type: 'deployment', context: element.context, owner }));
    }
    case 'machines':
      return element.cluster.otherMachines.map((machine) => ({ type: 'machine', context: element.context, machine, inRollout: false }));
    case 'machine':
      return machineChildren(element.context, element.machine);
    case 'dcsMachine':
      return [
        ...element.dcs.disks.map((label, i): Element => ({ type: 'disk', context: element.context, id: `${element.context}|${element.dcs.id}|disk|${i}`, label })),
        ...conditionsGroup(element.context, element.dcs.id, element.dcs.conditions),
      ];
    case 'conditions':
      return element.conditions.map((condition) => ({ type: 'condition', context: element.context, ownerId: element.ownerId, condition }));
    case 'infrastructure':
      return infrastructureChildren(source, element.context, element.cluster);
    case 'dcsCluster':
      return conditionsGroup(element.context, element.dcs.id, element.dcs.conditions);
    case 'pool':
      return element.pool.slots.map((slot) => ({ type: 'slot', context: element.context, pool: element.pool, slot }));
    case 'rollout':
    case 'message':
    case 'disk':
    case 'condition':
    case 'slot':
      return [];
  }
}

function contextChildren(source: TreeSource, context: string): Element[] {
  source.connect(context);
  const view = source.view(context);
  if (!view) return [];
  const out: Element[] = [];
  const message = (id: string, label: string, tone: MessageTone, detail?: string): Element => ({ type: 'message', context, id: `${context}|${id}`, label, tone, detail, tooltip: detail });
  if (view.state === 'unreachable') out.push(message('unreachable', 'Unreachable, retrying', 'error', view.reason));
  else if (view.state === 'connecting' || view.state === 'idle') out.push(message('connecting', 'Connecting…', 'loading'));
  const model = view.model;
  if (!model) return out;
  for (const [kind, problem] of Object.entries(model.problems) as [WatchedKind, KindProblem][]) out.push(problemMessage(context, kind, problem, 'context'));
  out.push(...model.clusters.map((cluster): Element => ({ type: 'cluster', context, cluster })));
  if (view.state === 'ready' && model.clusters.length === 0 && !model.problems.Cluster) out.push(message('empty', 'No Cluster objects', 'info'));
  return out;
}

function clusterChildren(source: TreeSource, context: string, cluster: ClusterModel): Element[] {
  const problems = source.view(context)?.model?.problems ?? {};
  const out: Element[] = [];
  if (cluster.controlPlane) out.push({ type: 'controlPlane', context, cluster, owner: cluster.controlPlane });
  else if (problems.KubeadmControlPlane) out.push(problemMessage(context, 'KubeadmControlPlane', problems.KubeadmControlPlane, cluster.id));
  out.push({ type: 'deployments', context, cluster });
  if (cluster.otherMachines.length > 0) out.push({ type: 'machines', context, cluster });
  out.push({ type: 'infrastructure', context, cluster });
  out.push(...conditionsGroup(context, cluster.id, cluster.conditions));
  return out;
}

function replicatedChildren(source: TreeSource, context: string, owner: ReplicatedModel): Element[] {
  const out: Element[] = [];
  if (owner.rollout.active) out.push({ type: 'rollout', context, owner });
  const problem = source.view(context)?.model?.problems.Machine;
  if (problem) out.push(problemMessage(context, 'Machine', problem, owner.id));
  out.push(...owner.machines.map((machine): Element => ({ type: 'machine', context, machine, inRollout: owner.rollout.active })));
  out.push(...conditionsGroup(context, owner.id, owner.conditions));
  return out;
}

function machineChildren(context: string, machine: MachineModel): Element[] {
  const out: Element[] = [];
  if (machine.infraMachine) out.push({ type: 'dcsMachine', context, dcs: machine.infraMachine });
  out.push(...conditionsGroup(context, machine.id, machine.conditions));
  return out;
}

function infrastructureChildren(source: TreeSource, context: string, cluster: ClusterModel): Element[] {
  const problems = source.view(context)?.model?.problems ?? {};
  const out: Element[] = [];
  const infra = cluster.infrastructure;
  if (infra.cluster) out.push({ type: 'dcsCluster', context, dcs: infra.cluster });
  else if (problems.DCSCluster) out.push(problemMessage(context, 'DCSCluster', problems.DCSCluster, cluster.id));
  if (problems.DCSIpHostnamePool) out.push(problemMessage(context, 'DCSIpHostnamePool', problems.DCSIpHostnamePool, cluster.id));
  out.push(...infra.pools.map((pool): Element => ({ type: 'pool', context, pool })));
  if (out.length === 0) out.push({ type: 'message', context, id: `${context}|${cluster.id}|no-infra`, label: 'No DCS infrastructure found', tone: 'info' });
  return out;
}

function conditionsGroup(context: string, ownerId: string, conditions: readonly Condition[]): Element[] {
  return conditions.length > 0 ? [{ type: 'conditions', context, ownerId, conditions }] : [];
}

/** A stable id per element (VS Code keeps expansion and selection by it). */
export function elementId(e: Element): string {
  switch (e.type) {
    case 'context':
      return `context|${e.context}`;
    case 'message':
    case 'disk':
      return e.id;
    case 'cluster':
      return `${e.context}|${e.cluster.id}`;
    case 'controlPlane':
    case 'deployment':
      return `${e.context}|${e.owner.id}`;
    case 'rollout':
      return `${e.context}|${e.owner.id}|rollout`;
    case 'deployments':
      return `${e.context}|${e.cluster.id}|deployments`;
    case 'machines':
      return `${e.context}|${e.cluster.id}|machines`;
    case 'infrastructure':
      return `${e.context}|${e.cluster.id}|infrastructure`;
    case 'machine':
      return `${e.context}|${e.machine.id}`;
    case 'dcsMachine':
    case 'dcsCluster':
      return `${e.context}|${e.dcs.id}`;
    case 'pool':
      return `${e.context}|${e.pool.id}`;
    case 'slot':
      return `${e.context}|${e.pool.id}|slot|${e.slot.ip}`;
    case 'conditions':
      return `${e.context}|${e.ownerId}|conditions`;
    case 'condition':
      return `${e.context}|${e.ownerId}|condition|${e.condition.type}`;
  }
}
