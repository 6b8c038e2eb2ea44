// Everything one DCSCluster reconcile works on: the DCSCluster with a working copy of its
// status, its Cluster, and a logger. close() writes the status once, only if it changed.

import type { DCSClusterStatus } from '../../shared/api/dcs.generated';
import { setCondition, stampGeneration, type ConditionInput } from '../api/conditions';
import type { Cluster, DCSCluster } from '../api/kinds';
import { isNotFound } from '../runtime/kubeErrors';
import type { Logger } from '../runtime/log';
import type { ObjectWriter } from '../runtime/objectWriter';

export class ClusterScope {
  readonly status: DCSClusterStatus;
  private readonly original: DCSClusterStatus;
  private finalizerRemoved = false;

  constructor(
    private readonly writer: ObjectWriter<DCSCluster>,
    public dcsCluster: DCSCluster,
    readonly cluster: Cluster | undefined,
    readonly log: Logger,
  ) {
    this.original = structuredClone(dcsCluster.status ?? {});
    this.status = structuredClone(this.original);
  }

  get namespace(): string {
    return this.dcsCluster.metadata.namespace ?? '';
  }

  get name(): string {
    return this.dcsCluster.metadata.name ?? '';
  }

  setCondition(condition: ConditionInput): void {
    setCondition(this.status, condition, this.dcsCluster.metadata.generation);
  }

  async patchSpec(spec: Record<string, unknown>): Promise<void> {
    this.dcsCluster = await this.writer.patchSpec(this.dcsCluster, spec);
  }

  async removeFinalizer(finalizer: string): Promise<void> {
    this.dcsCluster = await this.writer.removeFinalizer(this.dcsCluster, finalizer);
    this.finalizerRemoved = true;
  }

  async close(): Promise<void> {
    if (this.finalizerRemoved) return;
    stampGeneration(this.status, this.dcsCluster.metadata.generation);
    try {
      this.dcsCluster = await this.writer.patchStatus(this.dcsCluster, this.original, this.status);
    } catch (err: unknown) {
      if (!isNotFound(err)) throw err;
    }
  }
}
