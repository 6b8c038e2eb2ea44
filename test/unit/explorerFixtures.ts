// Builders of CAPI v1beta2 and DCS v1beta1 objects, with status, for the explorer's tests and benchmark.
// Shapes follow the CRDs, so the same objects are applied to the real API server in integration tests.
import { emptyObjects, WATCHED_KINDS, type KubeMeta, type KubeObject, type ObjectsByKind, type WatchedKind } from '../../src/kube/kinds';

export const T0 = '2026-08-01T10:00:00Z';
const CAPI = 'cluster.x-k8s.io/v1beta2';
const KCP = 'controlplane.cluster.x-k8s.io/v1beta2';
const DCS = 'infrastructure.cluster.x-k8s.io/v1beta1';
const INFRA_GROUP = 'infrastructure.cluster.x-k8s.io';

/** A mutable object: tests edit fields before building the model or applying. */
export interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { -readonly [K in keyof KubeMeta]: KubeMeta[K] } & { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export function cond(type: string, status: 'True' | 'False' | 'Unknown', reason = status === 'True' ? type : `Not${type}`, message = ''): Record<string, string> {
  return { type, status, reason, message, lastTransitionTime: T0 };
}

function meta(ns: string, name: string, cluster: string, labels: Record<string, string> = {}): Obj['metadata'] {
  return { name, namespace: ns, labels: { 'cluster.x-k8s.io/cluster-name': cluster, ...labels } };
}

export function cluster(ns: string, name: string, o: { phase?: string; available?: boolean; paused?: boolean; version?: string } = {}): Obj {
  return {
    apiVersion: CAPI,
    kind: 'Cluster',
    metadata: { name, namespace: ns, labels: {} },
    spec: {
      ...(o.paused ? { paused: true } : {}),
      controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: `${name}-cp` },
      infrastructureRef: { apiGroup: INFRA_GROUP, kind: 'DCSCluster', name },
    },
    status: {
      phase: o.phase ?? 'Provisioned',
      initialization: { infrastructureProvisioned: true, controlPlaneInitialized: true },
      conditions: [cond('Available', o.available === false ? 'False' : 'True'), cond('RollingOut', 'False')],
    },
  };
}

export interface ReplicaStatus {
  readonly replicas: number;
  readonly current?: number;
  readonly upToDate?: number;
  readonly ready?: number;
  readonly available?: number;
  readonly rollingOut?: string;
  readonly scalingUp?: string;
}

function replicaStatus(r: ReplicaStatus, generation = 1): Record<string, unknown> {
  const upToDate = r.upToDate ?? r.replicas;
  const rolling = r.rollingOut !== undefined || upToDate < r.replicas;
  return {
    observedGeneration: generation,
    replicas: r.current ?? r.replicas,
    upToDateReplicas: upToDate,
    readyReplicas: r.ready ?? r.current ?? r.replicas,
    availableReplicas: r.available ?? r.replicas,
    conditions: [
      cond('Available', 'True'),
      cond('RollingOut', rolling ? 'True' : 'False', rolling ? 'RollingOut' : 'NotRollingOut', r.rollingOut ?? ''),
      cond('ScalingUp', r.scalingUp ? 'True' : 'False', r.scalingUp ? 'ScalingUp' : 'NotScalingUp', r.scalingUp ?? ''),
    ],
  };
}

export function controlPlane(ns: string, clusterName: string, version: string, r: ReplicaStatus): Obj {
  return {
    apiVersion: KCP,
    kind: 'KubeadmControlPlane',
    metadata: meta(ns, `${clusterName}-cp`, clusterName),
    spec: {
      replicas: r.replicas,
      version,
      machineTemplate: { spec: { infrastructureRef: { apiGroup: INFRA_GROUP, kind: 'DCSMachineTemplate', name: `${clusterName}-cp-${version.replace(/\W/g, '')}` } } },
    },
    status: { ...replicaStatus(r), versions: [{ version, replicas: r.upToDate ?? r.replicas }] },
  };
}

export function deployment(ns: string, clusterName: string, name: string, version: string, r: ReplicaStatus): Obj {
  const labels = { 'cluster.x-k8s.io/cluster-name': clusterName, pool: name };
  return {
    apiVersion: CAPI,
    kind: 'MachineDeployment',
    metadata: meta(ns, name, clusterName),
    spec: {
      clusterName,
      replicas: r.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          clusterName,
          version,
          bootstrap: { dataSecretName: `${name}-bootstrap` },
          infrastructureRef: { apiGroup: INFRA_GROUP, kind: 'DCSMachineTemplate', name: `${name}-${version.replace(/\W/g, '')}` },
        },
      },
    },
    status: replicaStatus(r),
  };
}

export interface MachineOptions {
  readonly version: string;
  readonly controlPlane?: string;
  readonly deployment?: string;
  readonly upToDate?: boolean;
  readonly available?: boolean;
  readonly phase?: string;
  readonly ip?: string;
  readonly deleting?: boolean;
  readonly infraReadyMessage?: string;
  readonly createdAt?: string;
}

export function machine(ns: string, clusterName: string, name: string, o: MachineOptions): Obj {
  const labels: Record<string, string> = o.controlPlane
    ? { 'cluster.x-k8s.io/control-plane': '', 'cluster.x-k8s.io/control-plane-name': o.controlPlane }
    : o.deployment
      ? { 'cluster.x-k8s.io/deployment-name': o.deployment, pool: o.deployment }
      : {};
  const available = o.available ?? true;
  const running = (o.phase ?? (available ? 'Running' : 'Provisioning')) === 'Running';
  return {
    apiVersion: CAPI,
    kind: 'Machine',
    metadata: { ...meta(ns, name, clusterName, labels), ...(o.createdAt ? { creationTimestamp: o.createdAt } : {}), ...(o.deleting ? { deletionTimestamp: T0 } : {}) },
    spec: {
      clusterName,
      version: o.version,
      bootstrap: { dataSecretName: `${name}-bootstrap` },
      infrastructureRef: { apiGroup: INFRA_GROUP, kind: 'DCSMachine', name },
      ...(running ? { providerID: `dcs://${name}` } : {}),
    },
    status: {
      phase: o.phase ?? (available ? 'Running' : 'Provisioning'),
      ...(running ? { nodeRef: { name } } : {}),
      ...(o.ip ? { addresses: [{ type: 'InternalIP', address: o.ip }] } : {}),
      conditions: [
        cond('Available', available ? 'True' : 'False'),
        cond('Ready', available ? 'True' : 'False'),
        cond('UpToDate', o.upToDate === false ? 'False' : 'True'),
        cond('InfrastructureReady', o.infraReadyMessage ? 'False' : 'True', o.infraReadyMessage ? 'WaitingForVM' : 'InfrastructureReady', o.infraReadyMessage ?? ''),
      ],
    },
  };
}

export function dcsCluster(ns: string, name: string, host: string, ready = true): Obj {
  return {
    apiVersion: DCS,
    kind: 'DCSCluster',
    metadata: meta(ns, name, name),
    spec: {
      networkType: 'kube-ovn',
      credentialSecretRef: { name: `${name}-dcs` },
      controlPlaneLoadBalancer: { type: 'external', host, port: 6443 },
      controlPlaneEndpoint: { host, port: 6443 },
    },
    status: { ready, initialization: { provisioned: ready } },
  };
}

export function dcsMachine(ns: string, clusterName: string, name: string, o: { pool: string; ip?: string; host?: string; vmStatus?: string }): Obj {
  return {
    apiVersion: DCS,
    kind: 'DCSMachine',
    metadata: meta(ns, name, clusterName),
    spec: {
      vmTemplateName: 'alaudaos',
      ipHostPoolRef: { name: o.pool },
      vmConfig: {
        dcsMachineCpuSpec: { quantity: 4 },
        dcsMachineMemorySpec: { quantity: 8192 },
        dcsMachineDiskSpec: [{ systemVolume: true, quantity: 0, datastoreClusterName: 'dsc-gold' }, { path: '/var/lib/kubelet', quantity: 100, datastoreClusterName: 'dsc-gold' }],
      },
    },
    status: {
      ready: o.vmStatus === 'running',
      initialization: { provisioned: o.vmStatus === 'running' },
      vmStatus: o.vmStatus ?? 'running',
      ...(o.host ? { hostName: o.host } : {}),
      ...(o.ip ? { addresses: [{ type: 'InternalIP', address: o.ip }], networkConfig: { ip: o.ip, machineName: name } } : {}),
    },
  };
}

export function ipPool(ns: string, clusterName: string, name: string, ips: readonly string[], held: Readonly<Record<string, string>>): Obj {
  const allocations = Object.entries(held).map(([ip, dcsMachineName]) => ({ ip, dcsMachineName }));
  return {
    apiVersion: DCS,
    kind: 'DCSIpHostnamePool',
    metadata: meta(ns, name, clusterName),
    spec: { pool: ips.map((ip, i) => ({ ip, mask: '24', hostname: `${name}-${i + 1}` })) },
    status: { size: ips.length, used: allocations.length, free: ips.length - allocations.length, allocations },
  };
}

export interface ClusterScenario {
  readonly objects: Obj[];
}

/**
 * A whole cluster: KCP with `cp` Machines, one MD with `workers` Machines, DCS infrastructure and a pool.
 * `rollout.mdUpToDate` below `workers` puts the MD mid-rollout (old Machines run `oldVersion`).
 */
export function clusterScenario(ns: string, name: string, o: { cp?: number; workers?: number; version?: string; oldVersion?: string; mdUpToDate?: number; ipBase?: string } = {}): ClusterScenario {
  const cp = o.cp ?? 3;
  const workers = o.workers ?? 3;
  const version = o.version ?? 'v1.34.2';
  const oldVersion = o.oldVersion ?? 'v1.33.5';
  const upToDate = o.mdUpToDate ?? workers;
  const base = o.ipBase ?? '127.0.10';
  const md = `${name}-md-0`;
  const objects: Obj[] = [cluster(ns, name, { version }), controlPlane(ns, name, version, { replicas: cp }), deployment(ns, name, md, version, { replicas: workers, upToDate, available: workers })];
  objects.push(dcsCluster(ns, name, `${base}.5`));
  const held: Record<string, string> = {};
  const ips: string[] = [];
  for (let i = 0; i < cp + workers; i++) {
    const isCp = i < cp;
    const machineName = isCp ? `${name}-cp-${i}` : `${md}-${i - cp}`;
    const ip = `${base}.${10 + i}`;
    const isNew = isCp || i - cp < upToDate;
    ips.push(ip);
    held[ip] = machineName;
    objects.push(machine(ns, name, machineName, { version: isNew ? version : oldVersion, controlPlane: isCp ? `${name}-cp` : undefined, deployment: isCp ? undefined : md, upToDate: isNew, ip }));
    objects.push(dcsMachine(ns, name, machineName, { pool: `${name}-pool`, ip, host: `host-${i % 4}`, vmStatus: 'running' }));
  }
  objects.push(ipPool(ns, name, `${name}-pool`, [...ips, `${base}.250`], held));
  return { objects };
}

/** Objects grouped by kind, as the informers hand them to the model. */
export function byKind(objects: readonly KubeObject[]): ObjectsByKind {
  const out = emptyObjects();
  for (const o of objects) {
    const kind = o.kind as WatchedKind;
    if ((WATCHED_KINDS as readonly string[]).includes(kind)) out[kind].push(o);
  }
  return out;
}
