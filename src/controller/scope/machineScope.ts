// Everything one DCSMachine reconcile works on: the DCSMachine with a working copy of its status,
// its Machine and Cluster, and a logger with the object's kind, namespace and name. Conditions
// and status fields are changed in memory; close() writes the status once (only if it changed).

import type { DCSMachineStatus } from '../../shared/api/dcs.generated';
import { ConditionTypes, getCondition, setCondition, stampGeneration, type ConditionInput } from '../api/conditions';
import type { Cluster, DCSMachine, Machine } from '../api/kinds';
import { isNotFound } from '../runtime/kubeErrors';
import type { Logger } from '../runtime/log';
import type { ObjectWriter } from '../runtime/objectWriter';

export class MachineScope {
  readonly status: DCSMachineStatus;
  private readonly original: DCSMachineStatus;
  private finalizerRemoved = false;

  constructor(
    private readonly writer: ObjectWriter<DCSMachine>,
    public dcsMachine: DCSMachine,
    readonly machine: Machine | undefined,
    readonly cluster: Cluster | undefined,
    readonly log: Logger,
  ) {
    this.original = structuredClone(dcsMachine.status ?? {});
    this.status = structuredClone(this.original);
  }

  get namespace(): string {
    return this.dcsMachine.metadata.namespace ?? '';
  }

  get name(): string {
    return this.dcsMachine.metadata.name ?? '';
  }

  get uid(): string {
    return this.dcsMachine.metadata.uid ?? '';
  }

  setCondition(condition: ConditionInput): void {
    setCondition(this.status, condition, this.dcsMachine.metadata.generation);
  }

  /** VMProvisioned and its Ready summary together (they mirror each other while provisioning). */
  setProvisioning(condition: Omit<ConditionInput, 'type'>): void {
    this.setCondition({ ...condition, type: ConditionTypes.vmProvisioned });
    this.setCondition({ ...condition, type: ConditionTypes.ready });
  }

  /** When the current VMStopPending=False began (the safe stop was issued). */
  stopIssuedAt(): Date | undefined {
    const condition = getCondition(this.status, ConditionTypes.vmStopPending);
    return condition?.status === 'False' ? new Date(condition.lastTransitionTime) : undefined;
  }

  async patchSpec(spec: Record<string, unknown>): Promise<void> {
    this.dcsMachine = await this.writer.patchSpec(this.dcsMachine, spec);
  }

  /** Adds the finalizer and the claim annotation in one patch (unless the claim is already recorded). */
  async recordClaim(finalizer: string, annotation: string, value: string): Promise<void> {
    this.dcsMachine = await this.writer.addFinalizerAndAnnotations(this.dcsMachine, finalizer, { [annotation]: value }, (current) => current.metadata.annotations?.[annotation] === undefined);
  }

  async addFinalizer(finalizer: string): Promise<void> {
    this.dcsMachine = await this.writer.addFinalizer(this.dcsMachine, finalizer);
  }

  async removeFinalizer(finalizer: string): Promise<void> {
    this.dcsMachine = await this.writer.removeFinalizer(this.dcsMachine, finalizer);
    this.finalizerRemoved = true;
  }

  /** Writes the status if it changed; an object already gone is not an error. */
  async close(): Promise<void> {
    if (this.finalizerRemoved) return;
    stampGeneration(this.status, this.dcsMachine.metadata.generation);
    try {
      this.dcsMachine = await this.writer.patchStatus(this.dcsMachine, this.original, this.status);
    } catch (err: unknown) {
      if (!isNotFound(err)) throw err;
    }
  }
}
