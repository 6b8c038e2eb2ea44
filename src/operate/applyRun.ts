// Server-side apply of a plan in two steps. preview: a dry run of every object (the result to diff against
// the live object). commit: namespaces first, then a second dry run of everything else (objects in new
// namespaces could not be checked before), then the real apply in order; it stops at the first refusal,
// so nothing after an invalid object is applied. Unchanged objects are not sent at all.
import { ApiFailure } from './apiErrors';
import { isUnchanged } from './diff';
import { APPLY_FIELD_MANAGER } from './ids';
import type { ObjectApi, KubeObject, ObjectRef } from './objectApi';
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
  readonly error?: unknown;
}

export type CommitOutcome = 'created' | 'configured' | 'unchanged' | 'failed' | 'skipped';

export interface CommitEntry {
  readonly planned: PlannedObject;
  readonly ref: ObjectRef;
  readonly outcome: CommitOutcome;
  readonly result?: KubeObject;
  readonly error?: unknown;
}

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
    const checked = await dryRun(api, planned, refFor(api, planned), options);
    const entry = checked.outcome === 'unchanged' ? { planned, ref: checked.ref, outcome: 'unchanged' as const, result: checked.live } : await applyOne(api, planned, options);
    entries.push(entry);
    if (entry.outcome === 'failed') return finish(plan.objects, false);
  }

  // Every other object is checked again now that its namespace exists; one refusal stops the whole apply.
  const checked: PreviewEntry[] = [];
  for (const planned of rest) {
    if (options.signal?.aborted) return finish(plan.objects, true);
    options.onProgress?.(entries.length, total, `Checking ${planned.object.kind} ${planned.object.metadata.name}`);
    checked.push(await dryRun(api, planned, refFor(api, planned), options));
  }
  const refused = checked.filter((c) => c.outcome === 'failed');
  if (refused.length > 0) {
    for (const c of refused) entries.push({ planned: c.planned, ref: c.ref, outcome: 'failed', error: c.error });
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
  }
  return finish(plan.objects, false);
}

async function dryRun(api: ObjectApi, planned: PlannedObject, ref: ObjectRef, options: RunOptions): Promise<PreviewEntry> {
  try {
    const live = await api.get(ref, options.signal);
    const result = await api.apply(planned.object, { dryRun: true, force: options.force?.has(planned.key), signal: options.signal, fieldManager: options.fieldManager ?? APPLY_FIELD_MANAGER });
    const outcome = !live ? 'create' : isUnchanged(live, result) ? 'unchanged' : 'configure';
    return { planned, ref, outcome, live, result };
  } catch (error) {
    if (isAbort(error)) throw error;
    return { planned, ref, outcome: 'failed', error };
  }
}

async function applyOne(api: ObjectApi, planned: PlannedObject, options: RunOptions): Promise<CommitEntry> {
  const ref = refFor(api, planned);
  try {
    const live = await api.get(ref, options.signal);
    const result = await api.apply(planned.object, { force: options.force?.has(planned.key), signal: options.signal, fieldManager: options.fieldManager ?? APPLY_FIELD_MANAGER });
    const outcome: CommitOutcome = !live ? 'created' : live.metadata.resourceVersion === result.metadata.resourceVersion ? 'unchanged' : 'configured';
    return { planned, ref, outcome, result };
  } catch (error) {
    if (isAbort(error)) throw error;
    return { planned, ref, outcome: 'failed', error };
  }
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

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR');
}

export function isConflict(error: unknown): error is ApiFailure {
  return error instanceof ApiFailure && error.reason === 'conflict';
}
