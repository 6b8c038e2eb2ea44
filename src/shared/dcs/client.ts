// The one interface through which the controller (and the tests) talk to DCS. `http.ts`
// implements it over REST; the simulator in src/simulator speaks the same REST surface.
//
// Idempotency convention (the reference is silent on how a VM is tied to its DCSMachine): the
// controller clones with `description` set by `ownerDescription(uid)`, and after a crash finds
// its VM again with `findVmsByName` + `ownerUidOf`, so it never creates a second VM.

import type {
  CloneDiskSpec,
  DcsCluster,
  DcsClusterSummary,
  DcsDatastore,
  DcsDatastoreCluster,
  DcsDatastoreFile,
  DcsDvSwitch,
  DcsFolder,
  DcsHost,
  DcsPortGroup,
  DcsSite,
  DcsTask,
  DcsVm,
  DcsVolume,
  DrsRuleOperation,
  LoginResult,
  NicSpecification,
  StopMode,
  TaskRef,
} from './types';

export type DcsUserType = 'interconnect' | 'domain';

export interface DcsCredentials {
  readonly authUser: string;
  readonly authKey: string;
  readonly userType?: DcsUserType;
}

export interface CloneRequest {
  readonly name: string;
  /** Use `ownerDescription(uid)` so the VM can be matched to its DCSMachine. */
  readonly description?: string;
  /** Cluster or folder URN; omitted = the template's cluster. */
  readonly locationUrn?: string;
  /** Power on when the clone finishes (default true). Use false to attach a CD-ROM before first boot. */
  readonly autoBoot?: boolean;
  readonly cpu: number;
  readonly memoryMB: number;
  readonly disks?: readonly CloneDiskSpec[];
  readonly nics?: readonly { readonly portGroupUrn: string }[];
  readonly hostname?: string;
  readonly nicSpecification?: readonly NicSpecification[];
}

export interface CreateVolumeRequest {
  readonly name: string;
  readonly quantityGB: number;
  /** Datastore or datastore-cluster URN. */
  readonly datastoreUrn: string;
  readonly isThin?: boolean;
  readonly pciType?: string;
}

export interface CreatedResource {
  readonly urn: string;
  readonly task: TaskRef;
}

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
}

export interface DcsClient {
  readonly site: string;
  /** Logs in now; other calls log in on demand and once more after `10000002`. */
  login(): Promise<LoginResult>;
  logout(): Promise<void>;

  listSites(): Promise<DcsSite[]>;
  listClusters(): Promise<DcsClusterSummary[]>;
  getCluster(clusterUrn: string): Promise<DcsCluster>;
  updateDrsRules(clusterUrn: string, operations: readonly DrsRuleOperation[]): Promise<TaskRef>;
  listHosts(): Promise<DcsHost[]>;
  listFolders(): Promise<DcsFolder[]>;
  listDatastores(): Promise<DcsDatastore[]>;
  listDatastoreClusters(): Promise<DcsDatastoreCluster[]>;
  listDvSwitches(): Promise<DcsDvSwitch[]>;
  listPortGroups(dvSwitchUrn: string): Promise<DcsPortGroup[]>;
  /** Port group `portGroupName` inside DVS `dvSwitchName`; undefined when either is missing. */
  findPortGroup(dvSwitchName: string, portGroupName: string): Promise<DcsPortGroup | undefined>;

  /** The VM template (`isTemplate=true`) with exactly this name. */
  findTemplateByName(name: string): Promise<DcsVm | undefined>;
  /** Every non-template VM with exactly this name (DCS allows duplicates). */
  findVmsByName(name: string): Promise<DcsVm[]>;
  /** Throws DcsNotFoundError when the VM is gone. */
  getVm(vmUrn: string): Promise<DcsVm>;
  cloneVm(templateUrn: string, request: CloneRequest): Promise<CreatedResource>;
  startVm(vmUrn: string): Promise<TaskRef>;
  stopVm(vmUrn: string, mode: StopMode): Promise<TaskRef>;
  /** Rejected with DCS 102212808 (DcsTransientError) while running under the site policy. */
  deleteVm(vmUrn: string, options?: { reserveDisks?: boolean }): Promise<TaskRef>;

  /** applyUpload on the datastore, then streams `data` to the returned URL. */
  uploadFile(datastoreUrn: string, fileName: string, data: Uint8Array): Promise<DcsDatastoreFile>;
  listDatastoreFiles(datastoreUrn: string): Promise<DcsDatastoreFile[]>;
  deleteDatastoreFile(datastoreUrn: string, fileName: string): Promise<void>;
  attachCdrom(vmUrn: string, devicePath: string): Promise<TaskRef>;
  detachCdrom(vmUrn: string): Promise<TaskRef>;

  createVolume(request: CreateVolumeRequest): Promise<CreatedResource>;
  getVolume(volumeUrn: string): Promise<DcsVolume>;
  /** The volume with exactly this name; throws DcsError if several exist. */
  findVolumeByName(name: string): Promise<DcsVolume | undefined>;
  attachVolume(vmUrn: string, volumeUrn: string, options?: { sequenceNum?: number; pciType?: string }): Promise<TaskRef>;
  detachVolume(vmUrn: string, volumeUrn: string): Promise<TaskRef>;
  deleteVolume(volumeUrn: string): Promise<TaskRef>;

  getTask(taskUri: string): Promise<DcsTask>;
  listTasks(filter?: { status?: string; limit?: number }): Promise<DcsTask[]>;
  /** Polls until success; throws DcsTaskFailedError on failure, DcsTransientError on timeout. */
  waitForTask(task: TaskRef, options?: WaitOptions): Promise<DcsTask>;
}

const OWNER_PREFIX = 'capi-dcs:dcsmachine-uid=';

/** The VM description that ties a VM to the DCSMachine with this UID. */
export function ownerDescription(uid: string): string {
  return `${OWNER_PREFIX}${uid}`;
}

/** The DCSMachine UID recorded in a VM description, if any. */
export function ownerUidOf(vm: Pick<DcsVm, 'description'>): string | undefined {
  const line = vm.description.split('\n').find((l) => l.startsWith(OWNER_PREFIX));
  const uid = line?.slice(OWNER_PREFIX.length).trim();
  return uid === '' ? undefined : uid;
}
