// DCS REST shapes shared by the client and the simulator. Field names follow reference §8 where
// it gives them ([doc]/[fc]); fields marked "silent" are this project's choice, kept small.

/** VM states from reference §8. `pause` and `paused` both occur in the wild. */
export const VmStatuses = [
  'creating',
  'running',
  'stopping',
  'stopped',
  'starting',
  'migrating',
  'pause',
  'paused',
  'hibernated',
  'unknown',
  'fault-resuming',
] as const;
export type VmStatus = (typeof VmStatuses)[number];

export type TaskStatus = 'running' | 'success' | 'failed';
export type StopMode = 'safe' | 'force';

/** Returned by every long operation. */
export interface TaskRef {
  readonly taskUrn: string;
  readonly taskUri: string;
}

export interface DcsTask {
  readonly urn: string;
  readonly uri: string;
  /** Silent in the reference; the simulator uses its task kinds (`clone`, `stop`, ...). */
  readonly type: string;
  readonly entityUrn: string;
  readonly entityName: string;
  readonly status: TaskStatus;
  readonly progress: number;
  /** Error code when failed, '' otherwise. */
  readonly reason: string;
  readonly reasonDes: string;
  /** ISO 8601 (the reference does not fix the format). */
  readonly startTime: string;
  readonly finishTime: string;
  readonly user: string;
}

export interface DcsSite {
  readonly urn: string;
  readonly uri: string;
  readonly name: string;
  readonly id: string;
}

export interface DrsRule {
  readonly ruleIndex: number;
  readonly ruleName: string;
  /** 1 affinity, 2 mutual exclusion (anti-affinity). */
  readonly ruleType: number;
  readonly vms: readonly string[];
}

export interface DcsClusterSummary {
  readonly urn: string;
  readonly uri: string;
  readonly name: string;
}

export interface DcsCluster extends DcsClusterSummary {
  readonly drsSetting: { readonly drsEnabled: boolean; readonly drsRules: readonly DrsRule[] };
}

/** One operation of `PUT {clusterUri}`: operationType 2 create, 1 modify, 0 delete. */
export interface DrsRuleOperation {
  readonly operationType: 0 | 1 | 2;
  readonly ruleIndex?: number;
  readonly ruleName: string;
  readonly ruleType: number;
  readonly vms: readonly string[];
}

export interface DcsHost {
  readonly urn: string;
  readonly uri: string;
  readonly name: string;
  readonly ip: string;
  readonly status: string;
  readonly clusterUrn: string;
  readonly clusterName: string;
}

export interface DcsFolder {
  readonly urn: string;
  readonly uri: string;
  readonly name: string;
  readonly type: number;
}

export interface DcsDatastore {
  readonly urn: string;
  readonly uri: string;
  readonly name: string;
  readonly status: string;
  readonly storageType: string;
  readonly capacityGB: number;
  readonly usedSizeGB: number;
  readonly freeSizeGB: number;
  /** Host URNs that see this datastore. */
  readonly hosts: readonly string[];
}

/** Silent in the reference: listed at `GET {site}/datastoreclusters`. */
export interface DcsDatastoreCluster {
  readonly urn: string;
  readonly uri: string;
  readonly name: string;
  readonly datastores: readonly string[];
}

export interface DcsDvSwitch {
  readonly urn: string;
  readonly uri: string;
  readonly name: string;
}

export interface DcsPortGroup {
  readonly urn: string;
  readonly uri: string;
  readonly name: string;
  readonly vlanId: number;
}

export interface DcsVmDisk {
  readonly sequenceNum: number;
  readonly quantityGB: number;
  readonly datastoreUrn: string;
  readonly volumeUrn: string;
  readonly pciType: string;
  readonly isThin: boolean;
}

export interface DcsVmNic {
  readonly sequenceNum: number;
  readonly portGroupUrn: string;
  readonly mac: string;
  readonly ip: string;
}

export interface DcsVm {
  readonly urn: string;
  readonly uri: string;
  readonly name: string;
  /** Free text; the controller stores the owning DCSMachine's UID here (see client.ts). */
  readonly description: string;
  readonly status: VmStatus;
  readonly isTemplate: boolean;
  readonly hostUrn: string;
  readonly hostName: string;
  readonly clusterUrn: string;
  readonly clusterName: string;
  readonly location: string;
  /** `running` when guest tools run (needed for safe stop and hot attach), else `notRunning`. */
  readonly pvDriverStatus: string;
  /** Silent: `empty` or `mounted`. */
  readonly cdRomStatus: string;
  /** Silent: the mounted ISO's device path, '' when empty. */
  readonly cdRomDevicePath: string;
  readonly createTime: string;
  readonly vmConfig: {
    readonly cpu: { readonly quantity: number };
    readonly memory: { readonly quantityMB: number };
    readonly disks: readonly DcsVmDisk[];
    readonly nics: readonly DcsVmNic[];
  };
}

export interface DcsVmList {
  readonly total: number;
  readonly vms: readonly DcsVm[];
}

export interface CloneDiskSpec {
  readonly sequenceNum: number;
  /** 0 = the template disk's size. */
  readonly quantityGB: number;
  /** A datastore URN, or (simulator choice) a datastore-cluster URN: DCS picks a member with space. */
  readonly datastoreUrn?: string;
  readonly isThin?: boolean;
}

export interface NicSpecification {
  readonly sequenceNum: number;
  readonly ip: string;
  /** Dotted netmask. */
  readonly netmask: string;
  readonly gateway?: string;
  readonly setdns?: string;
}

/** Body of `POST {templateUri}/action/clone`. */
export interface CloneVmBody {
  readonly name: string;
  readonly description?: string;
  /** Cluster or folder URN; empty = the template's cluster. */
  readonly location?: string;
  readonly isBindingHost?: boolean;
  /** Silent: power on when the clone finishes (default true). */
  readonly autoBoot?: boolean;
  readonly vmConfig: {
    readonly cpu: { readonly quantity: number };
    readonly memory: { readonly quantityMB: number };
    readonly disks?: readonly CloneDiskSpec[];
    readonly nics?: readonly { readonly portGroupUrn: string }[];
  };
  readonly vmCustomization?: {
    readonly hostname?: string;
    readonly nicSpecification?: readonly NicSpecification[];
  };
}

export interface CloneVmResult extends TaskRef {
  readonly urn: string;
  readonly uri: string;
}

/** Body of `POST {site}/volumes`. */
export interface CreateVolumeBody {
  readonly name: string;
  readonly quantityGB: number;
  readonly datastoreUrn: string;
  readonly isThin?: boolean;
  readonly type?: string;
  readonly indepDisk?: boolean;
  readonly persistentDisk?: boolean;
  /** Silent: bus type, default VIRTIO. */
  readonly pciType?: string;
}

export interface CreateVolumeResult extends TaskRef {
  readonly urn: string;
  readonly uri: string;
}

/** Silent in the reference: the volume detail returned by `GET {volumeUri}`. */
export interface DcsVolume {
  readonly urn: string;
  readonly uri: string;
  readonly name: string;
  readonly quantityGB: number;
  readonly datastoreUrn: string;
  readonly datastoreName: string;
  readonly isThin: boolean;
  readonly type: string;
  readonly indepDisk: boolean;
  readonly persistentDisk: boolean;
  readonly pciType: string;
  /** `creating`, `available`, `attaching`, `in-use`, `detaching`, `deleting`. */
  readonly status: string;
  /** The VM it is attached to, '' when free. */
  readonly vmUrn: string;
  readonly sequenceNum: number;
}

export interface AttachVolumeBody {
  readonly volUrn: string;
  readonly sequenceNum?: number;
  readonly pciType?: string;
}

/** Silent: reply of `POST {datastoreUri}/action/applyUpload`. */
export interface UploadGrant {
  /** Absolute URL to `PUT` the file body to (a host address in real DCS). */
  readonly uploadUrl: string;
  readonly fileName: string;
  readonly datastoreUrn: string;
  /** What to pass to `attachCdrom` once the upload is done. */
  readonly devicePath: string;
}

/** Silent: one file on a datastore (uploaded ISOs). */
export interface DcsDatastoreFile {
  readonly name: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly devicePath: string;
  readonly datastoreUrn: string;
}

export interface LoginResult {
  readonly validity: string;
  readonly userId: string;
  readonly userName: string;
  readonly roleList: readonly string[];
}

/** Error body of every non-2xx reply. */
export interface DcsErrorBody {
  readonly errorCode: string;
  readonly errorDes: string;
}
