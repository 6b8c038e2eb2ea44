// Builders for the objects of one workload cluster as Cluster API core (and the user) would
// create them in the lab: Cluster (v1beta2, infrastructure provisioned through its status), the
// DCS credential Secret, DCSCluster, pools, and per machine a bootstrap Secret, a Machine and a
// DCSMachine owned by it.

import type { DCSCluster, DCSIpHostnameEntry, DCSIpHostnamePool, DCSMachine } from '../../src/shared/api/dcs.generated';
import type { KubeClient } from '../../src/controller/runtime/kubeClient';
import { isNotFound } from '../../src/controller/runtime/kubeErrors';
import { DCS_USER, SITE, TEMPLATE, waitFor } from './controllerHarness';

const DCS = '/apis/infrastructure.cluster.x-k8s.io/v1beta1';
const CAPI = '/apis/cluster.x-k8s.io/v1beta2';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

export const bootstrapPayload = (machine: string): string =>
  JSON.stringify({ ignition: { version: '3.4.0' }, machine, kubelet: { providerId: 'PROVIDER_ID', nodeIp: 'NODE_IP' }, joinToken: 'abcdef.0123456789abcdef' });

export class LabObjects {
  constructor(
    readonly api: KubeClient,
    readonly ns: string,
    readonly cluster = 'lab',
  ) {}

  path(kind: 'dcsmachines' | 'dcsclusters' | 'dcsiphostnamepools' | 'machines' | 'clusters' | 'secrets', name?: string): string {
    const base = kind === 'secrets' ? `/api/v1` : kind === 'machines' || kind === 'clusters' ? CAPI : DCS;
    return `${base}/namespaces/${this.ns}/${kind}${name === undefined ? '' : `/${name}`}`;
  }

  private labels(): Record<string, string> {
    return { 'cluster.x-k8s.io/cluster-name': this.cluster };
  }

  /** Cluster + credentials + DCSCluster, with infrastructureProvisioned set as core would after DCSCluster is ready. */
  async createCluster(simUrl: string, options: { paused?: boolean; authKey?: string; controlPlaneHA?: boolean } = {}): Promise<void> {
    const cluster = await this.api.request<{ metadata: { uid: string } }>('POST', this.path('clusters'), {
      body: {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name: this.cluster, namespace: this.ns },
        spec: { paused: options.paused ?? false, infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DCSCluster', name: this.cluster } },
      },
    });
    await this.api.mergePatch(`${this.path('clusters', this.cluster)}/status`, { status: { initialization: { infrastructureProvisioned: true } } });
    await this.api.request('POST', this.path('secrets'), {
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `${this.cluster}-dcs`, namespace: this.ns },
        type: 'Opaque',
        data: { authUser: b64(DCS_USER.authUser), authKey: b64(options.authKey ?? DCS_USER.authKey), endpoint: b64(simUrl), site: b64(SITE) },
      },
    });
    await this.api.request('POST', this.path('dcsclusters'), {
      body: {
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
        kind: 'DCSCluster',
        metadata: {
          name: this.cluster,
          namespace: this.ns,
          labels: this.labels(),
          ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', name: this.cluster, uid: cluster.metadata.uid }],
        },
        spec: {
          controlPlaneLoadBalancer: { type: 'external', host: '127.0.12.5', port: 6443 },
          credentialSecretRef: { name: `${this.cluster}-dcs` },
          networkType: 'kube-ovn',
          site: SITE,
          ...(options.controlPlaneHA === undefined ? {} : { controlPlaneHA: { enabled: options.controlPlaneHA } }),
        },
      },
    });
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.api.mergePatch(this.path('clusters', this.cluster), { spec: { paused } });
  }

  async createPool(name: string, entries: DCSIpHostnameEntry[]): Promise<void> {
    await this.api.request('POST', this.path('dcsiphostnamepools'), {
      body: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSIpHostnamePool', metadata: { name, namespace: this.ns }, spec: { pool: entries } },
    });
  }

  async setPoolEntries(name: string, entries: DCSIpHostnameEntry[]): Promise<void> {
    await this.api.mergePatch(this.path('dcsiphostnamepools', name), { spec: { pool: entries } });
  }

  /** Bootstrap Secret, Machine and DCSMachine (owned by the Machine), as CAPI core creates them. */
  /** noBootstrap: no data secret named yet; absentBootstrap: named, but the Secret is not created. */
  async createMachine(name: string, pool: string, options: { annotations?: Record<string, string>; noBootstrap?: boolean; absentBootstrap?: boolean; controlPlane?: boolean } = {}): Promise<void> {
    // KubeadmControlPlane labels its Machines and their infrastructure machines.
    const labels = { ...this.labels(), ...(options.controlPlane ? { 'cluster.x-k8s.io/control-plane': '' } : {}) };
    if (!options.noBootstrap && !options.absentBootstrap) {
      await this.api.request('POST', this.path('secrets'), {
        body: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `${name}-bootstrap`, namespace: this.ns, labels: this.labels() },
          type: 'cluster.x-k8s.io/secret',
          data: { value: b64(bootstrapPayload(name)), format: b64('ignition') },
        },
      });
    }
    const machine = await this.api.request<{ metadata: { uid: string } }>('POST', this.path('machines'), {
      body: {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Machine',
        metadata: { name, namespace: this.ns, labels },
        spec: {
          clusterName: this.cluster,
          bootstrap: options.noBootstrap ? { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfig', name } } : { dataSecretName: `${name}-bootstrap` },
          infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DCSMachine', name },
        },
      },
    });
    await this.api.request('POST', this.path('dcsmachines'), {
      body: {
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
        kind: 'DCSMachine',
        metadata: {
          name,
          namespace: this.ns,
          labels,
          ...(options.annotations ? { annotations: options.annotations } : {}),
          ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Machine', name, uid: machine.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: {
          vmTemplateName: TEMPLATE,
          ipHostPoolRef: { name: pool },
          vmConfig: {
            dcsMachineCpuSpec: { quantity: 2 },
            dcsMachineMemorySpec: { quantity: 4096 },
            dcsMachineDiskSpec: [
              { systemVolume: true, quantity: 0, datastoreClusterName: 'dsc-gold' },
              { path: '/var/lib/kubelet', quantity: 10, format: 'xfs', datastoreClusterName: 'dsc-gold' },
            ],
          },
        },
      },
    });
  }

  /** Sets the Machine's bootstrap data secret, as the bootstrap provider would once it is ready. */
  async provideBootstrap(name: string): Promise<void> {
    await this.createBootstrapSecret(name);
    await this.api.mergePatch(this.path('machines', name), { spec: { bootstrap: { dataSecretName: `${name}-bootstrap` } } });
  }

  async createBootstrapSecret(name: string): Promise<void> {
    await this.api.request('POST', this.path('secrets'), {
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `${name}-bootstrap`, namespace: this.ns, labels: this.labels() },
        type: 'cluster.x-k8s.io/secret',
        data: { value: b64(bootstrapPayload(name)), format: b64('ignition') },
      },
    });
  }

  async deleteMachine(name: string): Promise<void> {
    await this.api.request('DELETE', this.path('dcsmachines', name));
    await this.api.request('DELETE', this.path('machines', name));
  }

  dcsMachine(name: string): Promise<DCSMachine | undefined> {
    return this.read<DCSMachine>(this.path('dcsmachines', name));
  }

  dcsCluster(): Promise<DCSCluster | undefined> {
    return this.read<DCSCluster>(this.path('dcsclusters', this.cluster));
  }

  pool(name: string): Promise<DCSIpHostnamePool | undefined> {
    return this.read<DCSIpHostnamePool>(this.path('dcsiphostnamepools', name));
  }

  /** The pool once `ok` accepts it (the pool status mirrors claims in the background). */
  async poolWhen(name: string, ok: (pool: DCSIpHostnamePool) => boolean, what: string): Promise<DCSIpHostnamePool> {
    return waitFor(async () => {
      const pool = await this.pool(name);
      return pool && ok(pool) ? pool : undefined;
    }, `pool ${name}: ${what}`);
  }

  private async read<T>(path: string): Promise<T | undefined> {
    try {
      return await this.api.get<T>(path);
    } catch (err: unknown) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

export function entry(n: number, extra: Partial<DCSIpHostnameEntry> = {}): DCSIpHostnameEntry {
  return { ip: `127.0.12.${10 + n}`, mask: '24', gateway: '127.0.12.1', dns: '127.0.0.53', hostname: `lab-node-${n}`, machineName: `lab-node-${n}`, ...extra };
}

export function condition(obj: { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } } | undefined, type: string) {
  return obj?.status?.conditions?.find((c) => c.type === type);
}
