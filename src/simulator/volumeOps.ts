// Volumes: create (independent persistent disks for pool slots), delete, attach to and detach
// from VMs, plus the simulated filesystem on each volume that tests use for data markers.
// Hot (de)attach on a running VM needs guest tools, as on real DCS.

import type { CreateVolumeResult, TaskRef } from '../shared/dcs/types';
import { parseDcsUrn } from '../shared/dcs/urn';
import { invalid, notFound, wrongState } from './apiError';
import { asObject, optBoolean, optNumber, optString, removeKey, reqString } from './json';
import type { SimState, TaskRecord, VmRecord, VolumeRecord } from './model';
import { isVisibleFrom, placeDisks } from './placement';
import { newId } from './seed';
import type { Store } from './store';
import type { TaskEngine } from './tasks';
import type { Views } from './views';
import type { VmOps } from './vmOps';

const PCI_TYPES = ['VIRTIO', 'IDE', 'SCSI'];
const FILE_NAME = /^[A-Za-z0-9._-]{1,128}$/;

export class VolumeOps {
  constructor(
    private readonly store: Store,
    private readonly tasks: TaskEngine,
    private readonly views: Views,
    private readonly vms: VmOps,
  ) {
    tasks.register('createvol', {
      complete: (t) => this.setStatus(t, 'available'),
      fail: (t) => this.forget(t),
    });
    tasks.register('deletevol', { complete: (t) => this.forget(t), fail: (t) => this.setStatus(t, 'available') });
    tasks.register('attachvol', { complete: (t) => this.onAttached(t), fail: (t) => this.release(t) });
    tasks.register('detachvol', { complete: (t) => this.onDetached(t), fail: (t) => this.setStatus(t, 'in-use') });
  }

  private get state(): SimState {
    return this.store.state;
  }

  get(id: string): VolumeRecord {
    const volume = this.state.volumes[id];
    if (!volume) throw notFound(`volume ${this.views.urn('volumes', id)} does not exist`);
    return volume;
  }

  /** Name filter is a substring match (see VmOps.list). */
  list(name: string | undefined): VolumeRecord[] {
    return Object.values(this.state.volumes)
      .filter((v) => name === undefined || v.name.includes(name))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  create(body: unknown, user: string): CreateVolumeResult {
    const req = asObject(body, 'body');
    const quantityGB = optNumber(req, 'quantityGB', 'body', 0, 1);
    if (!Number.isInteger(quantityGB)) throw invalid('body.quantityGB must be a whole number of GB');
    const pciType = optString(req, 'pciType', 'body', 'VIRTIO').toUpperCase();
    if (!PCI_TYPES.includes(pciType)) throw invalid(`body.pciType must be one of ${PCI_TYPES.join(', ')}`);
    const [datastore] = placeDisks(this.state, [{ urn: reqString(req, 'datastoreUrn', 'body'), gb: quantityGB }]);
    const id = newId(this.state);
    const volume: VolumeRecord = {
      id,
      name: reqString(req, 'name', 'body'),
      quantityGB,
      datastoreId: datastore?.id ?? '',
      isThin: optBoolean(req, 'isThin', 'body', true),
      type: optString(req, 'type', 'body', 'normal'),
      indepDisk: optBoolean(req, 'indepDisk', 'body', true),
      persistentDisk: optBoolean(req, 'persistentDisk', 'body', true),
      pciType,
      status: 'creating',
      vmId: undefined,
      sequenceNum: 0,
      files: {},
    };
    this.state.volumes[id] = volume;
    const task = this.start(volume, { kind: 'createvol', volumeId: id }, user);
    return { urn: this.views.urn('volumes', id), uri: this.views.uri('volumes', id), ...this.vms.ref(task) };
  }

  delete(id: string, user: string): TaskRef {
    const volume = this.get(id);
    if (volume.status !== 'available') {
      const holder = volume.vmId === undefined ? '' : ` (VM ${this.state.vms[volume.vmId]?.name ?? volume.vmId})`;
      throw wrongState(`volume ${volume.name} is ${volume.status}${holder}; only an available volume can be deleted`);
    }
    volume.status = 'deleting';
    return this.vms.ref(this.start(volume, { kind: 'deletevol', volumeId: id }, user));
  }

  attach(vmId: string, body: unknown, user: string): TaskRef {
    const vm = this.vms.getVm(vmId);
    const req = asObject(body, 'body');
    const volume = this.get(this.volumeIdOf(reqString(req, 'volUrn', 'body')));
    this.assertCanChangeDisks(vm, 'attach');
    if (volume.status !== 'available') throw wrongState(`volume ${volume.name} is ${volume.status}; only an available volume can be attached`);
    const datastore = this.state.datastores[volume.datastoreId];
    if (datastore && !isVisibleFrom(datastore, vm.hostId)) {
      throw wrongState(`datastore ${datastore.name} of volume ${volume.name} is not visible from the VM's host`);
    }
    const taken = new Set([...vm.disks.map((d) => d.sequenceNum), ...this.pendingSlots(vm)]);
    const asked = optNumber(req, 'sequenceNum', 'body', 0);
    const sequenceNum = asked === 0 ? Math.max(1, ...taken) + 1 : asked;
    if (!Number.isInteger(sequenceNum) || sequenceNum < 2) throw invalid('body.sequenceNum must be a whole number >= 2 (1 is the system disk)');
    if (taken.has(sequenceNum)) throw wrongState(`VM ${vm.name} already has a disk at sequenceNum ${sequenceNum}`);
    Object.assign(volume, { status: 'attaching', vmId: vm.id, sequenceNum });
    return this.vms.ref(this.start(volume, { kind: 'attachvol', vmId: vm.id, volumeId: volume.id, sequenceNum }, user));
  }

  detach(vmId: string, body: unknown, user: string): TaskRef {
    const vm = this.vms.getVm(vmId);
    const volume = this.get(this.volumeIdOf(reqString(asObject(body, 'body'), 'volUrn', 'body')));
    const disk = vm.disks.find((d) => d.volumeId === volume.id);
    if (!disk) throw wrongState(`volume ${volume.name} is not attached to VM ${vm.name}`);
    if (disk.sequenceNum === 1) throw invalid('the system disk (sequenceNum 1) cannot be detached');
    this.assertCanChangeDisks(vm, 'detach');
    volume.status = 'detaching';
    return this.vms.ref(this.start(volume, { kind: 'detachvol', vmId: vm.id, volumeId: volume.id }, user));
  }

  /** Simulator-only: a file in the volume's simulated filesystem. */
  readFile(volume: VolumeRecord, name: string): string {
    const content = volume.files[checkFileName(name)];
    if (content === undefined) throw notFound(`volume ${volume.name} has no file ${name}`);
    return content;
  }

  writeFile(volume: VolumeRecord, name: string, content: string): void {
    volume.files[checkFileName(name)] = content;
  }

  /** The volume behind a VM's disk at this sequenceNum. */
  diskVolume(vm: VmRecord, sequenceNum: number): VolumeRecord {
    const disk = vm.disks.find((d) => d.sequenceNum === sequenceNum);
    if (!disk) throw notFound(`VM ${vm.name} has no disk at sequenceNum ${sequenceNum}`);
    return this.get(disk.volumeId);
  }

  private volumeIdOf(urn: string): string {
    const ref = parseDcsUrn(urn);
    if (ref?.kind !== 'volumes' || ref.site !== this.state.site.id) throw invalid(`"${urn}" is not a volume URN of this site`);
    return ref.id;
  }

  private assertCanChangeDisks(vm: VmRecord, what: string): void {
    if (vm.status !== 'running' && vm.status !== 'stopped') throw wrongState(`VM ${vm.name} is ${vm.status}; cannot ${what} volumes now`);
    if (vm.status === 'running' && !vm.guestTools) {
      throw wrongState(`VM ${vm.name} has no guest tools (pvDriverStatus=notRunning); stop it to ${what} volumes`);
    }
    const blocking = this.tasks.runningFor((p) => 'vmId' in p && p.vmId === vm.id && p.kind !== 'attachvol' && p.kind !== 'detachvol');
    if (blocking[0]) throw wrongState(`VM ${vm.name} has a ${blocking[0].payload.kind} task running`);
  }

  private pendingSlots(vm: VmRecord): number[] {
    return this.tasks.runningFor((p) => p.kind === 'attachvol' && p.vmId === vm.id).map((t) => (t.payload.kind === 'attachvol' ? t.payload.sequenceNum : 0));
  }

  private start(volume: VolumeRecord, payload: TaskRecord['payload'], user: string): TaskRecord {
    return this.tasks.start({ payload, entityUrn: this.views.urn('volumes', volume.id), entityName: volume.name, user });
  }

  private volumeOf(task: TaskRecord): VolumeRecord {
    const volume = 'volumeId' in task.payload ? this.state.volumes[task.payload.volumeId] : undefined;
    if (!volume) throw notFound(`volume of task ${task.id} no longer exists`);
    return volume;
  }

  private setStatus(task: TaskRecord, status: VolumeRecord['status']): void {
    this.volumeOf(task).status = status;
  }

  private forget(task: TaskRecord): void {
    if ('volumeId' in task.payload) removeKey(this.state.volumes, task.payload.volumeId);
  }

  private release(task: TaskRecord): void {
    Object.assign(this.volumeOf(task), { status: 'available', vmId: undefined, sequenceNum: 0 });
  }

  private onAttached(task: TaskRecord): void {
    if (task.payload.kind !== 'attachvol') return;
    const vm = this.state.vms[task.payload.vmId];
    if (!vm) throw notFound('the VM went away before the volume was attached');
    vm.disks.push({ sequenceNum: task.payload.sequenceNum, volumeId: task.payload.volumeId });
    this.volumeOf(task).status = 'in-use';
  }

  private onDetached(task: TaskRecord): void {
    if (task.payload.kind !== 'detachvol') return;
    const vm = this.state.vms[task.payload.vmId];
    const volumeId = task.payload.volumeId;
    if (vm) vm.disks = vm.disks.filter((d) => d.volumeId !== volumeId);
    this.release(task);
  }
}

function checkFileName(name: string): string {
  if (!FILE_NAME.test(name)) throw invalid('file names are 1-128 letters, digits, ".", "_" or "-"');
  return name;
}
