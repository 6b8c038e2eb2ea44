// When a KubeadmControlPlane has finished rolling out (capi-upstream §3.5): the controller saw the latest
// spec, every replica is up to date and available, and all Machines run spec.version. The wait outlasts a
// management cluster that does not answer for a while (a restarting API server): it retries until its deadline.
import { get, getNumber, getString } from '../../server/engine/objects';
import { ApiFailure, describeFailure } from './apiErrors';
import { isAbort } from './applyRun';
import { UnknownKindError, type KubeObject, type ObjectApi, type ObjectRef } from './objectApi';

export interface RolloutState {
  readonly done: boolean;
  /** "2 of 3 up to date" for progress messages. */
  readonly summary: string;
}

export function controlPlaneRollout(kcp: KubeObject): RolloutState {
  const desired = getNumber(kcp, ['spec', 'replicas']) ?? 1;
  const generation = getNumber(kcp, ['metadata', 'generation']);
  const observed = getNumber(kcp, ['status', 'observedGeneration']);
  const upToDate = getNumber(kcp, ['status', 'upToDateReplicas']) ?? getNumber(kcp, ['status', 'updatedReplicas']) ?? 0;
  const available = getNumber(kcp, ['status', 'availableReplicas']) ?? getNumber(kcp, ['status', 'readyReplicas']) ?? 0;
  const replicas = getNumber(kcp, ['status', 'replicas']) ?? 0;
  const version = getString(kcp, ['spec', 'version']);
  const versions = get(kcp, ['status', 'versions']);
  const running = Array.isArray(versions) ? versions.map((v: unknown) => getString(v, ['version'])) : [getString(kcp, ['status', 'version'])];
  const rollingOut = (get(kcp, ['status', 'conditions']) as unknown[] | undefined)?.some((c) => getString(c, ['type']) === 'RollingOut' && getString(c, ['status']) === 'True') ?? false;
  const seen = generation !== undefined && observed !== undefined && observed >= generation;
  const settled = replicas === desired && upToDate === desired && available === desired;
  const onVersion = running.every((v) => v === undefined || v === version);
  const done = seen && settled && onVersion && !rollingOut;
  const summary = !seen ? 'waiting for the controller to pick up the change' : `${Math.min(upToDate, desired)} of ${desired} up to date, ${available} available`;
  return { done, summary };
}

export interface WaitOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly onProgress?: (state: RolloutState) => void;
}

export class RolloutTimeoutError extends Error {
  override readonly name = 'RolloutTimeoutError';
}

/** Polls the KubeadmControlPlane until its rollout is done; throws on timeout, abort or a lasting refusal. */
export async function waitForControlPlane(api: ObjectApi, ref: ObjectRef, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 3_000;
  const within = `within ${Math.round(options.timeoutMs / 60_000)} minutes`;
  for (;;) {
    options.signal?.throwIfAborted();
    let state: RolloutState;
    try {
      const kcp = await api.get(ref, options.signal);
      if (!kcp) throw new Error(`${ref.kind} ${ref.name} disappeared while the upgrade waited for it`);
      state = controlPlaneRollout(kcp);
    } catch (error) {
      if (isAbort(error) || !isTransient(error)) throw error;
      state = { done: false, summary: `cannot read it now (${describeFailure(error)}), trying again` };
    }
    options.onProgress?.(state);
    if (state.done) return;
    if (Date.now() > deadline) throw new RolloutTimeoutError(`the control plane did not finish its rollout ${within} (${state.summary})`);
    await delay(interval, options.signal);
  }
}

/** No answer, or an answer that says "later" (429, 5xx); refusals (RBAC, credentials) and a missing kind are not. */
function isTransient(error: unknown): boolean {
  if (error instanceof ApiFailure) return error.reason === 'unreachable' || error.status >= 500;
  return !(error instanceof UnknownKindError) && error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
