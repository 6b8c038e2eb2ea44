// The questions of Upgrade Cluster, as quick picks and input boxes: what moves (control plane, workers or
// both), to which Kubernetes version, booting which DCS VM template. The current versions are in every title;
// the version box refuses a jump the plan would refuse, as the user types.
import * as vscode from 'vscode';
import { getNumber, getString } from '../../server/engine/objects';
import { infraRefOf, versionOf } from './capiShapes';
import type { ClusterState } from './clusterState';
import { confirm, UserCancelled } from './operateServices';
import type { UpgradeRequest } from './upgradePlan';
import { vmTemplateMismatch, type VmTemplateRelease } from './vmTemplates';
import { compareVersions, minorsAhead, parseVersion, type KubeVersion } from './versions';

type Scope = 'both' | 'controlPlane' | 'workers';
const OTHER = 'Other…';

/** "control plane v1.34.5-3 · lab-b-md-0 v1.34.5-3 (2)" */
export function versionsLine(state: ClusterState): string {
  const cp = state.controlPlane ? `control plane ${versionOf(state.controlPlane) ?? '?'}` : 'no control plane';
  const workers = state.deployments.map((d) => `${d.metadata.name} ${versionOf(d) ?? '?'} (${getNumber(d, ['spec', 'replicas']) ?? 1})`);
  return [cp, ...workers].join(' · ');
}

export async function askUpgrade(state: ClusterState, releases: readonly VmTemplateRelease[]): Promise<UpgradeRequest> {
  const name = state.cluster.metadata.name;
  const title = `Upgrade ${name}: ${versionsLine(state)}`;
  const scope = await askScope(state, title);
  const cp = state.controlPlane ? parseVersion(versionOf(state.controlPlane) ?? '') : undefined;
  const version = await askVersion(state, releases, scope, cp, title);
  const vm = await askVmTemplate(state, releases, scope, version, title);
  const release = releases.find((r) => r.vmTemplateName === vm && r.kubernetesVersion === version.text);
  const deployments = scope === 'controlPlane' ? [] : await askDeployments(state, title);
  return {
    controlPlane: scope === 'workers' ? undefined : { version: version.text, vmTemplateName: vm, imageTags: release ? { coredns: release.corednsTag, etcd: release.etcdTag } : undefined },
    workers: scope === 'controlPlane' || deployments.length === 0 ? undefined : { version: version.text, vmTemplateName: vm, deployments },
  };
}

async function askScope(state: ClusterState, title: string): Promise<Scope> {
  const items: (vscode.QuickPickItem & { scope: Scope })[] = [];
  if (state.controlPlane && state.deployments.length > 0) items.push({ label: 'Control plane, then workers', detail: 'New templates for both; the workers move once the control plane has finished its rollout.', scope: 'both' });
  if (state.controlPlane) items.push({ label: 'Control plane only', detail: 'The workers stay on their version until you upgrade them.', scope: 'controlPlane' });
  if (state.deployments.length > 0) items.push({ label: 'Workers only', detail: 'Up to the control plane\'s version, never beyond it.', scope: 'workers' });
  if (items.length === 0) throw new Error(`cluster ${state.cluster.metadata.name} has no control plane and no machine deployments`);
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'What to upgrade' });
  if (!picked) throw new UserCancelled();
  return picked.scope;
}

async function askVersion(state: ClusterState, releases: readonly VmTemplateRelease[], scope: Scope, cp: KubeVersion | undefined, title: string): Promise<KubeVersion> {
  const problem = (v: KubeVersion): string | undefined => versionProblem(state, scope, cp, v);
  const candidates = [...new Set([...releases.map((r) => r.kubernetesVersion), ...(scope === 'workers' && cp ? [cp.text] : [])])]
    .map((t) => parseVersion(t))
    .filter((v): v is KubeVersion => v !== undefined && problem(v) === undefined);
  const items = [
    ...candidates.map((v) => ({ label: v.text, description: releases.filter((r) => r.kubernetesVersion === v.text).map((r) => r.vmTemplateName).join(', ') || 'the control plane\'s version' })),
    { label: OTHER, description: 'type a version' },
  ];
  const picked = items.length > 1 ? await vscode.window.showQuickPick(items, { title, placeHolder: 'Kubernetes version to move to' }) : { label: OTHER };
  if (!picked) throw new UserCancelled();
  if (picked.label !== OTHER) return parseVersion(picked.label) ?? (await askVersion(state, releases, scope, cp, title));
  const typed = await vscode.window.showInputBox({
    title,
    prompt: 'Kubernetes version (vMAJOR.MINOR.PATCH, with the build suffix of your OS release if it has one)',
    placeHolder: cp ? `e.g. v${cp.major}.${cp.minor + (scope === 'workers' ? 0 : 1)}.0` : 'e.g. v1.35.2',
    validateInput: (text) => {
      const v = parseVersion(text);
      return v ? problem(v) : 'not a Kubernetes version (e.g. v1.35.2)';
    },
  });
  const version = typed === undefined ? undefined : parseVersion(typed);
  if (!version) throw new UserCancelled();
  return version;
}

/** The rules of planUpgrade, as a sentence for the input box while the user types. */
function versionProblem(state: ClusterState, scope: Scope, cp: KubeVersion | undefined, v: KubeVersion): string | undefined {
  if (scope !== 'workers' && cp) {
    if (compareVersions(v, cp) < 0) return `the control plane runs ${cp.text}: it never goes back`;
    if (minorsAhead(cp, v) > 1) return `one minor at a time: from ${cp.text} the next is v${cp.major}.${cp.minor + 1}.x`;
    return undefined;
  }
  if (cp && compareVersions(v, cp) > 0) return `workers never run ahead of the control plane (${cp.text})`;
  const oldest = state.deployments.map((d) => parseVersion(versionOf(d) ?? '')).filter((x): x is KubeVersion => x !== undefined).sort(compareVersions)[0];
  if (oldest && compareVersions(v, oldest) < 0) return `the workers run ${oldest.text} or newer: use Roll Back Machine Deployment to go back`;
  return undefined;
}

async function askVmTemplate(state: ClusterState, releases: readonly VmTemplateRelease[], scope: Scope, version: KubeVersion, title: string): Promise<string> {
  const owner = scope === 'workers' ? state.deployments[0] : state.controlPlane;
  const template = state.templates.find((t) => t.metadata.name === (owner ? infraRefOf(owner)?.name : undefined));
  const current = getString(template, ['spec', 'template', 'spec', 'vmTemplateName']);
  const matching = releases.filter((r) => r.kubernetesVersion === version.text);
  const items = [
    ...matching.map((r) => ({ label: r.vmTemplateName, description: r.release, detail: [r.corednsTag && `CoreDNS ${r.corednsTag}`, r.etcdTag && `etcd ${r.etcdTag}`].filter(Boolean).join(' · ') || undefined })),
    { label: OTHER, description: 'type the name of the DCS VM template' },
  ];
  const picked = items.length > 1 ? await vscode.window.showQuickPick(items, { title: `${title} → ${version.text}`, placeHolder: 'DCS VM template the new machines boot from' }) : { label: OTHER };
  if (!picked) throw new UserCancelled();
  if (picked.label !== OTHER) return picked.label;
  const typed = await vscode.window.showInputBox({
    title: `${title} → ${version.text}`,
    prompt: `DCS VM template (the Alauda OS build for ${version.text}); the machines boot ${current ?? 'an unknown template'} now`,
    value: current,
    validateInput: (text) => {
      if (text.trim() === '') return 'name the DCS VM template';
      // A warning, not a refusal: the ConfigMaps may lag behind the templates DCS has.
      const mismatch = vmTemplateMismatch(releases, text.trim(), version.text);
      return mismatch ? { message: mismatch, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
    },
  });
  if (typed === undefined) throw new UserCancelled();
  const mismatch = vmTemplateMismatch(releases, typed.trim(), version.text);
  if (mismatch) await confirm(`Boot ${typed.trim()} for ${version.text}?`, mismatch, 'Use It Anyway');
  return typed.trim();
}

async function askDeployments(state: ClusterState, title: string): Promise<string[]> {
  if (state.deployments.length <= 1) return state.deployments.map((d) => d.metadata.name);
  const picked = await vscode.window.showQuickPick(
    state.deployments.map((d) => ({ label: d.metadata.name, description: versionOf(d), picked: true })),
    { title, placeHolder: 'Machine deployments to upgrade', canPickMany: true },
  );
  if (!picked || picked.length === 0) throw new UserCancelled();
  return picked.map((p) => p.label);
}
