// DcsClient over the DCS REST API (reference §8). Takes URNs, derives URIs from them, and
// returns the reply shapes of types.ts; list lookups filter names exactly on the client side
// because DCS name queries may match fuzzily.

import { setTimeout as delay } from 'node:timers/promises';
import type { CloneRequest, CreatedResource, CreateVolumeRequest, DcsClient, DcsCredentials, WaitOptions } from './client';
import { DcsCodes, DcsError, DcsTaskFailedError, DcsTransientError } from './errors';
import { DcsSession } from './session';
import { fetchTransport, type DcsTransport } from './transport';
import type * as T from './types';
import { siteUri, uriOfUrn } from './urn';

export interface HttpDcsClientOptions {
  /** `https://<VRM>:7443` (or the simulator's URL). */
  readonly endpoint: string;
  readonly site: string;
  readonly credentials: DcsCredentials;
  /** Per request; default 30 s. */
  readonly timeoutMs?: number;
  readonly transport?: DcsTransport;
  /** Aborts every call in flight (e.g. on shutdown). */
  readonly signal?: AbortSignal;
}

export class HttpDcsClient implements DcsClient {
  readonly site: string;
  private readonly session: DcsSession;
  private readonly siteUri: string;

  constructor(options: HttpDcsClientOptions) {
    this.site = options.site;
    this.siteUri = siteUri(options.site);
    this.session = new DcsSession({
      endpoint: options.endpoint,
      credentials: options.credentials,
      transport: options.transport ?? fetchTransport,
      timeoutMs: options.timeoutMs ?? 30_000,
      signal: options.signal,
    });
  }

  login(): Promise<T.LoginResult> {
    return this.session.login();
  }

  logout(): Promise<void> {
    return this.session.logout();
  }

  async listSites(): Promise<T.DcsSite[]> {
    return listField<T.DcsSite>(await this.session.call('GET', '/service/sites'), 'sites');
  }

  async listClusters(): Promise<T.DcsClusterSummary[]> {
    return listField<T.DcsClusterSummary>(await this.get('clusters'), 'clusters');
  }

  async getCluster(clusterUrn: string): Promise<T.DcsCluster> {
    return (await this.session.call('GET', uriOfUrn(clusterUrn))) as T.DcsCluster;
  }

  async updateDrsRules(clusterUrn: string, operations: readonly T.DrsRuleOperation[]): Promise<T.TaskRef> {
    const body = { drsSetting: { drsRules: operations } };
    return taskRef(await this.session.call('PUT', uriOfUrn(clusterUrn), { body }));
  }

  async listHosts(): Promise<T.DcsHost[]> {
    return listField<T.DcsHost>(await this.get('hosts'), 'hosts');
  }

  async listFolders(): Promise<T.DcsFolder[]> {
    return listField<T.DcsFolder>(await this.session.call('GET', `${this.siteUri}/folder`, { query: { type: 1 } }), 'folders');
  }

  async listDatastores(): Promise<T.DcsDatastore[]> {
    return listField<T.DcsDatastore>(await this.get('datastores'), 'datastores');
  }

  async listDatastoreClusters(): Promise<T.DcsDatastoreCluster[]> {
    return listField<T.DcsDatastoreCluster>(await this.get('datastoreclusters'), 'datastoreClusters');
  }

  async listDvSwitches(): Promise<T.DcsDvSwitch[]> {
    return listField<T.DcsDvSwitch>(await this.get('dvswitchs'), 'dvSwitchs');
  }

  async listPortGroups(dvSwitchUrn: string): Promise<T.DcsPortGroup[]> {
    return listField<T.DcsPortGroup>(await this.session.call('GET', `${uriOfUrn(dvSwitchUrn)}/portgroups`), 'portGroups');
  }

  async findPortGroup(dvSwitchName: string, portGroupName: string): Promise<T.DcsPortGroup | undefined> {
    const dvs = (await this.listDvSwitches()).find((d) => d.name === dvSwitchName);
    if (!dvs) return undefined;
    return (await this.listPortGroups(dvs.urn)).find((p) => p.name === portGroupName);
  }

  async findTemplateByName(name: string): Promise<T.DcsVm | undefined> {
    return (await this.queryVms(name, true))[0];
  }

  findVmsByName(name: string): Promise<T.DcsVm[]> {
    return this.queryVms(name, false);
  }

  async getVm(vmUrn: string): Promise<T.DcsVm> {
    return (await this.session.call('GET', uriOfUrn(vmUrn))) as T.DcsVm;
  }

  async cloneVm(templateUrn: string, request: CloneRequest): Promise<CreatedResource> {
    const body: T.CloneVmBody = {
      name: request.name,
      description: request.description,
      location: request.locationUrn,
      isBindingHost: false,
      autoBoot: request.autoBoot,
      vmConfig: {
        cpu: { quantity: request.cpu },
        memory: { quantityMB: request.memoryMB },
        disks: request.disks,
        nics: request.nics,
      },
      vmCustomization:
        request.hostname === undefined && request.nicSpecification === undefined
          ? undefined
          : { hostname: request.hostname, nicSpecification: request.nicSpecification },
    };
    const reply = await this.session.call('POST', `${uriOfUrn(templateUrn)}/action/clone`, { body });
    return { urn: stringField(reply, 'urn'), task: taskRef(reply) };
  }

  async startVm(vmUrn: string): Promise<T.TaskRef> {
    return taskRef(await this.session.call('POST', `${uriOfUrn(vmUrn)}/action/start`));
  }

  async stopVm(vmUrn: string, mode: T.StopMode): Promise<T.TaskRef> {
    return taskRef(await this.session.call('POST', `${uriOfUrn(vmUrn)}/action/stop`, { query: { mode }, body: { mode } }));
  }

  async deleteVm(vmUrn: string, options: { reserveDisks?: boolean } = {}): Promise<T.TaskRef> {
    const query = options.reserveDisks === undefined ? {} : { isReserveDisks: options.reserveDisks ? 1 : 0 };
    return taskRef(await this.session.call('DELETE', uriOfUrn(vmUrn), { query }));
  }

  async uploadFile(datastoreUrn: string, fileName: string, data: Uint8Array): Promise<T.DcsDatastoreFile> {
    const body = { fileName, sizeBytes: data.byteLength };
    const grant = (await this.session.call('POST', `${uriOfUrn(datastoreUrn)}/action/applyUpload`, { body })) as T.UploadGrant;
    return (await this.session.call('PUT', stringField(grant, 'uploadUrl'), { raw: data })) as T.DcsDatastoreFile;
  }

  async listDatastoreFiles(datastoreUrn: string): Promise<T.DcsDatastoreFile[]> {
    return listField<T.DcsDatastoreFile>(await this.session.call('GET', `${uriOfUrn(datastoreUrn)}/files`), 'files');
  }

  async deleteDatastoreFile(datastoreUrn: string, fileName: string): Promise<void> {
    await this.session.call('DELETE', `${uriOfUrn(datastoreUrn)}/files/${encodeURIComponent(fileName)}`);
  }

  async attachCdrom(vmUrn: string, devicePath: string): Promise<T.TaskRef> {
    const body = { devicePath, protocol: 'file' };
    return taskRef(await this.session.call('POST', `${uriOfUrn(vmUrn)}/action/attachCdrom`, { body }));
  }

  async detachCdrom(vmUrn: string): Promise<T.TaskRef> {
    return taskRef(await this.session.call('POST', `${uriOfUrn(vmUrn)}/action/detachCdrom`, { body: {} }));
  }

  async createVolume(request: CreateVolumeRequest): Promise<CreatedResource> {
    const body: T.CreateVolumeBody = {
      ...request,
      type: 'normal',
      indepDisk: true,
      persistentDisk: true,
    };
    const reply = await this.session.call('POST', `${this.siteUri}/volumes`, { body });
    return { urn: stringField(reply, 'urn'), task: taskRef(reply) };
  }

  async getVolume(volumeUrn: string): Promise<T.DcsVolume> {
    return (await this.session.call('GET', uriOfUrn(volumeUrn))) as T.DcsVolume;
  }

  async findVolumeByName(name: string): Promise<T.DcsVolume | undefined> {
    const matches = (await this.listAllPages<T.DcsVolume>(`${this.siteUri}/volumes`, 'volumes', { name })).filter((v) => v.name === name);
    if (matches.length > 1) throw new DcsError(`${matches.length} DCS volumes are named ${name}`, DcsCodes.wrongState);
    return matches[0];
  }

  async attachVolume(vmUrn: string, volumeUrn: string, options: { sequenceNum?: number; pciType?: string } = {}): Promise<T.TaskRef> {
    const body: T.AttachVolumeBody = { volUrn: volumeUrn, sequenceNum: options.sequenceNum, pciType: options.pciType };
    return taskRef(await this.session.call('POST', `${uriOfUrn(vmUrn)}/action/attachvol`, { body }));
  }

  async detachVolume(vmUrn: string, volumeUrn: string): Promise<T.TaskRef> {
    return taskRef(await this.session.call('POST', `${uriOfUrn(vmUrn)}/action/detachvol`, { body: { volUrn: volumeUrn } }));
  }

  async deleteVolume(volumeUrn: string): Promise<T.TaskRef> {
    return taskRef(await this.session.call('DELETE', uriOfUrn(volumeUrn)));
  }

  async getTask(taskUri: string): Promise<T.DcsTask> {
    return (await this.session.call('GET', taskUri)) as T.DcsTask;
  }

  async listTasks(filter: { status?: string; limit?: number } = {}): Promise<T.DcsTask[]> {
    return listField<T.DcsTask>(await this.get('tasks', { status: filter.status, limit: filter.limit ?? 50 }), 'tasks');
  }

  async waitForTask(task: T.TaskRef, options: WaitOptions = {}): Promise<T.DcsTask> {
    const timeoutMs = options.timeoutMs ?? 600_000;
    const intervalMs = options.intervalMs ?? 1_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await this.getTask(task.taskUri);
      if (current.status === 'success') return current;
      if (current.status === 'failed') {
        const subject = current.entityName || current.entityUrn;
        const message = `DCS task ${current.type} on ${subject} failed: ${current.reasonDes || 'no reason given'}`;
        throw new DcsTaskFailedError(message, current.reason || DcsCodes.internal, current.urn);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new DcsTransientError(`DCS task ${current.type} still running at ${current.progress}% after ${timeoutMs} ms`, 'timeout');
      }
      await delay(Math.min(intervalMs, left), undefined, { signal: options.signal });
    }
  }

  private get(kind: 'clusters' | 'hosts' | 'datastores' | 'datastoreclusters' | 'dvswitchs' | 'tasks', query?: Record<string, string | number | undefined>): Promise<unknown> {
    return this.session.call('GET', `${this.siteUri}/${kind}`, { query });
  }

  private async queryVms(name: string, isTemplate: boolean): Promise<T.DcsVm[]> {
    const listed = await this.listAllPages<T.DcsVm>(`${this.siteUri}/vms`, 'vms', { name, isTemplate });
    const matches = listed.filter((vm) => vm.name === name && vm.isTemplate === isTemplate);
    // The list may carry summaries only; fetch details so callers always see disks and NICs.
    return Promise.all(matches.map((vm) => this.getVm(vm.urn)));
  }

  /**
   * Every item of a name query, page by page (`offset`, `limit`; the reply's `total` counts all
   * matches). DCS matches names as substrings: `n-1` also finds `n-10` … `n-199`, so the one
   * wanted may be on any page.
   */
  private async listAllPages<Item>(path: string, field: string, query: Record<string, string | number | boolean>): Promise<Item[]> {
    const items: Item[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const reply = await this.session.call('GET', path, { query: { ...query, offset: items.length, limit: PAGE_SIZE } });
      const batch = listField<Item>(reply, field);
      items.push(...batch);
      const total = (reply as { total?: unknown }).total;
      if (batch.length === 0 || (typeof total === 'number' ? items.length >= total : batch.length < PAGE_SIZE)) return items;
    }
    throw new DcsError(`DCS lists more than ${MAX_PAGES * PAGE_SIZE} items for ${JSON.stringify(query)} at ${path}`, DcsCodes.internal);
  }
}

const PAGE_SIZE = 100;
/** A name query matching this many objects is a mistake, not a lookup. */
const MAX_PAGES = 100;

function listField<Item>(reply: unknown, field: string): Item[] {
  const value = typeof reply === 'object' && reply !== null ? (reply as Record<string, unknown>)[field] : undefined;
  if (!Array.isArray(value)) throw new DcsError(`DCS reply has no "${field}" list`, DcsCodes.internal);
  return value as Item[];
}

function stringField(reply: unknown, field: string): string {
  const value = typeof reply === 'object' && reply !== null ? (reply as Record<string, unknown>)[field] : undefined;
  if (typeof value !== 'string' || value === '') throw new DcsError(`DCS reply has no "${field}"`, DcsCodes.internal);
  return value;
}

function taskRef(reply: unknown): T.TaskRef {
  return { taskUrn: stringField(reply, 'taskUrn'), taskUri: stringField(reply, 'taskUri') };
}
