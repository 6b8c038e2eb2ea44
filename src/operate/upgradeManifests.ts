// An upgrade plan as the manifests it produces, for the dashboard's planner: the new DCSMachineTemplates and
// the KubeadmControlPlane and MachineDeployments as they will be after their patches. People may edit them;
// planFromManifests turns the edited text back into a plan for the same steps the upgrade command runs
// (templates created, the rest merge-patched with the difference from the live object). Pure.
import { parseAllDocuments } from 'yaml';
import type { ClusterState } from './clusterState';
import { apiVersionForShape, infraRefOf, versionOf } from './capiShapes';
import { comparable, toYaml } from './diff';
import { applyMergePatch, mergePatchBetween } from './mergePatch';
import type { KubeObject } from './objectApi';
import type { PatchStep, UpgradeOutcome, UpgradePlan } from './upgradePlan';

/** The live object (server fields removed) with the step's patch applied. */
function patched(live: KubeObject, step: PatchStep): KubeObject {
  return applyMergePatch(comparable(live), step.patch) as KubeObject;
}

export function planManifests(state: ClusterState, plan: UpgradePlan): string {
  const docs: KubeObject[] = [...plan.templates];
  if (plan.controlPlane && state.controlPlane) docs.push(patched(state.controlPlane, plan.controlPlane));
  for (const step of plan.deployments) {
    const md = state.deployments.find((d) => d.metadata.name === step.ref.name);
    if (md) docs.push(patched(md, step));
  }
  return docs.map((d) => toYaml(d)).join('---\n');
}

function isObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Partial<KubeObject>;
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && typeof o.metadata?.name === 'string';
}

/** The step that turns `live` into `edited`, or undefined when nothing differs. */
function stepFor(live: KubeObject, edited: KubeObject): PatchStep | undefined {
  const before = comparable(live) ?? {};
  const patch = mergePatchBetween(before, edited);
  if (Object.keys(patch).length === 0) return undefined;
  return {
    ref: { apiVersion: apiVersionForShape(live), kind: live.kind, namespace: live.metadata.namespace, name: live.metadata.name },
    patch,
    fromVersion: versionOf(live) ?? '?',
    toVersion: versionOf(edited) ?? '?',
    fromTemplate: infraRefOf(live)?.name ?? '?',
    toTemplate: infraRefOf(edited)?.name ?? '?',
  };
}

export function planFromManifests(state: ClusterState, text: string): UpgradeOutcome {
  const errors: string[] = [];
  const templates: KubeObject[] = [];
  let controlPlane: PatchStep | undefined;
  const deployments: PatchStep[] = [];
  const cluster = state.cluster.metadata.name;
  for (const [i, doc] of parseAllDocuments(text).entries()) {
    if (doc.errors.length > 0) {
      errors.push(`Document ${i + 1}: ${doc.errors[0]?.message ?? 'not YAML'}`);
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isObject(value)) {
      errors.push(`Document ${i + 1} is not a Kubernetes object (apiVersion, kind, metadata.name).`);
      continue;
    }
    const { kind, metadata } = value;
    const name = metadata.name;
    if ((metadata.namespace ?? state.namespace) !== state.namespace) errors.push(`${kind} ${name}: the upgrade stays in namespace ${state.namespace}.`);
    else if (kind === 'DCSMachineTemplate') {
      if (state.templates.some((t) => t.metadata.name === name)) errors.push(`DCSMachineTemplate ${name} exists already: templates are never edited in place, give the copy a new name.`);
      else templates.push({ ...value, metadata: { ...metadata, namespace: state.namespace } });
    } else if (kind === 'KubeadmControlPlane' && state.controlPlane?.metadata.name === name) {
      controlPlane = stepFor(state.controlPlane, value);
    } else if (kind === 'MachineDeployment' && state.deployments.some((d) => d.metadata.name === name)) {
      const live = state.deployments.find((d) => d.metadata.name === name);
      const step = live ? stepFor(live, value) : undefined;
      if (step) deployments.push(step);
    } else errors.push(`${kind} ${name} is not part of the upgrade of ${cluster}: the planner creates DCSMachineTemplates and changes the cluster's KubeadmControlPlane and MachineDeployments.`);
  }
  if (errors.length > 0) return { ok: false, errors };
  if (templates.length === 0 && !controlPlane && deployments.length === 0) return { ok: false, errors: ['Nothing to apply: the manifests match the live objects.'] };
  return { ok: true, plan: { namespace: state.namespace, clusterName: cluster, templates, controlPlane, deployments } };
}
