// Deletes a DCSMachine's VM as the reference describes (§5.5, §6): a running VM gets a safe
// stop (VMStopPending=False/WaitingForStop while polling), a force stop once the safe stop has
// taken longer than the deadline; a VM between states is waited for (VMMidTransition); a stopped
// VM has its persistent volumes detached and is deleted. DCS's "only stopped VMs can be
// deleted" (102212808) means stop again and requeue. A VM that is already gone counts as deleted.

import { DcsCodes, DcsError, DcsNotFoundError } from '../../shared/dcs/errors';
import type { DcsVm } from '../../shared/dcs/types';
import { ConditionTypes, Reasons, type ConditionInput } from '../api/conditions';
import type { DCSMachine } from '../api/kinds';
import { errorMessage, type Logger } from '../runtime/log';
import type { DcsConnection } from './dcsConnections';
import type { TaskTracker } from './taskTracker';
import type { VmLookup } from './vmLookup';
import { Wait } from './wait';

export interface TeardownInput {
  readonly conn: DcsConnection;
  readonly machine: DCSMachine;
  readonly vmName: string;
  /** When the safe stop was issued (the VMStopPending condition's transition time). */
  readonly stopIssuedAt: Date | undefined;
  readonly setCondition: (condition: ConditionInput) => void;
  readonly detachDisks: (vm: DcsVm) => Promise<Wait | undefined>;
  readonly log: Logger;
}

const MAX_STEPS = 4;
const MID_TRANSITION = new Set(['creating', 'starting', 'migrating', 'fault-resuming']);

export class VmTeardown {
  constructor(
    private readonly tasks: TaskTracker,
    private readonly lookup: VmLookup,
    private readonly options: { readonly pollMs: number; readonly safeStopTimeoutMs: number },
  ) {}

  /** undefined once the VM is gone. */
  async run(input: TeardownInput): Promise<Wait | undefined> {
    const { conn, machine, vmName, log } = input;
    const dcs = conn.client;
    const uid = machine.metadata.uid ?? '';
    const stopPending = (status: 'True' | 'False', reason: string, message: string, severity: 'Info' | 'Warning' = 'Info'): void =>
      input.setCondition({ type: ConditionTypes.vmStopPending, status, reason, message, severity });

    for (let step = 0; step < MAX_STEPS; step++) {
      const vm = await this.lookup.find(dcs, uid, vmName, machine.spec.vmUrn, false);
      if (!vm) {
        this.lookup.forget(uid);
        return undefined;
      }
      if (vm.status === 'running') {
        stopPending('False', Reasons.waitingForStop, `safe stop sent to VM ${vmName}; polling until it is stopped`);
        if (!this.tasks.has(uid, 'stop')) log.info('issued safe StopVm', { vm: vmName, vmUrn: vm.urn });
        if ((await this.tasks.run(dcs, uid, 'stop', () => dcs.stopVm(vm.urn, 'safe'))) === 'pending') return this.waitStop(vmName);
        continue;
      }
      if (vm.status === 'stopping') {
        const since = input.stopIssuedAt?.getTime() ?? Date.now();
        if (Date.now() - since < this.options.safeStopTimeoutMs) {
          stopPending('False', Reasons.waitingForStop, `safe stop sent to VM ${vmName}; polling until it is stopped`);
          return this.waitStop(vmName);
        }
        if (!this.tasks.has(uid, 'forcestop')) log.warn('safe stop timed out, issued force StopVm', { vm: vmName, afterMs: this.options.safeStopTimeoutMs });
        if ((await this.tasks.run(dcs, uid, 'forcestop', () => dcs.stopVm(vm.urn, 'force'))) === 'pending') return this.waitStop(vmName);
        continue;
      }
      if (vm.status !== 'stopped') {
        const message = `VM ${vmName} is ${vm.status}; waiting before it can be stopped`;
        stopPending('False', Reasons.vmMidTransition, message, 'Warning');
        if (!MID_TRANSITION.has(vm.status)) await this.tryForceStop(input, vm);
        return new Wait(Reasons.vmMidTransition, message, this.options.pollMs * 5, 'Warning');
      }
      stopPending('True', Reasons.vmStopped, `VM ${vmName} is stopped`);
      const detaching = await input.detachDisks(vm);
      if (detaching) return detaching;
      try {
        if ((await this.tasks.run(dcs, uid, 'delete', () => dcs.deleteVm(vm.urn))) === 'pending') {
          return new Wait(Reasons.deleting, `deleting VM ${vmName}`, this.options.pollMs);
        }
      } catch (err: unknown) {
        if (err instanceof DcsError && err.code === DcsCodes.deleteRequiresStopped) {
          log.warn('DeleteVm rejected by FC site policy, requeuing', { vm: vmName });
          return new Wait(Reasons.deleting, `DCS refused to delete VM ${vmName} (site policy: only stopped VMs); stopping again`, this.options.pollMs);
        }
        // Gone between the look and the delete (an earlier delete finished): that is deleted.
        if (err instanceof DcsNotFoundError) continue;
        throw err;
      }
      log.info('deleted VM', { vm: vmName, vmUrn: vm.urn });
    }
    return new Wait(Reasons.deleting, `deleting VM ${vmName}`, this.options.pollMs);
  }

  private waitStop(vmName: string): Wait {
    return new Wait(Reasons.waitingForStop, `waiting for VM ${vmName} to stop`, this.options.pollMs);
  }

  /** Paused, hibernated or unknown VMs never recover alone: try a force stop, report a refusal. */
  private async tryForceStop(input: TeardownInput, vm: DcsVm): Promise<void> {
    try {
      await input.conn.client.stopVm(vm.urn, 'force');
      input.log.warn('issued force StopVm for a VM in an odd state', { vm: input.vmName, status: vm.status });
    } catch (err: unknown) {
      input.log.warn('DCS refused to stop the VM', { vm: input.vmName, status: vm.status, error: errorMessage(err) });
    }
  }
}
