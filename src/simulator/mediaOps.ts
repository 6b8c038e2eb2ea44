// Bootstrap delivery as the reference describes it: the ISO is uploaded to a datastore
// (applyUpload grants a one-time URL, the bytes are PUT there) and mounted as the VM's CD-ROM.
// The request paths and bodies are silent in the reference; these are the simulator's:
//   POST {datastoreUri}/action/applyUpload {fileName, sizeBytes} -> {uploadUrl, devicePath, ...}
//   PUT  <uploadUrl> (raw bytes; the URL's ticket is the credential, as on a DCS host)
//   POST {vmUri}/action/attachCdrom {devicePath} / detachCdrom -> task
// A VM that boots with a CD-ROM mounted records what it read (see VmOps.boot).

import { createHash, randomBytes } from 'node:crypto';
import type { DcsDatastoreFile, TaskRef, UploadGrant } from '../shared/dcs/types';
import { ApiError, invalid, notFound, wrongState } from './apiError';
import { asObject, optNumber, removeKey, reqString } from './json';
import type { DatastoreRecord, SimState, TaskRecord } from './model';
import type { Store } from './store';
import type { TaskEngine } from './tasks';
import { devicePathOf, type Views } from './views';
import type { VmOps } from './vmOps';

const FILE_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const TICKET_TTL_MS = 10 * 60_000;
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

const hashTicket = (ticket: string): string => createHash('sha256').update(ticket).digest('hex');

export class MediaOps {
  constructor(
    private readonly store: Store,
    private readonly tasks: TaskEngine,
    private readonly views: Views,
    private readonly vms: VmOps,
    private readonly clock: () => number,
    private readonly baseUrl: () => string,
  ) {
    tasks.register('attachcdrom', { complete: (t) => this.onAttached(t), fail: () => undefined });
    tasks.register('detachcdrom', { complete: (t) => this.onDetached(t), fail: () => undefined });
  }

  private get state(): SimState {
    return this.store.state;
  }

  datastore(id: string): DatastoreRecord {
    const ds = this.state.datastores[id];
    if (!ds) throw notFound(`datastore ${this.views.urn('datastores', id)} does not exist`);
    return ds;
  }

  applyUpload(datastoreId: string, body: unknown): UploadGrant {
    const ds = this.datastore(datastoreId);
    const req = asObject(body, 'body');
    const fileName = reqString(req, 'fileName', 'body');
    if (!FILE_NAME.test(fileName)) throw invalid('body.fileName must be 1-128 letters, digits, ".", "_" or "-"');
    if (optNumber(req, 'sizeBytes', 'body', 0) > MAX_UPLOAD_BYTES) throw invalid(`files are limited to ${MAX_UPLOAD_BYTES} bytes`);
    const now = this.clock();
    for (const [key, t] of Object.entries(this.state.uploads)) if (t.expiresAt < now) removeKey(this.state.uploads, key);
    const ticket = randomBytes(24).toString('hex');
    this.state.uploads[hashTicket(ticket)] = { ticketHash: hashTicket(ticket), datastoreId: ds.id, fileName, expiresAt: now + TICKET_TTL_MS };
    const host = this.state.hosts[ds.hostIds[0] ?? '']?.name ?? 'host';
    return {
      uploadUrl: `${this.baseUrl()}/sim-host/${encodeURIComponent(host)}/upload/${ticket}`,
      fileName,
      datastoreUrn: this.views.urn('datastores', ds.id),
      devicePath: devicePathOf(ds, fileName),
    };
  }

  /** The host side of an upload: stores the bytes under the ticket's datastore and name. */
  receiveUpload(ticket: string, data: Buffer): DcsDatastoreFile {
    const key = hashTicket(ticket);
    const grant = this.state.uploads[key];
    if (!grant || grant.expiresAt < this.clock()) throw notFound('upload ticket is unknown or expired; call applyUpload again');
    const ds = this.datastore(grant.datastoreId);
    if (this.mountedBy(ds, grant.fileName)) throw wrongState(`${grant.fileName} is mounted on a VM and cannot be replaced`);
    removeKey(this.state.uploads, key);
    const file = {
      name: grant.fileName,
      sizeBytes: data.byteLength,
      sha256: createHash('sha256').update(data).digest('hex'),
      dataBase64: data.toString('base64'),
    };
    ds.files[file.name] = file;
    return this.views.file(ds, file);
  }

  deleteFile(datastoreId: string, fileName: string): void {
    const ds = this.datastore(datastoreId);
    if (!ds.files[fileName]) throw notFound(`datastore ${ds.name} has no file ${fileName}`);
    const vm = this.mountedBy(ds, fileName);
    if (vm) throw wrongState(`${fileName} is mounted on VM ${vm}; detach the CD-ROM first`);
    removeKey(ds.files, fileName);
  }

  attachCdrom(vmId: string, body: unknown, user: string): TaskRef {
    const vm = this.vms.getVm(vmId);
    const devicePath = reqString(asObject(body, 'body'), 'devicePath', 'body');
    const { ds, fileName } = this.resolveDevicePath(devicePath);
    if (vm.cdRom) throw wrongState(`VM ${vm.name} already has a CD-ROM mounted; detach it first`);
    this.vms.assertIdle(vm);
    const task = this.tasks.start({
      payload: { kind: 'attachcdrom', vmId: vm.id, datastoreId: ds.id, fileName },
      entityUrn: this.views.urn('vms', vm.id),
      entityName: vm.name,
      user,
    });
    return this.vms.ref(task);
  }

  detachCdrom(vmId: string, user: string): TaskRef {
    const vm = this.vms.getVm(vmId);
    if (!vm.cdRom) throw wrongState(`VM ${vm.name} has no CD-ROM mounted`);
    this.vms.assertIdle(vm);
    const task = this.tasks.start({ payload: { kind: 'detachcdrom', vmId: vm.id }, entityUrn: this.views.urn('vms', vm.id), entityName: vm.name, user });
    return this.vms.ref(task);
  }

  /** Simulator-only: the bytes a VM booted with from its CD-ROM. */
  bootstrapOf(vmId: string): { devicePath: string; sha256: string; sizeBytes: number; bootedAt: string; contentBase64: string } {
    const vm = this.vms.getVm(vmId);
    const seen = vm.bootedWith;
    if (!seen) throw notFound(`VM ${vm.name} has not booted with a CD-ROM mounted`);
    const ds = this.datastore(seen.datastoreId);
    const file = ds.files[seen.fileName];
    return {
      devicePath: devicePathOf(ds, seen.fileName),
      sha256: seen.sha256,
      sizeBytes: seen.sizeBytes,
      bootedAt: new Date(seen.at).toISOString(),
      contentBase64: file?.sha256 === seen.sha256 ? file.dataBase64 : '',
    };
  }

  private resolveDevicePath(devicePath: string): { ds: DatastoreRecord; fileName: string } {
    const slash = devicePath.indexOf('/');
    const ds = Object.values(this.state.datastores).find((d) => d.name === devicePath.slice(0, slash));
    const fileName = devicePath.slice(slash + 1);
    if (slash < 1 || ds?.files[fileName] === undefined) throw notFound(`no uploaded file at device path ${devicePath}`);
    return { ds, fileName };
  }

  private mountedBy(ds: DatastoreRecord, fileName: string): string | undefined {
    return Object.values(this.state.vms).find((vm) => vm.cdRom?.datastoreId === ds.id && vm.cdRom.fileName === fileName)?.name;
  }

  private onAttached(task: TaskRecord): void {
    if (task.payload.kind !== 'attachcdrom') return;
    const vm = this.state.vms[task.payload.vmId];
    const ds = this.state.datastores[task.payload.datastoreId];
    if (!vm || ds?.files[task.payload.fileName] === undefined) throw new ApiError(404, '10000404', 'the VM or the ISO went away before the CD-ROM was mounted');
    vm.cdRom = { datastoreId: ds.id, fileName: task.payload.fileName };
  }

  private onDetached(task: TaskRecord): void {
    const vm = 'vmId' in task.payload ? this.state.vms[task.payload.vmId] : undefined;
    if (vm) vm.cdRom = undefined;
  }
}
