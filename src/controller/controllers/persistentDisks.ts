// Persistent disks declared on pool entries (reference §2.4, §5.4): one DCS volume per
// (ip, slot), named {pool}-{first 8 hex of sha256("<ip>/<slot>")} so creating it is idempotent,
// attached after the template disks at sequenceNum = template disks + 1 + slot. When a machine
// goes, its volumes are detached and kept; the next machine on the same entry attaches the same
// volumes, so their data survives a rolling replacement. The pool's
// status.persistentDiskStatus records each volume (phase, URNs, last owner).

import { createHash } from 'node:crypto';
import type { DCSIpHostnamePool, DCSPersistentDisk, DCSPersistentDiskStatus } from '../../shared/api/dcs.generated';
import { DcsNotFoundError } from '../../shared/dcs/errors';
import type { DcsVm, DcsVolume } from '../../shared/dcs/types';
import type { DCSMachine } from '../api/kinds';
import { Reasons } from '../api/conditions';
import type { Informer } from '../runtime/informer';
import { errorMessage, type Logger } from '../runtime/log';
import { deepEqual } from '../runtime/objectWriter';
import { persistentSequenceNum } from '../services/cloneRequest';
import type { DcsConnection } from '../services/dcsConnections';
import { ProvisioningError } from '../services/dcsInventory';
import type { PoolStatusWriter } from '../services/poolStatusWriter';
import { annotatedIp, type SlotClaim } from '../services/slotClaims';
import type { TaskTracker } from '../services/taskTracker';
import type { DiskAttacher, ProvisionInput } from '../services/vmProvisioner';
import { Wait } from '../services/wait';

export function volumeNameFor(poolName: string, ip: string, slot: number): string {
  return `${poolName}-${createHash('sha256').update(`${ip}/${slot}`).digest('hex').slice(0, 8)}`;
}

type Phase = NonNullable<DCSPersistentDiskStatus['phase']>;

export class PersistentDisks implements DiskAttacher {
  constructor(
    private readonly tasks: TaskTracker,
    private readonly pools: Informer<DCSIpHostnamePool>,
    private readonly writer: PoolStatusWriter,
    private readonly pollMs: number,
    private readonly log: Logger,
  ) {}

  async ensureAttached(input: ProvisionInput, vm: DcsVm, templateDisks: number): Promise<Wait | undefined> {
    const { conn, machine, claim } = input;
    const disks = sortedDisks(claim);
    if (disks.length === 0) return undefined;
    const uid = machine.metadata.uid ?? '';
    const attached: DCSPersistentDiskStatus[] = [];
    for (const disk of disks) {
      const name = volumeNameFor(machine.spec.ipHostPoolRef.name, claim.entry.ip, disk.slot);
      const sequenceNum = persistentSequenceNum(templateDisks, disk.slot);
      let volume = await this.volumeOf(conn, machine, claim, disk, name);
      if (!volume) {
        const datastoreUrn = await conn.inventory.datastoreUrn(disk, `persistentDisk slot ${disk.slot}`);
        const outcome = await this.tasks.run(conn.client, uid, `createvol-${disk.slot}`, async () => {
          const created = await conn.client.createVolume({ name, quantityGB: disk.quantityGB, datastoreUrn, isThin: disk.isThin, pciType: disk.pciType ?? 'VIRTIO' });
          return created.task;
        });
        if (outcome === 'pending') return new Wait(Reasons.attachingDisks, `creating persistent volume ${name}`, this.pollMs);
        volume = await conn.client.findVolumeByName(name);
        if (!volume) throw new ProvisioningError(`persistent volume ${name} was created but DCS does not list it`, Reasons.provisioningFailed);
      }
      if (volume.quantityGB !== disk.quantityGB) {
        const message = `persistent volume ${name} has ${volume.quantityGB} GB but slot ${disk.slot} of ${claim.entry.ip} declares ${disk.quantityGB} GB; they must match`;
        this.recordInBackground(machine, [this.entry(machine, claim, disk, name, volume, undefined, 'Error', message)]);
        throw new ProvisioningError(message, 'PersistentDiskMismatch');
      }
      if (volume.vmUrn !== vm.urn) {
        if (volume.status !== 'available') {
          return new Wait(Reasons.attachingDisks, `persistent volume ${name} is ${volume.status}${volume.vmUrn ? ` on ${volume.vmUrn}` : ''}`, this.pollMs * 10, 'Warning');
        }
        const target = volume;
        const outcome = await this.tasks.run(conn.client, uid, `attachvol-${disk.slot}`, () =>
          conn.client.attachVolume(vm.urn, target.urn, { sequenceNum, pciType: disk.pciType ?? 'VIRTIO' }),
        );
        if (outcome === 'pending') return new Wait(Reasons.attachingDisks, `attaching persistent volume ${name}`, this.pollMs);
      } else if (volume.status !== 'in-use') {
        return new Wait(Reasons.attachingDisks, `persistent volume ${name} is ${volume.status}`, this.pollMs);
      }
      attached.push(this.entry(machine, claim, disk, name, volume, vm.urn, 'Attached'));
    }
    // The records are a view (volumes are found by name): provisioning does not wait for the pool write.
    this.recordInBackground(machine, attached);
    return undefined;
  }

  /** Detaches the entry's volumes from the VM (they stay in DCS for the next machine). */
  async detachAll(conn: DcsConnection, machine: DCSMachine, claim: SlotClaim | undefined, vm: DcsVm): Promise<Wait | undefined> {
    if (!claim) return this.detachOrphans(conn, machine, vm);
    const uid = machine.metadata.uid ?? '';
    const released: DCSPersistentDiskStatus[] = [];
    for (const disk of sortedDisks(claim)) {
      const name = volumeNameFor(machine.spec.ipHostPoolRef.name, claim.entry.ip, disk.slot);
      const volume = await this.volumeOf(conn, machine, claim, disk, name);
      if (!volume) continue;
      if (vm.vmConfig.disks.some((d) => d.volumeUrn === volume.urn)) {
        const outcome = await this.tasks.run(conn.client, uid, `detachvol-${disk.slot}`, () => conn.client.detachVolume(vm.urn, volume.urn));
        if (outcome === 'pending') return new Wait(Reasons.deleting, `detaching persistent volume ${name}`, this.pollMs);
      }
      released.push(this.entry(machine, claim, disk, name, volume, undefined, 'Available'));
    }
    await this.record(machine, released);
    return undefined;
  }

  /**
   * Without the pool entry (pool deleted, entry removed) the declared slots are unknown, but the
   * volume names are not: the VM's volumes named after this machine's (pool, ip, slot) are
   * detached, so deleting the VM never takes them along. Nothing is recorded: the entry is gone.
   */
  private async detachOrphans(conn: DcsConnection, machine: DCSMachine, vm: DcsVm): Promise<Wait | undefined> {
    const ip = annotatedIp(machine) ?? machine.status?.networkConfig?.ip;
    if (!ip) return undefined;
    const pool = machine.spec.ipHostPoolRef.name;
    // A slot's sequenceNum is (template disks + 1 + slot), so every slot is below the highest sequenceNum.
    const top = Math.max(0, ...vm.vmConfig.disks.map((d) => d.sequenceNum));
    const names = new Set(Array.from({ length: top }, (_v, slot) => volumeNameFor(pool, ip, slot)));
    for (const disk of vm.vmConfig.disks) {
      if (!disk.volumeUrn) continue;
      let volume: DcsVolume;
      try {
        volume = await conn.client.getVolume(disk.volumeUrn);
      } catch (err: unknown) {
        if (err instanceof DcsNotFoundError) continue;
        throw err;
      }
      if (!names.has(volume.name)) continue;
      const outcome = await this.tasks.run(conn.client, machine.metadata.uid ?? '', `detachvol-seq${disk.sequenceNum}`, () => conn.client.detachVolume(vm.urn, volume.urn));
      if (outcome === 'pending') return new Wait(Reasons.deleting, `detaching persistent volume ${volume.name}`, this.pollMs);
      this.log.info('detached a persistent volume of a pool entry that is gone', { kind: 'DCSMachine', namespace: machine.metadata.namespace, name: machine.metadata.name, volume: volume.name });
    }
    return undefined;
  }

  /** The volume by its recorded URN, else by name; undefined when it does not exist yet. */
  private async volumeOf(conn: DcsConnection, machine: DCSMachine, claim: SlotClaim, disk: DCSPersistentDisk, name: string): Promise<DcsVolume | undefined> {
    const pool = this.pools.get(machine.metadata.namespace ?? '', machine.spec.ipHostPoolRef.name);
    const urn = pool?.status?.persistentDiskStatus?.find((r) => r.ip === claim.entry.ip && r.slot === disk.slot)?.volumeUrn;
    if (urn) {
      try {
        const volume = await conn.client.getVolume(urn);
        if (volume.name === name) return volume;
      } catch (err: unknown) {
        if (!(err instanceof DcsNotFoundError)) throw err;
      }
    }
    return conn.client.findVolumeByName(name);
  }

  private entry(machine: DCSMachine, claim: SlotClaim, disk: DCSPersistentDisk, name: string, volume: DcsVolume, attachedVmUrn: string | undefined, phase: Phase, lastError?: string): DCSPersistentDiskStatus {
    return {
      ip: claim.entry.ip,
      slot: disk.slot,
      name,
      volumeUrn: volume.urn,
      ...(volume.datastoreUrn ? { datastoreUrn: volume.datastoreUrn } : {}),
      ...(attachedVmUrn ? { attachedVmUrn } : {}),
      ownerMachineName: machine.metadata.name ?? '',
      ownerMachineUID: machine.metadata.uid ?? '',
      ...(disk.path ? { path: disk.path } : {}),
      phase,
      ...(lastError ? { lastError } : {}),
    };
  }

  private recordInBackground(machine: DCSMachine, records: readonly DCSPersistentDiskStatus[]): void {
    this.record(machine, records).catch((err: unknown) => {
      this.log.warn('could not record persistent disks in the pool status', { kind: 'DCSMachine', namespace: machine.metadata.namespace, name: machine.metadata.name, error: errorMessage(err) });
    });
  }

  /** Upserts records by (ip, slot) in one batched pool write; lastTransitionTime moves with the phase. */
  private async record(machine: DCSMachine, records: readonly DCSPersistentDiskStatus[]): Promise<void> {
    if (records.length === 0) return;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await this.writer.update(machine.metadata.namespace ?? '', machine.spec.ipHostPoolRef.name, (_pool, status) => {
      const list = [...(status.persistentDiskStatus ?? [])];
      for (const next of records) {
        const i = list.findIndex((r) => r.ip === next.ip && r.slot === next.slot);
        const old = list[i];
        const lastTransitionTime = old && old.phase === next.phase ? (old.lastTransitionTime ?? now) : now;
        const merged = { ...next, lastTransitionTime };
        if (old && deepEqual({ ...old, lastTransitionTime }, merged)) continue;
        if (i >= 0) list[i] = merged;
        else list.push(merged);
      }
      status.persistentDiskStatus = list;
    });
  }
}

function sortedDisks(claim: SlotClaim): DCSPersistentDisk[] {
  return [...(claim.entry.persistentDisk ?? [])].sort((a, b) => a.slot - b.slot);
}
