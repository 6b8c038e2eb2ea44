// Server-side apply of a plan in two steps. preview: a dry run of every object (the result to diff against
// the live object). commit: namespaces first, then a second dry run of everything else (objects in new
// namespaces could not be checked before), then the real apply in order; it stops at the first refusal,
// so nothing after an invalid object is applied. Unchanged objects are not sent at all. A cancel keeps what
// was applied: the object in flight is 'cancelled' (it may have been applied), the rest 'skipped'.
import { ApiFailure } from './apiErrors';
import { isUnchanged } from './diff';
import { APPLY_FIELD_MANAGER, OPERATE_FIELD_MANAGER } from './ids';
import { UnknownKindError, type ObjectApi, type KubeObject, type ObjectRef } from './objectApi';
import type { ApplyPlan, PlannedObject } from './applyPlan';

export type PreviewOutcome = 'create' | 'configure' | 'unchanged' | 'failed';

export interface PreviewEntry {
  readonly planned: PlannedObject;
  readonly ref: ObjectRef;
  readonly outcome: PreviewOutcome;
  readonly live?: KubeObject;
  /** The dry run's answer; for objects in a namespace this apply creates, the object as written. */
  readonly result?: KubeObject;
  /** True when the namespace does not exist yet, so the server could not check the object before the apply. */
  readonly awaitsNamespace?: boolean;
  /** The extension's own field managers whose fields this apply takes over without asking (see OWN_MANAGERS). */
  readonly tookOverFrom?: readonly string[];
  readonly error?: unknown;
}

/** 'cancelled': the request was in flight when the user cancelled, so the object may have been applied. */
export type CommitOutcome = 'created' | 'configured' | 'unchanged' | 'failed' | 'cancelled' | 'skipped';

export interface CommitEntry {
  readonly planned: PlannedObject;
  readonly ref: ObjectRef;
  readonly outcome: CommitOutcome;
  readonly result?: KubeObject;
  readonly tookOverFrom?: readonly string[];
  readonly error?: unknown;
}

/**
 * The extension's own field managers. A field one of them owns was set by the user through the extension (an
 * upgrade, a scale): the files the user applies afterwards win without the forced-apply question.
 */
export const OWN_MANAGERS: ReadonlySet<string> = new Set([APPLY_FIELD_MANAGER, OPERATE_FIELD_MANAGER]);

export interface RunOptions {
  /** Keys (PlannedObject.key) applied with force: the user chose to take fields other managers own. */
  readonly force?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, what: string) => void;
  readonly fieldManager?: string;
}

export async function previewApply(api: ObjectApi, plan: ApplyPlan, options: RunOptions = {}): Promise<PreviewEntry[]> {
  const missingNamespaces = await namespacesToCreate(api, plan, options.signal);
  const out: PreviewEntry[] = [];
  for (const [i, planned] of plan.objects.entries()) {
    options.signal?.throwIfAborted();
    const ref = refFor(api, planned);
    options.onProgress?.(i, plan.objects.length, `${planned.object.kind} ${planned.object.metadata.name}`);
    if (planned.object.kind !== 'Namespace' && missingNamespaces.has(ref.namespace ?? '')) {
      out.push({ planned, ref, outcome: 'create', result: planned.object, awaitsNamespace: true });
      continue;
    }
    out.push(await dryRun(api, planned, ref, options));
  }
  return out;
}

export interface CommitResult {
  readonly entries: readonly CommitEntry[];
  /** True when the run stopped early because it was cancelled. */
  readonly cancelled: boolean;
}

export async function commitApply(api: ObjectApi, plan: ApplyPlan, options: RunOptions = {}): Promise<CommitResult> {
  const total = plan.objects.length;
  const entries: CommitEntry[] = [];
  const namespaces = plan.objects.filter((p) => p.object.kind === 'Namespace');
  const rest = plan.objects.filter((p) => p.object.kind !== 'Namespace');
  const finish = (from: readonly PlannedObject[], cancelled: boolean): CommitResult => {
    for (const planned of from) if (!entries.some((e) => e.planned === planned)) entries.push({ planned, ref: refFor(api, planned), outcome: 'skipped' });
    return { entries: order(plan, entries), cancelled };
  };

  for (const planned of namespaces) {
    if (options.signal?.aborted) return finish(plan.objects, true);
    options.onProgress?.(entries.length, total, `Namespace ${planned.object.metadata.name}`);
    const checked = await check(api, planned, options);
    if (checked === 'cancelled') return finish(plan.objects, true);
    const entry = checked.outcome === 'unchanged' ? { planned, ref: checked.ref, outcome: 'unchanged' as const, result: checked.live } : checked.outcome === 'failed' ? failedEntry(checked) : await applyOne(api, planned, options);
    entries.push(entry);
    if (entry.outcome === 'failed') return finish(plan.objects, false);
    if (entry.outcome === 'cancelled') return finish(plan.objects, true);
  }

  // Every other object is checked again now that its namespace exists; one refusal stops the whole apply.
  const checked: PreviewEntry[] = [];
  for (const planned of rest) {
    if (options.signal?.aborted) return finish(plan.objects, true);
    options.onProgress?.(entries.length, total, `Checking ${planned.object.kind} ${planned.object.metadata.name}`);
    const entry = await check(api, planned, options);
    if (entry === 'cancelled') return finish(plan.objects, true);
    checked.push(entry);
  }
  const refused = checked.filter((c) => c.outcome === 'failed');
  if (refused.length > 0) {
    for (const c of refused) entries.push(failedEntry(c));
    return finish(plan.objects, false);
  }

  for (const c of checked) {
    if (options.signal?.aborted) return finish(plan.objects, true);
    if (c.outcome === 'unchanged') {
      entries.push({ planned: c.planned, ref: c.ref, outcome: 'unchanged', result: c.live });
      continue;
    }
    options.onProgress?.(entries.length, total, `${c.planned.object.kind} ${c.planned.object.metadata.name}`);
    const entry = await applyOne(api, c.planned, options);
    entries.push(entry);
    if (entry.outcome === 'failed') return finish(plan.objects, false);
    if (entry.outcome === 'cancelled') return finish(plan.objects, true);
  }
  return finish(plan.objects, false);
}

/** The commit's dry run of one object: a cancel stops the commit; any other failure is that object's. */
async function check(api: ObjectApi, planned: PlannedObject, options: RunOptions): Promise<PreviewEntry | 'cancelled'> {
  const ref = refFor(api, planned);
  try {
    return await dryRun(api, planned, ref, options);
  } catch (error) {
    if (isAbort(error)) return 'cancelled';
    return { planned, ref, outcome: 'failed', error };
  }
}

function failedEntry(c: PreviewEntry): CommitEntry {
  return { planned: c.planned, ref: c.ref, outcome: 'failed', error: c.error };
}

/**
 * One object's dry run. What the API server refuses (or does not serve) is that object's failure; a cancel and
 * a failure to reach the server at all (no answer) concern the whole run and are thrown.
 */
async function dryRun(api: ObjectApi, planned: PlannedObject, ref: ObjectRef, options: RunOptions): Promise<PreviewEntry> {
  try {
    const live = await api.get(ref, options.signal);
    const { result, tookOverFrom } = await applyTakingOwnFields(api, planned, options, true);
    const outcome = !live ? 'create' : isUnchanged(live, result) ? 'unchanged' : 'configure';
    return { planned, ref, outcome, live, result, tookOverFrom };
  } catch (error) {
    if (!isServerRefusal(error)) throw error;
    return { planned, ref, outcome: 'failed', error };
  }
}

async function applyOne(api: ObjectApi, planned: PlannedObject, options: RunOptions): Promise<CommitEntry> {
  const ref = refFor(api, planned);
  try {
    const live = await api.get(ref, options.signal);
    const { result, tookOverFrom } = await applyTakingOwnFields(api, planned, options, false);
    const outcome: CommitOutcome = !live ? 'created' : live.metadata.resourceVersion === result.metadata.resourceVersion ? 'unchanged' : 'configured';
    return { planned, ref, outcome, result, tookOverFrom };
  } catch (error) {
    // Cancelled while the request was out: the server may have applied it.
    if (isAbort(error)) return { planned, ref, outcome: 'cancelled', error };
    return { planned, ref, outcome: 'failed', error };
  }
}

/** Server-side apply; a conflict with only the extension's own managers is retried with force. */
async function applyTakingOwnFields(api: ObjectApi, planned: PlannedObject, options: RunOptions, dryRun: boolean): Promise<{ result: KubeObject; tookOverFrom?: readonly string[] }> {
  const forced = options.force?.has(planned.key) ?? false;
  const send = (force: boolean): Promise<KubeObject> => api.apply(planned.object, { dryRun, force, signal: options.signal, fieldManager: options.fieldManager ?? APPLY_FIELD_MANAGER });
  try {
    return { result: await send(forced) };
  } catch (error) {
    const managers = forced ? undefined : ownConflictManagers(error);
    if (!managers) throw error;
    return { result: await send(true), tookOverFrom: managers };
  }
}

/** The conflicting managers when every one of them is the extension's own; undefined otherwise. */
export function ownConflictManagers(error: unknown): string[] | undefined {
  if (!isConflict(error) || error.conflicts.length === 0) return undefined;
  const managers = [...new Set(error.conflicts.map((c) => c.manager))];
  return managers.every((m) => OWN_MANAGERS.has(m)) ? managers : undefined;
}

async function namespacesToCreate(api: ObjectApi, plan: ApplyPlan, signal?: AbortSignal): Promise<Set<string>> {
  const missing = new Set<string>();
  for (const planned of plan.objects) {
    if (planned.object.kind !== 'Namespace' || planned.object.apiVersion !== 'v1') continue;
    const name = planned.object.metadata.name;
    try {
      if (!(await api.get({ apiVersion: 'v1', kind: 'Namespace', name }, signal))) missing.add(name);
    } catch (error) {
      // Not allowed to read namespaces: the dry runs of the objects in it tell what is allowed.
      if (!(error instanceof ApiFailure && error.reason === 'forbidden')) throw error;
    }
  }
  return missing;
}

function refFor(api: ObjectApi, planned: PlannedObject): ObjectRef {
  const { apiVersion, kind, metadata } = planned.object;
  return { apiVersion, kind, name: metadata.name, namespace: kind === 'Namespace' ? undefined : api.namespaceOf(metadata) };
}

/** Entries in the plan's order (failures found in the second dry run are pushed out of order). */
function order(plan: ApplyPlan, entries: readonly CommitEntry[]): CommitEntry[] {
  return plan.objects.map((p) => entries.find((e) => e.planned === p)).filter((e): e is CommitEntry => e !== undefined);
}

/** What the API server said about one object (a refusal, or a kind it does not serve), as opposed to no answer at all. */
export function isServerRefusal(error: unknown): boolean {
  return error instanceof ApiFailure || error instanceof UnknownKindError;
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR');
}

export function isConflict(error: unknown): error is ApiFailure {
  return error instanceof ApiFailure && error.reason === 'conflict';
}
