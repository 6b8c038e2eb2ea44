// Writes to objects of one kind, each reflected in the informer cache at once: status as a
// JSON merge patch of what changed, finalizers with a resourceVersion precondition (so a
// concurrent writer is never overwritten: on 409 the object is read again and the change
// re-applied), and small spec patches.

import type { Informer } from './informer';
import type { KubeClient } from './kubeClient';
import { isConflict, isNotFound } from './kubeErrors';
import { objectPath, type KubeObject, type ResourceKind } from './resources';

const CONFLICT_RETRIES = 5;

type WithStatus = KubeObject & { status?: object };

export class ObjectWriter<T extends WithStatus> {
  constructor(
    private readonly client: KubeClient,
    private readonly kind: ResourceKind,
    private readonly informer: Informer<T>,
    /** Run the informer's handlers for our own writes (other reconcilers wait for them). */
    private readonly notify = false,
  ) {}

  /** Patches the status from `before` to `after` (fields that disappeared are sent as null). */
  async patchStatus(obj: T, before: object | undefined, after: object): Promise<T> {
    const patch = mergePatch(before ?? {}, after);
    if (patch === undefined) return obj;
    const path = objectPath(this.kind, obj.metadata.namespace ?? '', obj.metadata.name ?? '', 'status');
    const written = await this.client.mergePatch<T>(path, { status: patch });
    this.informer.recordWrite(written, this.notify);
    return written;
  }

  async patchSpec(obj: T, spec: Record<string, unknown>): Promise<T> {
    const written = await this.client.mergePatch<T>(this.path(obj), { spec });
    this.informer.recordWrite(written, this.notify);
    return written;
  }

  /** Adds the finalizer; returns the object as written (unchanged when it was there). */
  addFinalizer(obj: T, finalizer: string): Promise<T> {
    return this.updateFinalizers(obj, (list) => (list.includes(finalizer) ? undefined : [...list, finalizer]));
  }

  /**
   * Adds the finalizer and sets annotations in one patch (a claim made durable before acting on
   * it). `stillWanted` is asked again after a conflict, against the fresh object.
   */
  addFinalizerAndAnnotations(obj: T, finalizer: string, annotations: Record<string, string>, stillWanted: (current: T) => boolean): Promise<T> {
    return this.updateMetadata(obj, (current) => {
      if (!stillWanted(current)) return undefined;
      const finalizers = current.metadata.finalizers ?? [];
      return { finalizers: finalizers.includes(finalizer) ? finalizers : [...finalizers, finalizer], annotations };
    });
  }

  /** Removes the finalizer; an object already gone (its last finalizer went earlier) counts as done. */
  async removeFinalizer(obj: T, finalizer: string): Promise<T> {
    try {
      return await this.updateFinalizers(obj, (list) => (list.includes(finalizer) ? list.filter((f) => f !== finalizer) : undefined));
    } catch (err: unknown) {
      if (isNotFound(err)) return obj;
      throw err;
    }
  }

  private updateFinalizers(obj: T, change: (current: readonly string[]) => string[] | undefined): Promise<T> {
    return this.updateMetadata(obj, (current) => {
      const finalizers = change(current.metadata.finalizers ?? []);
      return finalizers === undefined ? undefined : { finalizers };
    });
  }

  /** A metadata merge patch with a resourceVersion precondition; on 409 the object is read and `change` asked again. */
  private async updateMetadata(obj: T, change: (current: T) => { finalizers?: string[]; annotations?: Record<string, string> } | undefined): Promise<T> {
    let current = obj;
    for (let attempt = 0; ; attempt++) {
      const next = change(current);
      if (next === undefined) return current;
      const patch = { metadata: { ...next, resourceVersion: current.metadata.resourceVersion } };
      try {
        const written = await this.client.mergePatch<T>(this.path(current), patch);
        // Without finalizers a deleted object is gone now; the watch will say so later.
        if (written.metadata.deletionTimestamp !== undefined && (written.metadata.finalizers ?? []).length === 0) this.informer.recordGone(written);
        else this.informer.recordWrite(written, this.notify);
        return written;
      } catch (err: unknown) {
        if (!isConflict(err) || attempt >= CONFLICT_RETRIES) throw err;
        current = await this.client.get<T>(this.path(current));
        this.informer.recordWrite(current, this.notify);
      }
    }
  }

  private path(obj: T): string {
    return objectPath(this.kind, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
  }
}

/**
 * The RFC 7386 merge patch turning `before` into `after`; undefined when they are equal.
 * Arrays are replaced whole.
 */
export function mergePatch(before: unknown, after: unknown): unknown {
  if (!isPlainObject(before) || !isPlainObject(after)) {
    return deepEqual(before, after) ? undefined : after;
  }
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(before)) {
    if (!(key in after) || after[key] === undefined) {
      if (before[key] !== undefined) patch[key] = null;
    }
  }
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const sub = key in before ? mergePatch(before[key], value) : value;
    if (sub !== undefined) patch[key] = sub;
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values (key order does not matter; the API server sorts keys). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  if (keys.length !== Object.keys(b).filter((k) => b[k] !== undefined).length) return false;
  return keys.every((k) => deepEqual(a[k], b[k]));
}
