// snapshot(): every watched object of one management cluster -> the immutable tree model.
// Pure (no vscode, no clock, no I/O), so it is unit-tested with plain objects and benchmarked alone.
import { WATCHED_KINDS, type KubeObject, type ObjectsByKind, type WatchedKind } from '../kube/kinds';
import { objectHealth } from './health';
import { ModelCache } from './modelCache';
import { indexObjects, keyOf, Labels, lookupsHold, recordingIndex, REVISION_ANNOTATION, type ObjectIndex } from './modelIndex';
import { infrastructureOf } from './modelInfra';
import { liveRef, machineFacts, machinesOf, modelId, type UpToDateFallback } from './modelMachines';
import type { ClusterModel, ContextModel, ControlPlaneModel, KindProblem, MachineDeploymentModel } from './modelTypes';
import {
  controllerOwner,
  initialized,
  isDeleting,
  isPaused,
  labelOf,
  nameOf,
  namespaceOf,
  path,
  pickCondition,
  readConditions,
  refAt,
  replicaCounts,
  statusVersions,
  str,
} from './normalize';
import { rolloutProgress } from './progress';

/**
 * @param cache per-object results from earlier snapshots of the same informers (optional; results are
 * the same with or without it, only faster).
 */
export function snapshot(objects: ObjectsByKind, problems: Partial<Record<WatchedKind, KindProblem>> = {}, cache = new ModelCache()): ContextModel {
  const index = indexObjects(objects, cache);
  const clusters = objects.Cluster.map((c) => clusterModel(c, index)).sort(
    (a, b) => a.ref.namespace.localeCompare(b.ref.namespace) || a.name.localeCompare(b.name),
  );
  const counts = Object.fromEntries(WATCHED_KINDS.map((k) => [k, objects[k].length])) as Record<WatchedKind, number>;
  return { clusters, counts, problems };
}

/** A Cluster's model, reused from the last snapshot when nothing it looked at has changed. */
function clusterModel(c: KubeObject, index: ObjectIndex): ClusterModel {
  const hit = index.cache.clusters.get(c);
  if (hit && lookupsHold(hit.lookups, index)) return hit.model;
  const recording = recordingIndex(index);
  const model = buildClusterModel(c, recording.index);
  index.cache.clusters.set(c, { lookups: recording.lookups, model });
  return model;
}

function buildClusterModel(c: KubeObject, index: ObjectIndex): ClusterModel {
  const ns = namespaceOf(c);
  const key = keyOf(ns, nameOf(c));
  const cpRef = refAt(c, 'spec', 'controlPlaneRef');
  const kcp = cpRef?.kind === 'KubeadmControlPlane'
    ? index.byName('KubeadmControlPlane', ns, cpRef.name)
    : index.related('controlPlanesByCluster', key)?.[0];
  const controlPlane = kcp ? controlPlaneModel(kcp, index) : undefined;
  const deployments = (index.related('deploymentsByCluster', key) ?? [])
    .map((md) => deploymentModel(md, index))
    .sort((a, b) => a.name.localeCompare(b.name));
  const owned = new Set([...(controlPlane?.machines ?? []), ...deployments.flatMap((d) => d.machines)].map((m) => m.name));
  const others = (index.related('machinesByCluster', key) ?? []).filter((m) => !owned.has(nameOf(m)));

  const conditions = readConditions(c);
  const readiness = pickCondition(conditions, 'Available', 'Ready');
  const phase = str(path(c.status, 'phase'));
  const paused = isPaused(c);
  const progressing = (controlPlane?.rollout.active ?? false) || deployments.some((d) => d.rollout.active);
  return {
    id: modelId('Cluster', c),
    ref: liveRef('Cluster', c),
    name: nameOf(c),
    health: objectHealth({ deleting: isDeleting(c), paused, phase, readiness, progressing }),
    conditions: conditions.current,
    phase,
    version: str(path(c.spec, 'topology', 'version')) ?? controlPlane?.version,
    paused,
    ready: readiness ? readiness.status === 'True' : undefined,
    infrastructureProvisioned: initialized(c, 'infrastructureProvisioned', 'infrastructureReady'),
    controlPlaneInitialized: initialized(c, 'controlPlaneInitialized', 'controlPlaneReady'),
    controlPlane,
    deployments,
    otherMachines: machinesOf(others, index, () => undefined),
    infrastructure: infrastructureOf(c, index),
  };
}

function controlPlaneModel(kcp: KubeObject, index: ObjectIndex): ControlPlaneModel {
  const version = str(path(kcp.spec, 'version'));
  const byVersion: UpToDateFallback = (m) => {
    const mv = str(path(m.spec, 'version'));
    return version && mv ? mv === version : undefined;
  };
  const machines = machinesOf(index.related('machinesByControlPlane', keyOf(namespaceOf(kcp), nameOf(kcp))), index, byVersion);
  const conditions = readConditions(kcp);
  const paused = isPaused(kcp);
  const running = statusVersions(kcp);
  const rollout = rolloutProgress({
    counts: replicaCounts(kcp),
    machines: machines.map(machineFacts),
    conditions: conditions.current,
    specVersion: version,
    statusVersions: running,
    paused,
  });
  return {
    kind: 'KubeadmControlPlane',
    id: modelId('KubeadmControlPlane', kcp),
    ref: liveRef('KubeadmControlPlane', kcp),
    name: nameOf(kcp),
    health: objectHealth({ deleting: isDeleting(kcp), paused, readiness: pickCondition(conditions, 'Available', 'Ready'), progressing: rollout.active }),
    conditions: conditions.current,
    replicas: replicaCounts(kcp),
    version,
    runningVersions: running.map((v) => v.version),
    paused,
    rollout,
    machines,
  };
}

function deploymentModel(md: KubeObject, index: ObjectIndex): MachineDeploymentModel {
  const ns = namespaceOf(md);
  const key = keyOf(ns, nameOf(md));
  const version = str(path(md.spec, 'template', 'spec', 'version'));
  const machines = machinesOf(index.related('machinesByDeployment', key), index, newestSetFallback(index.related('machineSetsByDeployment', key), version));
  const conditions = readConditions(md);
  const paused = isPaused(md);
  const rollout = rolloutProgress({ counts: replicaCounts(md), machines: machines.map(machineFacts), conditions: conditions.current, paused });
  return {
    kind: 'MachineDeployment',
    id: modelId('MachineDeployment', md),
    ref: liveRef('MachineDeployment', md),
    name: nameOf(md),
    health: objectHealth({ deleting: isDeleting(md), paused, readiness: pickCondition(conditions, 'Available', 'Ready'), progressing: rollout.active }),
    conditions: conditions.current,
    replicas: replicaCounts(md),
    version,
    paused,
    rollout,
    machines,
  };
}

/**
 * Without UpToDate conditions (v1beta1-era controllers) a worker Machine is up to date when it belongs to
 * the MachineSet with the highest revision, or, with no MachineSets visible, when it runs the MD's version.
 */
function newestSetFallback(sets: readonly KubeObject[] | undefined, version: string | undefined): UpToDateFallback {
  let newest: { name: string; revision: number } | undefined;
  for (const ms of sets ?? []) {
    const revision = Number(ms.metadata?.annotations?.[REVISION_ANNOTATION] ?? NaN);
    if (Number.isFinite(revision) && (!newest || revision > newest.revision)) newest = { name: nameOf(ms), revision };
  }
  return (m) => {
    if (newest) {
      const set = labelOf(m, Labels.setName) ?? controllerOwner(m, 'MachineSet');
      if (set) return set === newest.name;
    }
    const mv = str(path(m.spec, 'version'));
    return version && mv ? mv === version : undefined;
  };
}
