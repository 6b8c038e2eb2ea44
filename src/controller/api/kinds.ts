// The kinds the controller watches, and the Cluster API v1beta2 shapes it reads (only the fields
// it uses). DCS kinds come from the generated types in src/shared/api.

import { DCS_GROUP, DCS_VERSION, DcsKinds, type DCSCluster, type DCSIpHostnamePool, type DCSMachine } from '../../shared/api/dcs.generated';
import type { ObjectMeta } from '../../shared/api/meta';
import type { ResourceKind } from '../runtime/resources';

export type { DCSCluster, DCSIpHostnamePool, DCSMachine };

const dcs = (k: keyof typeof DcsKinds): ResourceKind => ({ group: DCS_GROUP, version: DCS_VERSION, plural: DcsKinds[k].plural, kind: DcsKinds[k].kind });

export const Kinds = {
  dcsCluster: dcs('DCSCluster'),
  dcsMachine: dcs('DCSMachine'),
  dcsPool: dcs('DCSIpHostnamePool'),
  cluster: { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'clusters', kind: 'Cluster' },
  machine: { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'machines', kind: 'Machine' },
  secret: { group: '', version: 'v1', plural: 'secrets', kind: 'Secret' },
} as const satisfies Record<string, ResourceKind>;

/** A contract reference of Cluster API v1beta2. */
export interface ContractRef {
  apiGroup: string;
  kind: string;
  name: string;
}

export interface Cluster {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    paused?: boolean;
    infrastructureRef?: ContractRef;
    controlPlaneEndpoint?: { host?: string; port?: number };
  };
  status?: { initialization?: { infrastructureProvisioned?: boolean; controlPlaneInitialized?: boolean } };
}

export interface Machine {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    clusterName: string;
    bootstrap: { dataSecretName?: string; configRef?: ContractRef };
    infrastructureRef: ContractRef;
    providerID?: string;
  };
  status?: { nodeRef?: { name?: string } };
}

export interface Secret {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  type?: string;
  data?: Record<string, string>;
}
