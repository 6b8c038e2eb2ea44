// DCS tasks the controller started, per owner (DCSMachine UID) and step. A step's task is
// started once, then polled: briefly inside the reconcile (most tasks finish in well under a
// second), and on later reconciles if it takes longer. A failed task surfaces as
// DcsTaskFailedError exactly once, so the caller can report it and retry with backoff. The
// memory is only an optimisation: after a restart every step re-observes DCS (VM and volume
// states), so nothing is lost when it is empty.

import { setTimeout as delay } from 'node:timers/promises';
import type { DcsClient } from '../../shared/dcs/client';
import { DcsCodes, DcsNotFoundError, DcsTaskFailedError } from '../../shared/dcs/errors';
import type { TaskRef } from '../../shared/dcs/types';

export type TaskOutcome = 'done' | 'pending';

export interface TaskTrackerOptions {
  /** How long a reconcile waits for a task before leaving it for a later reconcile. */
  readonly inlineWaitMs: number;
  readonly firstPollMs: number;
  readonly maxPollMs: number;
}

export class TaskTracker {
  private readonly tasks = new Map<string, Map<string, TaskRef>>();

  constructor(private readonly options: TaskTrackerOptions) {}

  has(owner: string, step: string): boolean {
    return this.tasks.get(owner)?.has(step) ?? false;
  }

  /** Starts the step's task unless one is tracked, then waits for it (inline budget). */
  async run(dcs: DcsClient, owner: string, step: string, start: () => Promise<TaskRef>): Promise<TaskOutcome> {
    let ref = this.tasks.get(owner)?.get(step);
    if (!ref) {
      ref = await start();
      this.remember(owner, step, ref);
    }
    return this.poll(dcs, owner, step, ref);
  }

  /** Polls a tracked task; 'done' when none is tracked. */
  resume(dcs: DcsClient, owner: string, step: string): Promise<TaskOutcome> {
    const ref = this.tasks.get(owner)?.get(step);
    return ref ? this.poll(dcs, owner, step, ref) : Promise.resolve('done');
  }

  forgetOwner(owner: string): void {
    this.tasks.delete(owner);
  }

  private remember(owner: string, step: string, ref: TaskRef): void {
    let steps = this.tasks.get(owner);
    if (!steps) this.tasks.set(owner, (steps = new Map<string, TaskRef>()));
    steps.set(step, ref);
  }

  private forget(owner: string, step: string): void {
    const steps = this.tasks.get(owner);
    steps?.delete(step);
    if (steps?.size === 0) this.tasks.delete(owner);
  }

  private async poll(dcs: DcsClient, owner: string, step: string, ref: TaskRef): Promise<TaskOutcome> {
    const deadline = Date.now() + this.options.inlineWaitMs;
    let wait = this.options.firstPollMs;
    for (;;) {
      let task;
      try {
        task = await dcs.getTask(ref.taskUri);
      } catch (err: unknown) {
        // DCS forgets old tasks: the outcome is unknown, the caller re-observes the resource.
        if (err instanceof DcsNotFoundError) {
          this.forget(owner, step);
          return 'done';
        }
        throw err;
      }
      if (task.status === 'success') {
        this.forget(owner, step);
        return 'done';
      }
      if (task.status === 'failed') {
        this.forget(owner, step);
        const subject = task.entityName || task.entityUrn;
        throw new DcsTaskFailedError(`DCS task ${task.type} on ${subject} failed: ${task.reasonDes || 'no reason given'}`, task.reason || DcsCodes.internal, task.urn);
      }
      if (Date.now() + wait > deadline) return 'pending';
      await delay(wait);
      wait = Math.min(this.options.maxPollMs, wait * 2);
    }
  }
}
