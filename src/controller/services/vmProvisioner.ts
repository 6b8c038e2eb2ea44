// Brings a DCSMachine's VM to running, one idempotent step at a time, each decided by what DCS
// shows now (so a crash between any two steps is harmless):
//   no VM          -> upload the bootstrap medium, clone (powered off, owner UID in the description)
//   creating       -> wait for the clone
//   stopped, new   -> attach the slot's persistent disks, mount the medium as CD-ROM, start
//   starting       -> wait
//   running        -> done
// A VM that ran before and is now stopped, paused or otherwise off is reported, not restarted.

import { DcsNotFoundError } from '../../shared/dcs/errors';
import type { DcsVm } from '../../shared/dcs/types';
import type { DcsClient } from '../../shared/dcs/client';
import type { DCSMachine, Secret } from '../api/kinds';
import { Reasons } from '../api/conditions';
import { isoFileName, renderBootstrap } from './bootstrapIso';
import { buildCloneRequest, templateDiskCount } from './cloneRequest';
import type { DcsConnection } from './dcsConnections';
import { ProvisioningError } from './dcsInventory';
import { vmNameOf, type SlotClaim } from './slotClaims';
import type { TaskTracker } from './taskTracker';
import type { VmLookup } from './vmLookup';
import { Wait } from './wait';

export interface ProvisionInput {
  readonly conn: DcsConnection;
  readonly machine: DCSMachine;
  readonly claim: SlotClaim;
  readonly providerId: string;
  /** Reads the Machine's bootstrap Secret; called only when the medium must be uploaded. */
  readonly readBootstrap: () => Promise<Secret>;
  /** The machine was provisioned before: never power its VM on again behind the user's back. */
  readonly provisionedBefore: boolean;
  readonly recordMedium: (medium: { fileName: string; datastoreUrn: string }) => void;
  /** Reports a milestone (an Event): the VM created, the VM powered on. */
  readonly announce: (reason: 'VMCreated' | 'VMPoweredOn', message: string) => void;
}

export interface DiskAttacher {
  /** Creates and attaches the slot's persistent volumes; a Wait while that is under way. */
  ensureAttached(input: ProvisionInput, vm: DcsVm, templateDisks: number): Promise<Wait | undefined>;
}

export class VmProvisioner {
  /** DCSMachine UID -> device path of its uploaded medium. */
  private readonly media = new Map<string, string>();
  /** DCSMachine UID -> milestones this process saw begin (clone, start) and will announce once reached. */
  private readonly milestones = new Map<string, Set<'created' | 'poweredOn'>>();

  constructor(
    private readonly tasks: TaskTracker,
    private readonly lookup: VmLookup,
    private readonly disks: DiskAttacher,
    private readonly pollMs: number,
  ) {}

  forget(uid: string): void {
    this.media.delete(uid);
    this.milestones.delete(uid);
    this.tasks.forgetOwner(uid);
    this.lookup.forget(uid);
  }

  async provision(input: ProvisionInput): Promise<DcsVm | Wait> {
    const { conn, machine, claim } = input;
    const dcs = conn.client;
    const uid = machine.metadata.uid ?? '';
    const vmName = vmNameOf(claim.entry, machine.metadata.name ?? '');
    let vm = await this.lookup.find(dcs, uid, vmName, machine.spec.vmUrn, true);

    if (!vm || vm.status === 'creating') {
      this.expect(uid, 'created');
      if ((await this.tasks.resume(dcs, uid, 'clone')) === 'pending' || vm) return this.waitClone(vmName);
      const template = await this.template(input);
      const devicePath = await this.uploadMedium(input, template, vmName);
      this.media.set(uid, devicePath);
      const request = await buildCloneRequest(conn.inventory, machine, claim, template);
      const outcome = await this.tasks.run(dcs, uid, 'clone', async () => {
        const created = await dcs.cloneVm(template.urn, request);
        this.lookup.remember(uid, created.urn);
        return created.task;
      });
      if (outcome === 'pending') return this.waitClone(vmName);
      vm = await this.lookup.find(dcs, uid, vmName, undefined, true);
      if (!vm) throw new ProvisioningError(`the clone of ${vmName} finished but DCS shows no such VM`, Reasons.provisioningFailed);
    }
    if (this.reached(uid, 'created')) input.announce('VMCreated', `created VM ${vmName} (${vm.urn}) from template ${machine.spec.vmTemplateName}`);

    if (vm.status === 'stopped' && !input.provisionedBefore) {
      const template = await conn.inventory.template(machine.spec.vmTemplateName);
      const diskWait = await this.disks.ensureAttached(input, vm, templateDiskCount(machine.spec.vmConfig.dcsMachineDiskSpec ?? [], template ?? vm));
      if (diskWait) return diskWait;
      if (vm.cdRomStatus !== 'mounted') {
        const devicePath = this.media.get(uid) ?? (await this.uploadMedium(input, template ?? (await this.template(input)), vmName));
        const target = vm;
        if ((await this.tasks.run(dcs, uid, 'attachcdrom', () => dcs.attachCdrom(target.urn, devicePath))) === 'pending') {
          return new Wait(Reasons.poweringOn, `mounting the bootstrap medium on VM ${vmName}`, this.pollMs);
        }
      }
      const target = vm;
      this.expect(uid, 'poweredOn');
      if ((await this.tasks.run(dcs, uid, 'start', () => dcs.startVm(target.urn))) === 'pending') {
        return new Wait(Reasons.poweringOn, `starting VM ${vmName}`, this.pollMs);
      }
      vm = await dcs.getVm(vm.urn);
    }

    switch (vm.status) {
      case 'running':
        if (this.reached(uid, 'poweredOn')) input.announce('VMPoweredOn', `powered on VM ${vmName}${vm.hostName ? ` on host ${vm.hostName}` : ''}`);
        return vm;
      case 'starting':
        return new Wait(Reasons.poweringOn, `VM ${vmName} is starting`, this.pollMs);
      default:
        return new Wait(Reasons.vmNotRunning, `VM ${vmName} is ${vm.status}`, this.pollMs * 10, 'Warning');
    }
  }

  /** Detaches the CD-ROM and deletes the medium file; a Wait while the detach task runs. */
  async removeMedium(conn: DcsConnection, machine: DCSMachine, vm: DcsVm, medium: { cdRomFile?: string; cdRomDatastoreUrn?: string }): Promise<Wait | undefined> {
    const uid = machine.metadata.uid ?? '';
    if (vm.cdRomStatus === 'mounted') {
      if ((await this.tasks.run(conn.client, uid, 'detachcdrom', () => conn.client.detachCdrom(vm.urn))) === 'pending') {
        return new Wait(Reasons.provisioned, `detaching the bootstrap medium of VM ${vm.name}`, this.pollMs);
      }
    }
    await deleteMediumFile(conn.client, medium, isoFileName(vm.name, uid));
    this.media.delete(uid);
    return undefined;
  }

  private expect(uid: string, milestone: 'created' | 'poweredOn'): void {
    let set = this.milestones.get(uid);
    if (!set) this.milestones.set(uid, (set = new Set()));
    set.add(milestone);
  }

  /** True once per milestone this process saw begin. */
  private reached(uid: string, milestone: 'created' | 'poweredOn'): boolean {
    const set = this.milestones.get(uid);
    if (!set?.delete(milestone)) return false;
    if (set.size === 0) this.milestones.delete(uid);
    return true;
  }

  private waitClone(vmName: string): Wait {
    return new Wait(Reasons.cloningVm, `cloning VM ${vmName}`, this.pollMs);
  }

  private async template(input: ProvisionInput): Promise<DcsVm> {
    const name = input.machine.spec.vmTemplateName;
    const template = await input.conn.inventory.template(name);
    if (!template) throw new ProvisioningError(`VM template ${name} does not exist in DCS site ${input.conn.site}`, Reasons.vmTemplateNotFound);
    return template;
  }

  /** Renders the bootstrap data for this slot and uploads it; returns the CD-ROM device path. */
  private async uploadMedium(input: ProvisionInput, template: DcsVm, vmName: string): Promise<string> {
    const { conn, machine } = input;
    const { cdRomDatastoreName, cdRomDatastoreClusterName } = machine.spec.vmConfig;
    const datastore =
      cdRomDatastoreName || cdRomDatastoreClusterName
        ? await conn.inventory.uploadDatastore({ datastoreName: cdRomDatastoreName, datastoreClusterName: cdRomDatastoreClusterName }, 'vmConfig.cdRomDatastore')
        : await conn.inventory.datastoreByUrn(template.vmConfig.disks[0]?.datastoreUrn ?? '');
    if (!datastore) throw new ProvisioningError(`no datastore for the bootstrap medium: set vmConfig.cdRomDatastoreName`, 'DatastoreNotFound');
    const medium = renderBootstrap(await input.readBootstrap(), { providerId: input.providerId, nodeIp: input.claim.entry.ip });
    const fileName = isoFileName(vmName, machine.metadata.uid ?? '');
    const file = await conn.client.uploadFile(datastore.urn, fileName, medium.bytes);
    input.recordMedium({ fileName, datastoreUrn: datastore.urn });
    return file.devicePath;
  }
}

/**
 * Deletes a machine's bootstrap medium: the file recorded in its status, else (a crash between
 * the upload and the status write) the file of its deterministic name on any datastore.
 */
export async function deleteMediumFile(dcs: DcsClient, medium: { cdRomFile?: string; cdRomDatastoreUrn?: string }, fileName: string): Promise<void> {
  const files =
    medium.cdRomFile && medium.cdRomDatastoreUrn
      ? [{ datastoreUrn: medium.cdRomDatastoreUrn, name: medium.cdRomFile }]
      : await filesNamed(dcs, fileName);
  for (const file of files) {
    try {
      await dcs.deleteDatastoreFile(file.datastoreUrn, file.name);
    } catch (err: unknown) {
      if (!(err instanceof DcsNotFoundError)) throw err;
    }
  }
}

async function filesNamed(dcs: DcsClient, name: string): Promise<{ datastoreUrn: string; name: string }[]> {
  const found: { datastoreUrn: string; name: string }[] = [];
  for (const datastore of await dcs.listDatastores()) {
    if ((await dcs.listDatastoreFiles(datastore.urn)).some((f) => f.name === name)) found.push({ datastoreUrn: datastore.urn, name });
  }
  return found;
}
