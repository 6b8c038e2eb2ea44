// VM lifecycle: clone from a template, power on/off, delete, and the task completions that move
// VMs through the DCS states (creating -> running, starting, stopping -> stopped). A safe stop
// without guest tools hangs in `stopping`, as on real DCS; a force stop ends it.

import { DcsCodes } from '../shared/dcs/errors';
import type { CloneVmResult, StopMode, TaskRef, VmStatus } from '../shared/dcs/types';
import { ApiError, invalid, notFound, wrongState } from './apiError';
import { planClone } from './cloneSpec';
import { removeKey } from './json';
import type { SimState, TaskRecord, VmRecord } from './model';
import { isVisibleFrom, pickHost, placeDisks } from './placement';
import { macFor, newId } from './seed';
import type { Store } from './store';
import type { TaskEngine } from './tasks';
import type { Views } from './views';

const HUNG_STOP_PROGRESS = 10;

export class VmOps {
  constructor(
    private readonly store: Store,
    private readonly tasks: TaskEngine,
    private readonly views: Views,
    private readonly clock: () => number,
  ) {
    tasks.register('clone', { complete: (t) => this.onCloned(t), fail: (t) => this.onCloneFailed(t) });
    tasks.register('start', { complete: (t) => this.setStatus(t, 'running'), fail: (t) => this.setStatus(t, 'stopped') });
    tasks.register('stop', { complete: (t) => this.onStopped(t), fail: (t) => this.setStatus(t, 'running') });
    tasks.register('delete', { complete: (t) => this.onDeleted(t), fail: () => undefined });
  }

  private get state(): SimState {
    return this.store.state;
  }

  /** A VM or template by id; hidden templates (fault) look absent. */
  get(id: string): VmRecord {
    const vm = this.state.vms[id];
    if (!vm || (vm.isTemplate && this.state.faults.hiddenTemplates.includes(vm.name))) throw notFound(`VM ${this.views.urn('vms', id)} does not exist`);
    return vm;
  }

  /** A VM that is not a template. */
  getVm(id: string): VmRecord {
    const vm = this.get(id);
    if (vm.isTemplate) throw invalid(`${vm.name} is a VM template`);
    return vm;
  }

  /** Fuzzy (substring) name match, as DCS list queries do [inf]; clients filter exact names. */
  list(filter: { name?: string; isTemplate?: boolean }): VmRecord[] {
    return Object.values(this.state.vms)
      .filter((vm) => filter.isTemplate === undefined || vm.isTemplate === filter.isTemplate)
      .filter((vm) => !(vm.isTemplate && this.state.faults.hiddenTemplates.includes(vm.name)))
      .filter((vm) => filter.name === undefined || vm.name.includes(filter.name))
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  /** Throws when another task is working on this VM. */
  assertIdle(vm: VmRecord, except?: (t: TaskRecord) => boolean): void {
    const busy = this.tasks.runningFor((p) => 'vmId' in p && p.vmId === vm.id).filter((t) => !except?.(t));
    const first = busy[0];
    if (first) throw wrongState(`VM ${vm.name} has a ${first.payload.kind} task running`);
  }

  clone(templateId: string, body: unknown, user: string): CloneVmResult {
    const state = this.state;
    const template = this.get(templateId);
    if (!template.isTemplate) throw invalid(`${template.name} is not a VM template (isTemplate=false)`);
    const plan = planClone(state, template, body);
    const datastores = placeDisks(state, plan.disks.map((d) => ({ urn: d.datastoreUrn, gb: d.gb })));
    const host = plan.hostId === undefined ? pickHost(state, plan.clusterId) : state.hosts[plan.hostId];
    if (!host) throw notFound('target host does not exist');
    const id = newId(state, 'vm');
    const vm: VmRecord = {
      id,
      name: plan.name,
      description: plan.description,
      isTemplate: false,
      status: 'creating',
      clusterId: plan.clusterId,
      hostId: host.id,
      folderId: plan.folderId,
      cpu: plan.cpu,
      memoryMB: plan.memoryMB,
      guestTools: template.guestTools,
      disks: [],
      nics: plan.nics.map((n, i) => ({
        sequenceNum: i + 1,
        ...n,
        mac: macFor(state.nextId * 16 + i),
        ip: plan.nicSpecification.find((s) => s.sequenceNum === i + 1)?.ip ?? '',
      })),
      hostname: plan.hostname,
      nicSpecification: plan.nicSpecification,
      cdRom: undefined,
      bootedWith: undefined,
      createdAt: this.clock(),
    };
    plan.disks.forEach((disk, i) => {
      const volumeId = newId(state);
      const ds = datastores[i];
      state.volumes[volumeId] = {
        id: volumeId,
        name: `${plan.name}-disk${disk.sequenceNum}`,
        quantityGB: disk.gb,
        datastoreId: ds?.id ?? '',
        isThin: disk.isThin,
        type: 'normal',
        indepDisk: false,
        persistentDisk: false,
        pciType: 'VIRTIO',
        status: 'in-use',
        vmId: id,
        sequenceNum: disk.sequenceNum,
        files: structuredClone(state.volumes[disk.sourceVolumeId ?? '']?.files ?? {}),
      };
      vm.disks.push({ sequenceNum: disk.sequenceNum, volumeId });
    });
    state.vms[id] = vm;
    const unreachable = datastores.find((ds) => !isVisibleFrom(ds, host.id));
    const failure = unreachable && {
      code: DcsCodes.wrongState,
      message: `datastore ${unreachable.name} is not visible from host ${host.name}; a clone into another cluster needs a shared datastore`,
    };
    const task = this.tasks.start({
      payload: { kind: 'clone', vmId: id, autoBoot: plan.autoBoot },
      entityUrn: this.views.urn('vms', id),
      entityName: vm.name,
      user,
      hostName: host.name,
      failure,
    });
    return { urn: this.views.urn('vms', id), uri: this.views.uri('vms', id), ...this.ref(task) };
  }

  start(id: string, user: string): TaskRef {
    const vm = this.getVm(id);
    if (vm.status !== 'stopped' && vm.status !== 'hibernated') throw wrongState(`VM ${vm.name} is ${vm.status}; only a stopped VM can be started`);
    this.assertIdle(vm);
    vm.status = 'starting';
    return this.ref(this.startTask(vm, { kind: 'start', vmId: vm.id }, user));
  }

  stop(id: string, mode: StopMode, user: string): TaskRef {
    const vm = this.getVm(id);
    const breaksHungStop = mode === 'force' && vm.status === 'stopping';
    if (vm.status !== 'running' && !breaksHungStop) throw wrongState(`VM ${vm.name} is ${vm.status}; only a running VM can be stopped`);
    this.assertIdle(vm, (t) => breaksHungStop && t.payload.kind === 'stop');
    const hangs = mode === 'safe' && (!vm.guestTools || this.state.faults.stuckStoppingVms.includes(vm.name));
    vm.status = 'stopping';
    const task = this.startTask(vm, { kind: 'stop', vmId: vm.id, mode }, user, hangs ? HUNG_STOP_PROGRESS : undefined);
    return this.ref(task);
  }

  delete(id: string, reserveDisks: boolean, user: string): TaskRef {
    const vm = this.getVm(id);
    if (['creating', 'starting', 'stopping', 'migrating'].includes(vm.status)) throw wrongState(`VM ${vm.name} is ${vm.status}`);
    if (this.state.faults.deleteRequiresStopped && vm.status !== 'stopped') {
      throw new ApiError(409, DcsCodes.deleteRequiresStopped, `site policy: only stopped VMs can be deleted; VM ${vm.name} is ${vm.status}`);
    }
    this.assertIdle(vm);
    return this.ref(this.startTask(vm, { kind: 'delete', vmId: vm.id, reserveDisks }, user));
  }

  /** Simulator-only: puts a VM in any state (paused, hibernated, unknown, ...). */
  force(id: string, status: VmStatus): VmRecord {
    const vm = this.getVm(id);
    vm.status = status;
    return vm;
  }

  ref(task: TaskRecord): TaskRef {
    return { taskUrn: this.views.urn('tasks', task.id), taskUri: this.views.uri('tasks', task.id) };
  }

  private startTask(vm: VmRecord, payload: TaskRecord['payload'], user: string, stuckAt?: number): TaskRecord {
    const hostName = this.state.hosts[vm.hostId]?.name;
    return this.tasks.start({ payload, entityUrn: this.views.urn('vms', vm.id), entityName: vm.name, user, hostName, stuckAt });
  }

  private vmOf(task: TaskRecord): VmRecord | undefined {
    return 'vmId' in task.payload ? this.state.vms[task.payload.vmId] : undefined;
  }

  private setStatus(task: TaskRecord, status: VmStatus): void {
    const vm = this.vmOf(task);
    if (!vm) throw notFound(`VM of task ${task.id} no longer exists`);
    vm.status = status;
    if (status === 'running') this.boot(vm);
  }

  /** The guest reads its CD-ROM at boot: record what it saw (the bootstrap delivery check). */
  private boot(vm: VmRecord): void {
    if (!vm.cdRom) return;
    const file = this.state.datastores[vm.cdRom.datastoreId]?.files[vm.cdRom.fileName];
    if (!file) return;
    vm.bootedWith = { ...vm.cdRom, sha256: file.sha256, sizeBytes: file.sizeBytes, at: this.clock() };
  }

  private onCloned(task: TaskRecord): void {
    if (task.payload.kind !== 'clone') return;
    this.setStatus(task, task.payload.autoBoot ? 'running' : 'stopped');
  }

  private onCloneFailed(task: TaskRecord): void {
    const vm = this.vmOf(task);
    if (vm) this.remove(vm, false);
  }

  private onStopped(task: TaskRecord): void {
    this.setStatus(task, 'stopped');
    for (const other of this.tasks.runningFor((p) => p.kind === 'stop' && p.vmId === this.vmOf(task)?.id)) {
      if (other.id !== task.id) this.tasks.supersede(other, 'superseded by a later stop of the same VM');
    }
  }

  private onDeleted(task: TaskRecord): void {
    if (task.payload.kind !== 'delete') return;
    const vm = this.vmOf(task);
    if (vm) this.remove(vm, task.payload.reserveDisks);
  }

  /** Removes a VM: its own disks go with it, persistent volumes (and all disks if reserved) are detached. */
  private remove(vm: VmRecord, reserveDisks: boolean): void {
    for (const disk of vm.disks) {
      const volume = this.state.volumes[disk.volumeId];
      if (!volume) continue;
      if (volume.persistentDisk || reserveDisks) {
        Object.assign(volume, { vmId: undefined, sequenceNum: 0, status: 'available' });
      } else {
        removeKey(this.state.volumes, volume.id);
      }
    }
    removeKey(this.state.vms, vm.id);
  }
}
