// The smaller operations (pure): scale, rollout restart (rollout.after), pause and resume, delete a Machine,
// roll a MachineDeployment back to its previous template. Each gives a merge patch (or a delete) plus the
// reasons to refuse or to warn; commands preview it with a dry run and send it with OPERATE_FIELD_MANAGER.
import { get, getNumber, getString } from '../../server/engine/objects';
import { isPaused as pausedNow, PAUSED_ANNOTATION } from '../explorer/normalize';
import { apiVersionForShape, infraRefOf, infraRefPath, mergePatches, patchAt, rolloutAfterPath, versionOf, versionPath } from './capiShapes';
import type { ClusterState } from './clusterState';
import { OperateAnnotations } from './ids';
import type { KubeObject, ObjectRef } from './objectApi';
import { compareVersions, parseVersion } from './versions';

export interface ActionPlan {
  readonly ref: ObjectRef;
  /** A merge patch; undefined for a delete. */
  readonly patch: Record<string, unknown> | undefined;
  readonly summary: string;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

function refFor(object: KubeObject): ObjectRef {
  return { apiVersion: apiVersionForShape(object), kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
}

export function planScale(owner: KubeObject, replicas: number, state?: ClusterState): ActionPlan {
  const errors: string[] = [];
  const warnings: string[] = [];
  const current = getNumber(owner, ['spec', 'replicas']) ?? 1;
  if (!Number.isInteger(replicas) || replicas < 0) errors.push(`${String(replicas)} is not a number of replicas (a whole number, 0 or more).`);
  if (owner.kind === 'KubeadmControlPlane') {
    const stacked = get(owner, ['spec', 'kubeadmConfigSpec', 'clusterConfiguration', 'etcd', 'external']) === undefined;
    if (replicas < 1) errors.push('A control plane needs at least one machine.');
    else if (stacked && replicas % 2 === 0) errors.push(`A control plane with stacked etcd needs an odd number of machines (${replicas - 1} or ${replicas + 1}), or etcd loses quorum sooner.`);
  }
  if (replicas === current) errors.push(`${owner.kind} ${owner.metadata.name} already has ${current} replicas.`);
  const poolSize = state ? poolEntries(state, owner) : undefined;
  if (poolSize !== undefined && replicas > poolSize) {
    warnings.push(`The IP pool of its template has ${poolSize} entries: machines beyond that wait for a free entry. Append pool entries first.`);
  }
  if (replicas < current) warnings.push(`${current - replicas} machine${current - replicas === 1 ? '' : 's'} will be drained and deleted, with their VMs and system disks.`);
  return { ref: refFor(owner), patch: { spec: { replicas } }, summary: `Scale ${owner.kind} ${owner.metadata.name} from ${current} to ${replicas}`, errors, warnings };
}

/** rollout.after = now: every Machine created before it is replaced. */
export function planRestart(owner: KubeObject, now: Date): ActionPlan {
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { ref: refFor(owner), patch: patchAt(rolloutAfterPath(owner), at), summary: `Replace every machine of ${owner.kind} ${owner.metadata.name} (rollout after ${at})`, errors: [], warnings: [] };
}

export function planPause(cluster: KubeObject, paused: boolean): ActionPlan {
  // Paused the way the explorer shows it (spec.paused or the paused annotation), so its menu offers the one that applies.
  const errors = pausedNow(cluster) === paused ? [`Cluster ${cluster.metadata.name} is already ${paused ? 'paused' : 'running (not paused)'}.`] : [];
  const annotated = cluster.metadata.annotations?.[PAUSED_ANNOTATION] !== undefined;
  return {
    ref: refFor(cluster),
    // null removes the field: CAPI v1beta2 treats an unset spec.paused as false. Resume also drops the annotation.
    patch: paused ? { spec: { paused: true } } : { spec: { paused: null }, ...(annotated ? { metadata: { annotations: { [PAUSED_ANNOTATION]: null } } } : {}) },
    summary: `${paused ? 'Pause' : 'Resume'} reconciliation of Cluster ${cluster.metadata.name}`,
    errors,
    warnings: paused ? ['While paused, no controller reconciles the cluster: no rollout, scaling or remediation happens.'] : [],
  };
}

export function planDeleteMachine(machine: KubeObject, state?: ClusterState): ActionPlan {
  const errors: string[] = [];
  const warnings: string[] = [];
  const owners = machine.metadata.ownerReferences;
  const owner = Array.isArray(owners) ? owners.map((o: unknown) => getString(o, ['kind'])).find((k) => k === 'MachineSet' || k === 'KubeadmControlPlane') : undefined;
  const isControlPlane = owner === 'KubeadmControlPlane' || machine.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined;
  if (isControlPlane && state?.controlPlane && (getNumber(state.controlPlane, ['spec', 'replicas']) ?? 1) < 2) {
    errors.push(`${machine.metadata.name} is the only control-plane machine: deleting it loses etcd and the cluster. Scale the control plane to 3 first.`);
  }
  if (!owner && !isControlPlane) warnings.push('No MachineSet or control plane owns this machine: nothing will replace it.');
  else warnings.push(`Its ${owner === 'KubeadmControlPlane' || isControlPlane ? 'control plane' : 'MachineSet'} creates a replacement.`);
  warnings.push('The node is drained, then its VM is deleted with its system disk; only the pool\'s persistent disks survive.');
  return { ref: refFor(machine), patch: undefined, summary: `Delete Machine ${machine.metadata.name}`, errors, warnings };
}

interface PreviousTemplate {
  readonly name: string;
  readonly version: string | undefined;
}

/** The template a MachineDeployment used before: our annotation, else the newest older MachineSet's. */
export function previousTemplate(md: KubeObject, state: ClusterState): PreviousTemplate | undefined {
  const current = infraRefOf(md)?.name;
  const annotation = md.metadata.annotations?.[OperateAnnotations.previous];
  if (annotation) {
    try {
      const value = JSON.parse(annotation) as { name?: unknown; version?: unknown };
      if (typeof value.name === 'string' && value.name !== current) return { name: value.name, version: typeof value.version === 'string' ? value.version : undefined };
    } catch {
      // a hand-edited annotation: fall back to the MachineSets
    }
  }
  const revision = (ms: KubeObject): number => Number(ms.metadata.annotations?.['machinedeployment.clusters.x-k8s.io/revision'] ?? 0);
  const older = state.machineSets
    .filter((ms) => ms.metadata.labels?.['cluster.x-k8s.io/deployment-name'] === md.metadata.name)
    .filter((ms) => getString(ms, ['spec', 'template', 'spec', 'infrastructureRef', 'name']) !== current)
    .sort((a, b) => revision(b) - revision(a) || (getString(b, ['metadata', 'creationTimestamp']) ?? '').localeCompare(getString(a, ['metadata', 'creationTimestamp']) ?? ''));
  const newest = older[0];
  const name = newest ? getString(newest, ['spec', 'template', 'spec', 'infrastructureRef', 'name']) : undefined;
  return newest && name ? { name, version: getString(newest, ['spec', 'template', 'spec', 'version']) } : undefined;
}

export function planRollback(md: KubeObject, state: ClusterState): ActionPlan {
  const errors: string[] = [];
  const warnings: string[] = [];
  const currentTemplate = infraRefOf(md)?.name ?? '';
  const currentVersion = versionOf(md);
  const previous = previousTemplate(md, state);
  const summary = previous ? `Roll MachineDeployment ${md.metadata.name} back to ${previous.name}${previous.version ? ` (${previous.version})` : ''}` : `Roll back MachineDeployment ${md.metadata.name}`;
  if (!previous) {
    errors.push(`No previous template is known for ${md.metadata.name}: it was not upgraded by this extension and no older MachineSet is left.`);
    return { ref: refFor(md), patch: undefined, summary, errors, warnings };
  }
  if (!state.templates.some((t) => t.metadata.name === previous.name)) errors.push(`The previous template ${previous.name} no longer exists.`);
  const version = previous.version ?? currentVersion;
  const to = parseVersion(version ?? '');
  const cp = state.controlPlane ? parseVersion(versionOf(state.controlPlane) ?? '') : undefined;
  if (to && cp && compareVersions(to, cp) > 0) errors.push(`${to.text} is ahead of the control plane's ${cp.text}: workers never run a newer Kubernetes than the control plane.`);
  if (to && cp && to.minor !== cp.minor) warnings.push(`${to.text} is not the control plane's minor (${cp.text}): with kubeadm, new workers of another minor may not join (MachineSet preflight checks).`);
  const patch = mergePatches(
    { metadata: { annotations: { [OperateAnnotations.previous]: JSON.stringify({ name: currentTemplate, version: currentVersion }) } } },
    patchAt([...infraRefPath(md), 'name'], previous.name),
    version ? patchAt(versionPath(md), version) : {},
  );
  warnings.push('Every machine is replaced again, one by one.');
  return { ref: refFor(md), patch, summary, errors, warnings };
}

/** Entries in the IP pool of the template an owner uses; undefined when it cannot be read. */
function poolEntries(state: ClusterState, owner: KubeObject): number | undefined {
  const template = state.templates.find((t) => t.metadata.name === infraRefOf(owner)?.name);
  const pool = state.pools.find((p) => p.metadata.name === getString(template, ['spec', 'template', 'spec', 'ipHostPoolRef', 'name']));
  const entries = get(pool, ['spec', 'pool']);
  return Array.isArray(entries) ? entries.length : undefined;
}
