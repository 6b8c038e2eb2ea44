// Finds the VM of a DCSMachine. The VM's description carries the DCSMachine UID
// (ownerDescription), its name is the pool slot's deterministic VM name, and its URN is
// remembered once known. A VM of the same name owned by someone else is never adopted.

import { ownerUidOf, type DcsClient } from '../../shared/dcs/client';
import { DcsNotFoundError } from '../../shared/dcs/errors';
import type { DcsVm } from '../../shared/dcs/types';
import { Reasons } from '../api/conditions';
import { ProvisioningError } from './dcsInventory';

export class VmLookup {
  /** DCSMachine UID -> VM URN: saves the name search on every reconcile. */
  private readonly urns = new Map<string, string>();

  remember(uid: string, urn: string): void {
    this.urns.set(uid, urn);
  }

  forget(uid: string): void {
    this.urns.delete(uid);
  }

  /**
   * The VM owned by `uid`: by known URN first, else by name. With `refuseForeign`, a VM of that
   * name owned by another machine is an error (provisioning must not create a duplicate name).
   */
  async find(dcs: DcsClient, uid: string, vmName: string, knownUrn: string | undefined, refuseForeign: boolean): Promise<DcsVm | undefined> {
    const urn = this.urns.get(uid) ?? knownUrn;
    if (urn) {
      try {
        const vm = await dcs.getVm(urn);
        if (ownerUidOf(vm) === uid) {
          this.urns.set(uid, vm.urn);
          return vm;
        }
      } catch (err: unknown) {
        if (!(err instanceof DcsNotFoundError)) throw err;
      }
      this.urns.delete(uid);
    }
    const named = await dcs.findVmsByName(vmName);
    const owned = named.filter((vm) => ownerUidOf(vm) === uid);
    const mine = owned[0];
    if (mine) {
      this.urns.set(uid, mine.urn);
      return mine;
    }
    const foreign = named[0];
    if (refuseForeign && foreign) {
      const owner = ownerUidOf(foreign);
      throw new ProvisioningError(
        `a VM named ${vmName} already exists (${foreign.urn}) and belongs to ${owner ? `DCSMachine UID ${owner}` : 'no DCSMachine'}; remove it or free the pool entry`,
        Reasons.vmNameConflict,
      );
    }
    return undefined;
  }
}
