// The immutable upgrade of one cluster, computed from its live objects (pure): new DCSMachineTemplates under
// new names (copies with the new VM template), one merge patch for the KubeadmControlPlane (version and
// template together: two patches would be two rollouts), one per MachineDeployment. Refuses a control plane
// jump of more than one minor, a downgrade, and workers ahead of the control plane.
import { get, getString } from '../../server/engine/objects';
import type { ClusterState } from './clusterState';
import { apiVersionForShape, infraRefOf, infraRefPath, mergePatches, patchAt, versionOf, versionPath } from './capiShapes';
import { OperateAnnotations } from './ids';
import type { KubeObject, ObjectRef } from './objectApi';
import { compareVersions, minorsAhead, parseVersion, type KubeVersion } from './versions';
import { newTemplateName, templateCopy } from './templateCopy';

export interface UpgradeRequest {
  readonly controlPlane?: {
    readonly version: string;
    readonly vmTemplateName: string;
    /** CoreDNS and etcd image tags of the new release (Alauda's VM-template ConfigMap lists them). */
    readonly imageTags?: { readonly coredns?: string; readonly etcd?: string };
  };
  readonly workers?: {
    readonly version: string;
    readonly vmTemplateName: string;
    /** MachineDeployment names; all of the cluster's when left out. */
    readonly deployments?: readonly string[];
  };
}

export interface PatchStep {
  /** The object, with the apiVersion of the shape it is stored in. */
  readonly ref: ObjectRef;
  readonly patch: Record<string, unknown>;
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly fromTemplate: string;
  readonly toTemplate: string;
}

export interface UpgradePlan {
  readonly namespace: string;
  readonly clusterName: string;
  /** DCSMachineTemplates to create (never an existing name). */
  readonly templates: readonly KubeObject[];
  readonly controlPlane: PatchStep | undefined;
  readonly deployments: readonly PatchStep[];
}

export type UpgradeOutcome = { readonly ok: true; readonly plan: UpgradePlan } | { readonly ok: false; readonly errors: readonly string[] };

export function planUpgrade(state: ClusterState, request: UpgradeRequest): UpgradeOutcome {
  if (get(state.cluster, ['spec', 'topology']) !== undefined) {
    // The topology controller owns the KCP and MachineDeployments of such a cluster and would undo the patches.
    return { ok: false, errors: [`Cluster ${state.cluster.metadata.name} is built from a ClusterClass: upgrade it by changing spec.topology.version instead.`] };
  }
  const errors: string[] = [];
  const taken = new Set(state.templates.map((t) => t.metadata.name));
  const copies = new Map<string, KubeObject>();
  const templates: KubeObject[] = [];
  /** One copy per (old template, VM template, version), shared by the objects that used the same template. */
  const copyFor = (oldName: string, from: KubeVersion, to: KubeVersion, vmTemplateName: string): string | undefined => {
    const key = `${oldName}|${vmTemplateName}|${to.text}`;
    const existing = copies.get(key);
    if (existing) return existing.metadata.name;
    const old = state.templates.find((t) => t.metadata.name === oldName);
    if (!old) {
      errors.push(`DCSMachineTemplate ${oldName} does not exist in ${state.namespace}: there is nothing to copy.`);
      return undefined;
    }
    const name = newTemplateName(oldName, from, to, taken);
    taken.add(name);
    const copy = templateCopy(old, name, vmTemplateName);
    copies.set(key, copy);
    templates.push(copy);
    return name;
  };

  const vmTemplateOf = (templateName: string): string | undefined =>
    getString(state.templates.find((t) => t.metadata.name === templateName), ['spec', 'template', 'spec', 'vmTemplateName']);
  const context: PlanContext = { copyFor, vmTemplateOf, errors };

  const kcp = state.controlPlane;
  const currentCp = kcp ? parseVersion(versionOf(kcp) ?? '') : undefined;
  let cpTarget = currentCp;
  let controlPlane: PatchStep | undefined;
  if (request.controlPlane) {
    const target = parseVersion(request.controlPlane.version);
    if (!kcp || !currentCp) errors.push(kcp ? `The KubeadmControlPlane has no readable spec.version.` : `Cluster ${state.cluster.metadata.name} has no KubeadmControlPlane.`);
    else if (!target) errors.push(`"${request.controlPlane.version}" is not a Kubernetes version (vMAJOR.MINOR.PATCH, e.g. v1.35.2).`);
    else {
      errors.push(...controlPlaneRefusals(kcp, currentCp, target), ...vmTemplateRefusals(request.controlPlane.vmTemplateName));
      cpTarget = target;
      controlPlane = planControlPlane(kcp, currentCp, target, request.controlPlane, context);
    }
  }

  const deployments: PatchStep[] = [];
  if (request.workers) {
    const target = parseVersion(request.workers.version);
    const wanted = request.workers.deployments ?? state.deployments.map((d) => d.metadata.name);
    if (!target) errors.push(`"${request.workers.version}" is not a Kubernetes version (vMAJOR.MINOR.PATCH, e.g. v1.35.2).`);
    else {
      errors.push(...vmTemplateRefusals(request.workers.vmTemplateName));
      if (cpTarget && compareVersions(target, cpTarget) > 0) {
        errors.push(`Workers may never run a newer Kubernetes than the control plane: ${target.text} is ahead of the control plane's ${cpTarget.text}. Upgrade the control plane first.`);
      } else if (kcp && !controlPlane) {
        const behind = runningVersions(kcp).filter((v) => compareVersions(target, v) > 0);
        if (behind.length > 0) errors.push(`The control plane still runs ${behind.map((v) => v.text).join(', ')} on some Machines: wait until its rollout finishes before the workers move to ${target.text}.`);
      }
      for (const name of wanted) {
        const md = state.deployments.find((d) => d.metadata.name === name);
        if (!md) errors.push(`MachineDeployment ${name} does not belong to cluster ${state.cluster.metadata.name}.`);
        else {
          const step = planDeployment(md, target, request.workers.vmTemplateName, context);
          if (step) deployments.push(step);
        }
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors: [...new Set(errors)] };
  if (!controlPlane && deployments.length === 0) return { ok: false, errors: ['Nothing to upgrade: the versions and VM templates are already the ones asked for.'] };
  return { ok: true, plan: { namespace: state.namespace, clusterName: state.cluster.metadata.name, templates, controlPlane, deployments } };
}

type CopyFor = (oldName: string, from: KubeVersion, to: KubeVersion, vmTemplateName: string) => string | undefined;

interface PlanContext {
  readonly copyFor: CopyFor;
  /** The VM template a DCSMachineTemplate boots (spec.template.spec.vmTemplateName). */
  readonly vmTemplateOf: (templateName: string) => string | undefined;
  readonly errors: string[];
}

function controlPlaneRefusals(kcp: KubeObject, current: KubeVersion, target: KubeVersion): string[] {
  const out: string[] = [];
  if (compareVersions(target, current) < 0) {
    out.push(`The control plane cannot go back from ${current.text} to ${target.text}: once a newer control plane has joined, fix forward or restore etcd.`);
  }
  const ahead = minorsAhead(current, target);
  if (ahead > 1) {
    out.push(`The control plane moves one minor at a time: ${current.text} → ${target.text} skips ${ahead - 1} minor${ahead > 2 ? 's' : ''}. Upgrade to v${current.major}.${current.minor + 1}.x first.`);
  }
  const running = runningVersions(kcp);
  const behind = running.filter((v) => minorsAhead(v, current) > 0);
  if (ahead > 0 && behind.length > 0) {
    out.push(`The control plane is still rolling out to ${current.text} (Machines still run ${behind.map((v) => v.text).join(', ')}): wait until it finishes.`);
  }
  return out;
}

function vmTemplateRefusals(vmTemplateName: string): string[] {
  return vmTemplateName.trim() === '' ? ['Name the DCS VM template to boot the new machines from.'] : [];
}

function planControlPlane(kcp: KubeObject, current: KubeVersion, target: KubeVersion, request: NonNullable<UpgradeRequest['controlPlane']>, context: PlanContext): PatchStep | undefined {
  const ref = infraRefOf(kcp);
  if (ref?.kind !== 'DCSMachineTemplate') {
    context.errors.push(`KubeadmControlPlane ${kcp.metadata.name} does not use a DCSMachineTemplate (${ref ? ref.kind : 'no infrastructureRef'}).`);
    return undefined;
  }
  const tagPatches = imageTagPatches(kcp, request.imageTags);
  if (compareVersions(target, current) === 0 && context.vmTemplateOf(ref.name) === request.vmTemplateName && tagPatches.length === 0) return undefined;
  const newName = context.copyFor(ref.name, current, target, request.vmTemplateName);
  if (!newName) return undefined;
  return step(kcp, current, target, ref.name, newName, tagPatches);
}

function planDeployment(md: KubeObject, target: KubeVersion, vmTemplateName: string, context: PlanContext): PatchStep | undefined {
  const { errors } = context;
  const name = md.metadata.name;
  const current = parseVersion(versionOf(md) ?? '');
  const ref = infraRefOf(md);
  if (!current) {
    errors.push(`MachineDeployment ${name} has no readable spec.template.spec.version.`);
    return undefined;
  }
  if (ref?.kind !== 'DCSMachineTemplate') {
    errors.push(`MachineDeployment ${name} does not use a DCSMachineTemplate (${ref ? ref.kind : 'no infrastructureRef'}).`);
    return undefined;
  }
  if (compareVersions(target, current) < 0) {
    errors.push(`MachineDeployment ${name} runs ${current.text}; ${target.text} would be a downgrade. Use Roll Back Machine Deployment to return to its previous template.`);
    return undefined;
  }
  if (compareVersions(target, current) === 0 && context.vmTemplateOf(ref.name) === vmTemplateName) return undefined;
  const newName = context.copyFor(ref.name, current, target, vmTemplateName);
  return newName ? step(md, current, target, ref.name, newName, []) : undefined;
}

function step(object: KubeObject, from: KubeVersion, to: KubeVersion, fromTemplate: string, toTemplate: string, extra: readonly Record<string, unknown>[]): PatchStep {
  const previous = JSON.stringify({ name: fromTemplate, version: versionOf(object) });
  const patch = mergePatches(
    { metadata: { annotations: { [OperateAnnotations.previous]: previous } } },
    patchAt(versionPath(object), to.text),
    patchAt([...infraRefPath(object), 'name'], toTemplate),
    ...extra,
  );
  return {
    ref: { apiVersion: apiVersionForShape(object), kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name },
    patch,
    fromVersion: from.text,
    toVersion: to.text,
    fromTemplate,
    toTemplate,
  };
}

/** dns.imageTag and etcd.local.imageTag, where the KCP already sets them (never adds local etcd to an external one). */
function imageTagPatches(kcp: KubeObject, tags: NonNullable<UpgradeRequest['controlPlane']>['imageTags']): Record<string, unknown>[] {
  const base = ['spec', 'kubeadmConfigSpec', 'clusterConfiguration'];
  const out: Record<string, unknown>[] = [];
  if (tags?.coredns && getString(kcp, [...base, 'dns', 'imageTag']) !== tags.coredns) out.push(patchAt([...base, 'dns', 'imageTag'], tags.coredns));
  if (tags?.etcd && get(kcp, [...base, 'etcd', 'external']) === undefined && getString(kcp, [...base, 'etcd', 'local', 'imageTag']) !== tags.etcd) {
    out.push(patchAt([...base, 'etcd', 'local', 'imageTag'], tags.etcd));
  }
  return out;
}

/** The versions the control plane's Machines run (status.versions, v1.14+; else status.version). */
function runningVersions(kcp: KubeObject): KubeVersion[] {
  const list = get(kcp, ['status', 'versions']);
  const texts = Array.isArray(list) ? list.map((v: unknown) => getString(v, ['version'])) : [getString(kcp, ['status', 'version'])];
  return texts.map((t) => (t ? parseVersion(t) : undefined)).filter((v): v is KubeVersion => v !== undefined);
}
