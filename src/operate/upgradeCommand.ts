// Upgrade Cluster: read the cluster, ask what to move where, plan the immutable upgrade, preview every step
// with a dry run in the diff editor, say which machines are replaced and what their disks lose, then create
// the templates, move the control plane, wait for it, move the workers, and follow the rollout in the
// explorer. Afterwards, offer to write the same change into the workspace files the cluster came from.
import * as vscode from 'vscode';
import { describeFailure } from './apiErrors';
import { readClusterState, type ClusterState } from './clusterState';
import { waitForControlPlane } from './controlPlaneWait';
import { toYaml, comparable } from './diff';
import type { KubeObject, ObjectApi } from './objectApi';
import { describeRef } from './objectApi';
import { confirm, confirmAfterReview, type OperateServices } from './operateServices';
import { pickCluster } from './pickers';
import { withCancellableProgress } from './progress';
import { checkReachable } from './reachability';
import { replacedGroup, replacementNotice } from './replacement';
import type { ClusterTarget } from '../explorer/targets';
import { clusterOf } from './targets';
import { askUpgrade, versionsLine } from './upgradeDialog';
import { executeUpgrade, previewUpgrade, type ExecuteResult, type UpgradeStepResult } from './upgradeRun';
import { planUpgrade, type UpgradePlan } from './upgradePlan';
import { readVmTemplates } from './vmTemplates';
import { readWorkspaceYaml, writeEdits } from './workspaceFiles';
import { definedInWorkspace, planWriteBack } from './workspaceWriteBack';

export async function upgradeCluster(services: OperateServices, arg: unknown): Promise<void> {
  const element = services.element(arg);
  const target = (element ? clusterOf(element, services.explorer.session) : undefined) ?? (await pickCluster(services, 'Upgrade Cluster'));
  const { api, state, plan } = await askUpgradePlan(services, target);
  await runUpgradePlan(services, target, api, state, plan);
}

export interface PlannedUpgrade {
  readonly api: ObjectApi;
  readonly state: ClusterState;
  readonly plan: UpgradePlan;
}

/** Reads the cluster, asks what to move where, and plans the immutable upgrade (throws when it is refused). */
export async function askUpgradePlan(services: OperateServices, target: ClusterTarget): Promise<PlannedUpgrade> {
  const api = services.objectApi(target.context);
  const [state, releases] = await withCancellableProgress(`Reading cluster ${target.name}`, async (_p, signal) => {
    await checkReachable(api.client, signal);
    return Promise.all([readClusterState(api, target.namespace, target.name, signal), readVmTemplates(api, target.namespace, signal)]);
  });
  services.ctx.log.info(`upgrade ${target.name}: ${versionsLine(state)}`);
  const request = await askUpgrade(state, releases);
  const outcome = planUpgrade(state, request);
  if (!outcome.ok) {
    for (const e of outcome.errors) services.ctx.log.warn(`upgrade ${target.name} refused: ${e}`);
    throw new Error(`the upgrade is refused: ${outcome.errors.join(' ')}`);
  }
  return { api, state, plan: outcome.plan };
}

/**
 * Runs a plan the way Upgrade Cluster does (also for the dashboard's planner): a dry run of every step in the
 * diff editor, a confirmation naming the machines to be replaced, the steps in order, the explorer following
 * the rollout, and the offer to write the change back into the workspace files.
 */
export async function runUpgradePlan(services: OperateServices, target: ClusterTarget, api: ObjectApi, state: ClusterState, plan: UpgradePlan): Promise<void> {
  const preview = await withCancellableProgress(`Dry run of the upgrade of ${target.name}`, (_p, signal) => previewUpgrade(api, plan, signal));
  const refused = preview.filter((s) => s.error !== undefined);
  if (refused.length > 0) throw new Error(`the API server refuses ${refused.map((s) => `${describeRef(s.ref)} (${describeFailure(s.error)})`).join('; ')}. Nothing was changed`);
  await services.diff.show(`Upgrade ${target.name} on ${target.context}: live ↔ after upgrade`, `upgrade-${target.name}`, ...diffOf(preview));
  await confirmAfterReview(`Upgrade ${target.name}: ${preview.length} changes in the diff editor. Continue?`, 'Continue');
  const waits = services.config.waitForControlPlane && plan.controlPlane !== undefined && plan.deployments.length > 0;
  await confirm(`Upgrade ${target.name} on ${target.context}?`, confirmationDetail(state, plan, preview, waits), 'Upgrade');

  const result = await execute(services, api, plan, waits);
  await services.followInExplorer(target.context);
  for (const s of result.steps) {
    if (s.error) services.ctx.log.error(`upgrade ${target.name}: ${s.description}`, s.error);
    else services.ctx.log.info(`upgrade ${target.name}: ${s.description}: ${s.skipped ? 'not done' : 'done'}`);
  }
  if (result.ok) void vscode.window.showInformationMessage(`Upgrade of ${target.name} started: the explorer follows the rollout.`);
  else void vscode.window.showWarningMessage(`Upgrade of ${target.name} stopped: ${result.stoppedBecause ?? 'unknown reason'}. ${doneText(result)}`);
  await offerWriteBack(services, donePart(plan, result));
}

function diffOf(preview: readonly UpgradeStepResult[]): [string, string] {
  const left: string[] = [];
  const right: string[] = [];
  for (const s of preview) {
    const header = `# ${s.description}\n`;
    left.push(`${header}${s.live ? toYaml(comparable(s.live)) : '# (does not exist)\n'}`);
    right.push(`${header}${s.result ? toYaml(comparable(s.result)) : ''}`);
  }
  return [left.join('---\n'), right.join('---\n')];
}

function confirmationDetail(state: ClusterState, plan: UpgradePlan, preview: readonly UpgradeStepResult[], waits: boolean): string {
  const owners = [plan.controlPlane ? state.controlPlane : undefined, ...plan.deployments.map((d) => state.deployments.find((o) => o.metadata.name === d.ref.name))].filter((o): o is KubeObject => o !== undefined);
  const steps = preview.map((s, i) => `${i + 1}. ${s.description}`).join('\n');
  const order = waits ? '\n\nThe workers move only after the control plane has finished its rollout (the progress notification shows the wait; cancelling it leaves the workers as they are).' : '';
  return `${steps}${order}\n\n${replacementNotice(owners.map((o) => replacedGroup(state, o)))}`;
}

async function execute(services: OperateServices, api: ObjectApi, plan: UpgradePlan, waits: boolean): Promise<ExecuteResult> {
  return withCancellableProgress(`Upgrading ${plan.clusterName}`, (progress, signal) =>
    executeUpgrade(api, plan, {
      signal,
      onStep: (i, total, description) => {
        progress.report(`${i + 1}/${total}: ${description}`, i / total);
      },
      waitForControlPlane: waits
        ? (ref) => waitForControlPlane(api, ref, { signal, timeoutMs: services.config.controlPlaneTimeoutMs, onProgress: (s) => { progress.report(`Control plane rollout: ${s.summary}`); } })
        : undefined,
    }),
  );
}

function doneText(result: ExecuteResult): string {
  const done = result.steps.filter((s) => !s.skipped && !s.error).map((s) => s.description);
  return done.length > 0 ? `Done: ${done.join('; ')}. Run Upgrade Cluster again to continue.` : 'Nothing was changed.';
}

/** The part of the plan that reached the server: what the workspace files should now say. */
function donePart(plan: UpgradePlan, result: ExecuteResult): UpgradePlan {
  const ok = (kind: UpgradeStepResult['kind'], name: string): boolean => result.steps.some((s) => s.kind === kind && s.ref.name === name && !s.skipped && !s.error);
  return {
    ...plan,
    templates: plan.templates.filter((t) => ok('template', t.metadata.name)),
    controlPlane: plan.controlPlane && ok('controlPlane', plan.controlPlane.ref.name) ? plan.controlPlane : undefined,
    deployments: plan.deployments.filter((d) => ok('deployment', d.ref.name)),
  };
}

async function offerWriteBack(services: OperateServices, plan: UpgradePlan): Promise<void> {
  if (services.config.writeBack === 'never' || (!plan.controlPlane && plan.deployments.length === 0)) return;
  const files = await readWorkspaceYaml();
  if (!definedInWorkspace(files, plan)) return;
  const writeBack = planWriteBack(files, plan);
  const names = writeBack.files.map((f) => vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri))).join(', ');
  const choice = await vscode.window.showInformationMessage(`Write the upgrade of ${plan.clusterName} into ${names}, so git stays the source of truth?`, 'Write to Files', 'Not Now');
  if (choice !== 'Write to Files') return;
  const changed = await writeEdits(writeBack.files);
  for (const line of writeBack.written) services.ctx.log.info(`write-back: ${line}`);
  for (const line of writeBack.notFound) services.ctx.log.warn(`write-back: not in the workspace: ${line}`);
  const first = changed[0];
  if (first) await vscode.window.showTextDocument(first, { preview: false });
  if (writeBack.notFound.length > 0) void vscode.window.showWarningMessage(`Some objects are in no workspace file: ${writeBack.notFound.join(', ')}.`);
}
