// Asynchronous DCS tasks. A task is created with a due time (latency x slow-host factor) and is
// completed by `tick()`, which the simulator runs before every request: time, not timers, moves
// the world, so a restart simply completes whatever fell due while it was down.

import { DcsCodes } from '../shared/dcs/errors';
import type { DcsTask } from '../shared/dcs/types';
import { dcsUri, dcsUrn } from '../shared/dcs/urn';
import { ApiError } from './apiError';
import { slowFactor, takeTaskFault } from './faults';
import { removeKey } from './json';
import type { TaskKind, TaskPayload, TaskRecord } from './model';
import { newId } from './seed';
import type { Store } from './store';

export interface TaskHandler {
  /** Applies the task's effect; throw ApiError to make the task fail instead. */
  complete(task: TaskRecord): void;
  /** Undoes what starting the task did, when it fails. */
  fail(task: TaskRecord): void;
}

export interface TaskTiming {
  readonly latencyMs: number;
  readonly perKindMs: Partial<Record<TaskKind, number>>;
}

export interface StartTask {
  readonly payload: TaskPayload;
  readonly entityUrn: string;
  readonly entityName: string;
  readonly user: string;
  /** The host the work runs on, for the slow-host fault. */
  readonly hostName?: string;
  /** Hold the task at this progress until released (e.g. a safe stop without guest tools). */
  readonly stuckAt?: number;
  /** Known at creation to fail when due (e.g. a clone across clusters without a shared datastore). */
  readonly failure?: { readonly code: string; readonly message: string };
}

const KEEP_FINISHED = 500;

export class TaskEngine {
  private readonly handlers = new Map<TaskKind, TaskHandler>();

  constructor(
    private readonly store: Store,
    private readonly timing: TaskTiming,
    private readonly clock: () => number,
  ) {}

  register(kind: TaskKind, handler: TaskHandler): void {
    this.handlers.set(kind, handler);
  }

  start(input: StartTask): TaskRecord {
    const state = this.store.state;
    const now = this.clock();
    const kind = input.payload.kind;
    const fault = takeTaskFault(state.faults, kind);
    const latency = (this.timing.perKindMs[kind] ?? this.timing.latencyMs) * slowFactor(state.faults, input.hostName);
    const task: TaskRecord = {
      id: newId(state),
      payload: input.payload,
      entityUrn: input.entityUrn,
      entityName: input.entityName,
      user: input.user,
      status: 'running',
      startedAt: now,
      dueAt: now + Math.round(latency),
      finishedAt: undefined,
      stuckAt: fault === 'stick' ? state.faults.stuckProgress : input.stuckAt,
      plannedFailure:
        fault === 'fail' ? { code: DcsCodes.injectedFailure, message: `injected fault: this ${kind} task was set to fail` } : input.failure,
      progress: 0,
      reason: '',
      reasonDes: '',
    };
    state.tasks[task.id] = task;
    return task;
  }

  /** Completes every task that is due; returns how many finished. */
  tick(): number {
    const now = this.clock();
    const due = Object.values(this.store.state.tasks)
      .filter((t) => t.status === 'running' && t.stuckAt === undefined && t.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt || Number(a.id) - Number(b.id));
    for (const task of due) this.finish(task, now);
    if (due.length > 0) this.prune();
    return due.length;
  }

  /** Lets a stuck task run to completion on the next tick. */
  release(task: TaskRecord): void {
    task.stuckAt = undefined;
    task.dueAt = Math.min(task.dueAt, this.clock());
  }

  /** Ends a running task as failed without undoing anything (another task took over). */
  supersede(task: TaskRecord, message: string): void {
    this.close(task, this.clock(), { code: DcsCodes.wrongState, message });
  }

  runningFor(predicate: (payload: TaskPayload) => boolean): TaskRecord[] {
    return Object.values(this.store.state.tasks).filter((t) => t.status === 'running' && predicate(t.payload));
  }

  view(task: TaskRecord): DcsTask {
    const site = this.store.state.site.id;
    return {
      urn: dcsUrn(site, 'tasks', task.id),
      uri: dcsUri(site, 'tasks', task.id),
      type: task.payload.kind,
      entityUrn: task.entityUrn,
      entityName: task.entityName,
      status: task.status,
      progress: task.status === 'running' ? this.progressOf(task) : task.progress,
      reason: task.reason,
      reasonDes: task.reasonDes,
      startTime: new Date(task.startedAt).toISOString(),
      finishTime: task.finishedAt === undefined ? '' : new Date(task.finishedAt).toISOString(),
      user: task.user,
    };
  }

  private progressOf(task: TaskRecord): number {
    if (task.stuckAt !== undefined) return task.stuckAt;
    const span = task.dueAt - task.startedAt;
    if (span <= 0) return 99;
    return Math.min(99, Math.floor(((this.clock() - task.startedAt) / span) * 100));
  }

  private finish(task: TaskRecord, now: number): void {
    const handler = this.handlers.get(task.payload.kind);
    if (!handler) {
      this.close(task, now, { code: DcsCodes.internal, message: `no handler for ${task.payload.kind}` });
      return;
    }
    let failure = task.plannedFailure;
    if (!failure) {
      try {
        handler.complete(task);
      } catch (err: unknown) {
        if (!(err instanceof ApiError)) throw err;
        failure = { code: err.code, message: err.message };
      }
    }
    if (failure) handler.fail(task);
    this.close(task, now, failure);
  }

  private close(task: TaskRecord, now: number, failure: { code: string; message: string } | undefined): void {
    task.progress = failure ? this.progressOf(task) : 100;
    task.status = failure ? 'failed' : 'success';
    task.finishedAt = now;
    task.stuckAt = undefined;
    task.reason = failure?.code ?? '';
    task.reasonDes = failure?.message ?? '';
  }

  private prune(): void {
    const tasks = this.store.state.tasks;
    const finished = Object.values(tasks)
      .filter((t) => t.status !== 'running')
      .sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
    for (const t of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) removeKey(tasks, t.id);
  }
}
