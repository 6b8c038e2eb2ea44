// Scale, Restart Rollout, Pause/Resume Cluster, Delete Machine and Roll Back Machine Deployment: find the
// object (tree element or quick picks), plan the change, preview it with a dry run, confirm with what it
// replaces or deletes, send it, and show the cluster in the explorer.
import * as vscode from 'vscode';
import { getNumber } from '../../server/engine/objects';
import type { ClusterTarget } from '../explorer/targets';
import { readClusterState, type ClusterState } from './clusterState';
import { comparable, toYaml } from './diff';
import { OPERATE_FIELD_MANAGER } from './ids';
import type { KubeObject, ObjectApi } from './objectApi';
import { confirm, UserCancelled, type OperateServices } from './operateServices';
import { ownerSummary, pickCluster, pickMachine, pickOwner } from './pickers';
import { withCancellableProgress } from './progress';
import { checkReachable } from './reachability';
import { replacedGroup, replacementNotice } from './replacement';
import { planDeleteMachine, planPause, planRestart, planRollback, planScale, type ActionPlan } from './rolloutActions';
import { clusterOf, machineTargetOf, ownerTargetOf } from './targets';

type OwnerKind = 'KubeadmControlPlane' | 'MachineDeployment';

interface Loaded {
  readonly target: ClusterTarget;
  readonly api: ObjectApi;
  readonly state: ClusterState;
}

async function load(services: OperateServices, arg: unknown, title: string): Promise<Loaded> {
  const element = services.element(arg);
  const target = (element ? clusterOf(element, services.explorer.session) : undefined) ?? (await pickCluster(services, title));
  const api = services.objectApi(target.context);
  const state = await withCancellableProgress(`Reading cluster ${target.name}`, async (_p, signal) => {
    await checkReachable(api.client, signal);
    return readClusterState(api, target.namespace, target.name, signal);
  });
  return { target, api, state };
}

async function owner(services: OperateServices, arg: unknown, loaded: Loaded, title: string, kinds: readonly OwnerKind[]): Promise<KubeObject> {
  const element = services.element(arg);
  const fromTree = element ? ownerTargetOf(element) : undefined;
  if (fromTree) {
    if (!kinds.includes(fromTree.kind)) throw new Error(`${title} works on ${kinds.map((k) => (k === 'MachineDeployment' ? 'machine deployments' : 'control planes')).join(' and ')} only`);
    const found = fromTree.kind === 'KubeadmControlPlane' ? loaded.state.controlPlane : loaded.state.deployments.find((d) => d.metadata.name === fromTree.name);
    if (found) return found;
  }
  return pickOwner(loaded.state, `${title}: ${loaded.target.name}`, kinds);
}

export async function scale(services: OperateServices, arg: unknown): Promise<void> {
  const loaded = await load(services, arg, 'Scale');
  const target = await owner(services, arg, loaded, 'Scale', ['KubeadmControlPlane', 'MachineDeployment']);
  const typed = await vscode.window.showInputBox({
    title: `Scale ${target.metadata.name}: ${ownerSummary(target)}`,
    prompt: 'Number of machines',
    value: String(getNumber(target, ['spec', 'replicas']) ?? 1),
    validateInput: (text) => {
      if (!/^\d+$/.test(text.trim())) return 'a whole number, 0 or more';
      return planScale(target, Number(text), loaded.state).errors[0];
    },
  });
  if (typed === undefined) throw new UserCancelled();
  await send(services, loaded, planScale(target, Number(typed), loaded.state));
}

export async function restartRollout(services: OperateServices, arg: unknown): Promise<void> {
  const loaded = await load(services, arg, 'Restart Rollout');
  const target = await owner(services, arg, loaded, 'Restart Rollout', ['KubeadmControlPlane', 'MachineDeployment']);
  await send(services, loaded, planRestart(target, new Date()), replacementNotice([replacedGroup(loaded.state, target)]));
}

export async function rollback(services: OperateServices, arg: unknown): Promise<void> {
  const loaded = await load(services, arg, 'Roll Back Machine Deployment');
  const target = await owner(services, arg, loaded, 'Roll Back Machine Deployment', ['MachineDeployment']);
  await send(services, loaded, planRollback(target, loaded.state), replacementNotice([replacedGroup(loaded.state, target)]));
}

export async function pauseCluster(services: OperateServices, arg: unknown, paused: boolean): Promise<void> {
  const loaded = await load(services, arg, paused ? 'Pause Cluster' : 'Resume Cluster');
  await send(services, loaded, planPause(loaded.state.cluster, paused));
}

export async function deleteMachine(services: OperateServices, arg: unknown): Promise<void> {
  const loaded = await load(services, arg, 'Delete Machine');
  const element = services.element(arg);
  const fromTree = element ? machineTargetOf(element, services.explorer.session) : undefined;
  if (element && !fromTree) throw new Error('Delete Machine works on machines (or their DCS machines) only');
  const machine = (fromTree ? loaded.state.machines.find((m) => m.metadata.name === fromTree.name) : undefined) ?? (await pickMachine(loaded.state, `Delete Machine: ${loaded.target.name}`));
  await send(services, loaded, planDeleteMachine(machine, loaded.state));
}

/** Refuses, previews (diff for patches), confirms with the warnings, sends, and shows the cluster. */
async function send(services: OperateServices, loaded: Loaded, plan: ActionPlan, notice?: string): Promise<void> {
  if (plan.errors.length > 0) throw new Error(plan.errors.join(' '));
  const { api, target } = loaded;
  const options = { fieldManager: OPERATE_FIELD_MANAGER };
  const dry = await withCancellableProgress(`Dry run: ${plan.summary}`, async (_p, signal) => {
    if (!plan.patch) {
      await api.delete(plan.ref, { dryRun: true, signal });
      return undefined;
    }
    const live = await api.get(plan.ref, signal);
    return { live, result: await api.mergePatch(plan.ref, plan.patch, { ...options, dryRun: true, signal }) };
  });
  if (dry) await services.diff.show(`${plan.summary}: live ↔ after`, plan.ref.name, dry.live ? toYaml(comparable(dry.live)) : '', toYaml(comparable(dry.result)));
  const detail = [...plan.warnings, ...(notice ? [notice] : [])].join('\n\n');
  await confirm(`${plan.summary} on ${target.context}?`, detail, plan.patch ? 'Apply' : 'Delete');
  await withCancellableProgress(plan.summary, async (_p, signal) => {
    if (plan.patch) await api.mergePatch(plan.ref, plan.patch, { ...options, signal });
    else await api.delete(plan.ref, { signal });
  });
  services.ctx.log.info(`${plan.summary} on ${target.context}: done`);
  void vscode.window.showInformationMessage(`${plan.summary}: done.`);
  await services.followInExplorer(target.context);
}
