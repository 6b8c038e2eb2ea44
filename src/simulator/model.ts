// The simulator's whole state: plain JSON-serialisable records keyed by id, so the store can
// persist it as one file and a restart loses nothing. Sizes are GB, memory MB, times epoch ms.

import type { DrsRule, DrsRuleOperation, NicSpecification, StopMode, TaskStatus, VmStatus } from '../shared/dcs/types';

export const TaskKinds = [
  'clone',
  'start',
  'stop',
  'delete',
  'attachvol',
  'detachvol',
  'createvol',
  'deletevol',
  'attachcdrom',
  'detachcdrom',
  'modifycluster',
] as const;
export type TaskKind = (typeof TaskKinds)[number];

export interface ClusterRecord {
  id: string;
  name: string;
  drsEnabled: boolean;
  drsRules: DrsRule[];
}

export interface HostRecord {
  id: string;
  name: string;
  clusterId: string;
  ip: string;
  status: string;
}

/** An uploaded file (an Ignition ISO); the bytes are kept so tests can check what a VM booted with. */
export interface FileRecord {
  name: string;
  sizeBytes: number;
  sha256: string;
  dataBase64: string;
}

export interface DatastoreRecord {
  id: string;
  name: string;
  capacityGB: number;
  /** Space used by things outside the simulator's books (seeded from the inventory). */
  preUsedGB: number;
  storageType: string;
  hostIds: string[];
  files: Record<string, FileRecord>;
}

export interface DatastoreClusterRecord {
  id: string;
  name: string;
  datastoreIds: string[];
}

export interface PortGroupRecord {
  id: string;
  name: string;
  vlanId: number;
}

export interface DvSwitchRecord {
  id: string;
  name: string;
  portGroups: PortGroupRecord[];
}

export interface FolderRecord {
  id: string;
  name: string;
}

export interface VmDiskRecord {
  sequenceNum: number;
  volumeId: string;
}

export interface VmNicRecord {
  sequenceNum: number;
  dvsId: string;
  portGroupId: string;
  mac: string;
  ip: string;
}

export interface VmRecord {
  id: string;
  name: string;
  description: string;
  isTemplate: boolean;
  status: VmStatus;
  clusterId: string;
  hostId: string;
  folderId: string;
  cpu: number;
  memoryMB: number;
  /** Guest tools installed: safe stop and hot (de)attach need them. */
  guestTools: boolean;
  disks: VmDiskRecord[];
  nics: VmNicRecord[];
  hostname: string;
  nicSpecification: NicSpecification[];
  cdRom: { datastoreId: string; fileName: string } | undefined;
  /** What the guest read from its CD-ROM at its last boot with one mounted (the bootstrap payload). */
  bootedWith: { datastoreId: string; fileName: string; sha256: string; sizeBytes: number; at: number } | undefined;
  createdAt: number;
}

export type VolumeStatus = 'creating' | 'available' | 'attaching' | 'in-use' | 'detaching' | 'deleting';

export interface VolumeRecord {
  id: string;
  name: string;
  quantityGB: number;
  datastoreId: string;
  isThin: boolean;
  type: string;
  indepDisk: boolean;
  persistentDisk: boolean;
  pciType: string;
  status: VolumeStatus;
  vmId: string | undefined;
  sequenceNum: number;
  /** The simulated filesystem: file name -> content. Lets tests write and read data markers. */
  files: Record<string, string>;
}

export type TaskPayload =
  | { kind: 'clone'; vmId: string; autoBoot: boolean }
  | { kind: 'start'; vmId: string }
  | { kind: 'stop'; vmId: string; mode: StopMode }
  | { kind: 'delete'; vmId: string; reserveDisks: boolean }
  | { kind: 'attachvol'; vmId: string; volumeId: string; sequenceNum: number }
  | { kind: 'detachvol'; vmId: string; volumeId: string }
  | { kind: 'createvol'; volumeId: string }
  | { kind: 'deletevol'; volumeId: string }
  | { kind: 'attachcdrom'; vmId: string; datastoreId: string; fileName: string }
  | { kind: 'detachcdrom'; vmId: string }
  | { kind: 'modifycluster'; clusterId: string; operations: DrsRuleOperation[] };

export interface TaskRecord {
  id: string;
  payload: TaskPayload;
  entityUrn: string;
  entityName: string;
  user: string;
  status: TaskStatus;
  startedAt: number;
  dueAt: number;
  finishedAt: number | undefined;
  /** Set while a "stuck" fault holds the task at this progress. */
  stuckAt: number | undefined;
  /** Set at creation when a fault says this task must fail. */
  plannedFailure: { code: string; message: string } | undefined;
  progress: number;
  reason: string;
  reasonDes: string;
}

export interface SessionRecord {
  /** SHA-256 of the token: the state file never holds a usable token. */
  tokenHash: string;
  user: string;
  createdAt: number;
  lastUsedAt: number;
}

export interface LoginRecord {
  failures: number;
  lockedUntil: number;
}

export interface UploadTicketRecord {
  ticketHash: string;
  datastoreId: string;
  fileName: string;
  expiresAt: number;
}

export interface Faults {
  /** Fail the next N tasks of a kind. */
  failNext: Partial<Record<TaskKind, number>>;
  /** Hold the next N tasks of a kind at `stuckProgress` until released. */
  stickNext: Partial<Record<TaskKind, number>>;
  stuckProgress: number;
  /** Datastore names that report no free space. */
  exhaustedDatastores: string[];
  /** Host name -> task latency multiplier. */
  slowHosts: Record<string, number>;
  /** VM names whose safe stop hangs in `stopping` even with guest tools. */
  stuckStoppingVms: string[];
  /** Template names that look absent (the "unknown template" failure). */
  hiddenTemplates: string[];
  /** Site policy "only stopped VMs can be deleted" (DCS 102212808). */
  deleteRequiresStopped: boolean;
}

export interface SimState {
  schema: 1;
  site: { id: string; name: string };
  nextId: number;
  clusters: Record<string, ClusterRecord>;
  hosts: Record<string, HostRecord>;
  datastores: Record<string, DatastoreRecord>;
  datastoreClusters: Record<string, DatastoreClusterRecord>;
  dvswitches: Record<string, DvSwitchRecord>;
  folders: Record<string, FolderRecord>;
  vms: Record<string, VmRecord>;
  volumes: Record<string, VolumeRecord>;
  tasks: Record<string, TaskRecord>;
  sessions: Record<string, SessionRecord>;
  logins: Record<string, LoginRecord>;
  uploads: Record<string, UploadTicketRecord>;
  faults: Faults;
}
