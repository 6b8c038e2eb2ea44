// What kubeadm and the kubelet would have done on the DCS simulator's VMs, at the API level. It watches
// the simulator (its /sim endpoints, polled) and, for each VM that booted with bootstrap data:
//   - kubeadm init: starts the workload cluster's API (workloadApiServer.ts) at the controlPlaneEndpoint
//     and publishes kube-system/kubeadm-config with the ClusterConfiguration from the data;
//   - init or join: registers the VM's Node (named after its hostname, the kubelet's --provider-id,
//     Ready) and, on control-plane VMs, the static pods' mirror pods;
//   - a deleted VM: deletes its Node.
// Not emulated: etcd membership and health through the kubelet's port-forward (no kubelet listens), so
// KubeadmControlPlane's etcd checks fail and it cannot scale or roll out a stacked-etcd control plane.
// The simulator stays a pure DCS simulator: it knows nothing about Kubernetes.
import { setTimeout as sleep } from 'node:timers/promises';
import { readKubeadmBootstrap, type KubeadmBootstrap } from './bootstrapData';
import type { KubeHttp } from './kubeHttp';
import { serverSideApply } from './kubeHttp';
import { startWorkloadApiServer, type WorkloadApiServer } from './workloadApiServer';

export interface WorkloadEmulatorOptions {
  /** The simulator's base URL (its /sim endpoints answer without authentication on loopback). */
  readonly simulatorUrl: string;
  readonly pollMs?: number;
  readonly log?: (line: string) => void;
}

export interface WorkloadEmulator {
  /** Workload APIs started so far, by `host:port` endpoint. */
  readonly apiServers: ReadonlyMap<string, WorkloadApiServer>;
  /** The last error of a poll (the loop keeps going), for test diagnostics. */
  lastError(): string | undefined;
  /** Ends the poll loop, then every workload API it started (by PID). */
  stop(): Promise<void>;
}

interface SimVm {
  readonly id: string;
  readonly name: string;
  readonly isTemplate: boolean;
  readonly status: string;
  readonly hostname: string;
  readonly nics: readonly { readonly ip: string }[];
  readonly bootedWith?: { readonly sha256: string };
}

interface RegisteredNode {
  readonly name: string;
  readonly endpoint: string;
  readonly bootSha: string;
  /** What the VM booted with (the medium is deleted once the node joined), to register again. */
  readonly data: KubeadmBootstrap;
}

const DEFAULT_POLL_MS = 1_000;
const MIRROR_POD_COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'] as const;

export function startWorkloadEmulator(options: WorkloadEmulatorOptions): WorkloadEmulator {
  const log = options.log ?? (() => undefined);
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const apiServers = new Map<string, WorkloadApiServer>();
  const registered = new Map<string, RegisteredNode>();
  /** VM id + boot hash whose data cannot be acted on: never retried (a join before its API exists is). */
  const refused = new Set<string>();
  const stopping = new AbortController();
  let lastError: string | undefined;

  const fetchJson = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${options.simulatorUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };

  const boot = async (vm: SimVm, sha: string): Promise<void> => {
    const medium = await fetchJson<{ contentBase64: string; sha256: string }>(`/sim/vms/${encodeURIComponent(vm.id)}/bootstrap`);
    if (medium.sha256 !== sha || medium.contentBase64 === '') {
      refused.add(`${vm.id}/${sha}`); // the medium is gone: this boot cannot be replayed
      return;
    }
    let data: KubeadmBootstrap;
    try {
      data = readKubeadmBootstrap(Buffer.from(medium.contentBase64, 'base64').toString('utf8'));
    } catch (err) {
      refused.add(`${vm.id}/${sha}`);
      log(`[workload] VM ${vm.name}: ${err instanceof Error ? err.message : String(err)}; no node`);
      return;
    }
    let api = apiServers.get(data.apiServerEndpoint);
    if (data.role === 'init' && api === undefined && data.pki) {
      api = await startWorkloadApiServer(parseEndpoint(data.apiServerEndpoint), data.pki, log);
      apiServers.set(data.apiServerEndpoint, api);
    }
    if (api === undefined) return; // a join before kubeadm init answered: try again on the next poll
    // Idempotent, and retried with the whole boot until the node is registered.
    if (data.clusterConfiguration) await publishKubeadmConfig(api.http, data.clusterConfiguration);
    await register(api.http, vm, data);
    registered.set(vm.id, { name: vm.hostname || vm.name, endpoint: data.apiServerEndpoint, bootSha: sha, data });
    log(`[workload] VM ${vm.name} ${data.role === 'init' ? 'ran kubeadm init' : 'joined'}: node ${vm.hostname || vm.name}${data.providerId ? ` (${data.providerId})` : ''}`);
  };

  const poll = async (): Promise<void> => {
    const state = await fetchJson<{ vms: Record<string, SimVm> }>('/sim/state');
    const vms = new Map(Object.values(state.vms).filter((vm) => !vm.isTemplate).map((vm) => [vm.id, vm]));
    // Deleted VMs first: a new VM may take a deleted one's pool entry, and so its hostname.
    for (const [vmId, node] of registered) {
      if (vms.has(vmId)) continue;
      const api = apiServers.get(node.endpoint);
      if (api) await deleteIgnoringMissing(api.http, `/api/v1/nodes/${node.name}`);
      registered.delete(vmId);
      log(`[workload] VM of node ${node.name} deleted: node removed`);
    }
    for (const vm of vms.values()) {
      const sha = vm.bootedWith?.sha256;
      if (vm.status !== 'running' || sha === undefined || registered.get(vm.id)?.bootSha === sha || refused.has(`${vm.id}/${sha}`)) continue;
      await boot(vm, sha);
    }
    // The kubelet of a running VM registers its Node again when someone deleted it (Cluster API deletes
    // the Node of a deleted Machine by name, which a new VM with the same hostname may carry by then).
    for (const [endpoint, api] of apiServers) {
      const existing = await nodeNames(api.http);
      for (const [vmId, node] of registered) {
        const vm = vms.get(vmId);
        if (node.endpoint !== endpoint || existing.has(node.name) || vm?.status !== 'running') continue;
        await register(api.http, vm, node.data);
        log(`[workload] node ${node.name} was deleted while its VM runs: registered again`);
      }
    }
  };

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await poll();
        lastError = undefined;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
      await sleep(pollMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();

  return {
    apiServers,
    lastError: () => lastError,
    stop: async () => {
      stopping.abort();
      await loop;
      for (const api of apiServers.values()) await api.stop();
      apiServers.clear();
    },
  };
}

function parseEndpoint(endpoint: string): { host: string; port: number } {
  const match = /^([\d.]+):(\d+)$/.exec(endpoint);
  if (!match) throw new Error(`control-plane endpoint "${endpoint}" is not IPv4:port`);
  return { host: match[1] ?? '', port: Number(match[2]) };
}

/** What `kubeadm init` uploads (phase upload-config): the ClusterConfiguration, read back by KCP and joins. */
async function publishKubeadmConfig(http: KubeHttp, clusterConfiguration: string): Promise<void> {
  await serverSideApply(http, '/api/v1/namespaces/kube-system/configmaps/kubeadm-config', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kubeadm-config', namespace: 'kube-system' },
    data: { ClusterConfiguration: clusterConfiguration },
  });
}

/** What the kubelet does on a booted VM: its Node, and on control-plane VMs the static pods' mirror pods. */
async function register(http: KubeHttp, vm: SimVm, data: KubeadmBootstrap): Promise<void> {
  const controlPlane = data.role !== 'join-worker';
  await registerNode(http, vm, data, controlPlane);
  if (controlPlane) await publishMirrorPods(http, vm.hostname || vm.name, data.kubernetesVersion);
}

async function nodeNames(http: KubeHttp): Promise<Set<string>> {
  const res = await http.request('GET', '/api/v1/nodes');
  if (res.status !== 200) throw new Error(`GET /api/v1/nodes: HTTP ${res.status}`);
  return new Set((JSON.parse(res.body) as { items: { metadata: { name: string } }[] }).items.map((n) => n.metadata.name));
}

/** The Node the kubelet registers, then the status its first heartbeat reports. */
async function registerNode(http: KubeHttp, vm: SimVm, data: KubeadmBootstrap, controlPlane: boolean): Promise<void> {
  const name = vm.hostname || vm.name;
  const path = `/api/v1/nodes/${name}`;
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    ...data.nodeLabels,
    ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
  };
  await serverSideApply(http, path, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    spec: {
      ...(data.providerId ? { providerID: data.providerId } : {}),
      ...(controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    },
  });
  const now = new Date().toISOString();
  const ip = vm.nics[0]?.ip;
  await serverSideApply(http, `${path}/status`, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: {
      // Cluster API's NodeHealthy wants the pressure conditions reported too.
      conditions: [
        ...['MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => ({ type, status: 'False', reason: `KubeletHasNo${type}`, lastHeartbeatTime: now, lastTransitionTime: now })),
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status (emulated)', lastHeartbeatTime: now, lastTransitionTime: now },
      ],
      addresses: [...(ip ? [{ type: 'InternalIP', address: ip }] : []), { type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: data.kubernetesVersion ?? '', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64', machineID: vm.id, systemUUID: vm.id, bootID: vm.bootedWith?.sha256.slice(0, 32) ?? '', kernelVersion: '', osImage: '', containerRuntimeVersion: '' },
    },
  });
}

/** The control-plane static pods as the kubelet mirrors them: KCP reads their phase and Ready condition. */
async function publishMirrorPods(http: KubeHttp, nodeName: string, version: string | undefined): Promise<void> {
  for (const component of MIRROR_POD_COMPONENTS) {
    const name = `${component}-${nodeName}`;
    const path = `/api/v1/namespaces/kube-system/pods/${name}`;
    await serverSideApply(http, path, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'kube-system',
        labels: { component, tier: 'control-plane' },
        annotations: { 'kubernetes.io/config.mirror': `${component}-emulated`, 'kubernetes.io/config.source': 'file' },
      },
      spec: { nodeName, hostNetwork: true, priorityClassName: 'system-node-critical', containers: [{ name: component, image: `registry.k8s.io/${component}:${version ?? 'unknown'}` }] },
    });
    const now = new Date().toISOString();
    await serverSideApply(http, `${path}/status`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'kube-system' },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }], startTime: now },
    });
  }
}

async function deleteIgnoringMissing(http: KubeHttp, path: string): Promise<void> {
  const res = await http.request('DELETE', path);
  if (res.status !== 200 && res.status !== 202 && res.status !== 404) throw new Error(`DELETE ${path}: HTTP ${res.status}`);
}
