// An informer for one kind: a paged list, then a watch from the list's resourceVersion (with
// bookmarks); a new list after 410 Gone; re-watch with a doubling delay after other errors. It
// keeps a cache keyed by namespace/name with optional indexes, and calls handlers on changes.
// The controller's own writes go into the cache at once (`recordWrite`), so a reconcile never
// reads an object older than what it wrote and its own writes do not wake it up again.

import { setTimeout as delay } from 'node:timers/promises';
import type { KubeClient, WatchEvent } from './kubeClient';
import { KubeApiError } from './kubeErrors';
import { errorMessage, type Logger } from './log';
import { collectionPath, isNewerVersion, keyOf, type KubeObject, type ResourceKind } from './resources';

export interface InformerHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(old: T, obj: T): void;
  onDelete?(obj: T): void;
}

const PAGE_SIZE = 500;
const WATCH_TIMEOUT_S = 300;
const MAX_RETRY_MS = 30_000;

class GoneError extends Error {}

export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  /** Objects this controller saw deleted before the watch did: older events for them are ignored. */
  private readonly tombstones = new Map<string, string | undefined>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly indexers = new Map<string, (obj: T) => readonly string[]>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private readonly abort = new AbortController();
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    readonly kind: ResourceKind,
    private readonly namespace: string | undefined,
    private readonly log: Logger,
  ) {}

  addHandlers(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
  }

  /** Maintains `byIndex(name, value)`: the keys of cached objects for which `fn` returns `value`. */
  addIndex(name: string, fn: (obj: T) => readonly string[]): void {
    this.indexers.set(name, fn);
    this.indexes.set(name, new Map());
    for (const [key, obj] of this.cache) this.index(key, undefined, obj);
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(namespace: string, name: string): T | undefined {
    return this.cache.get(`${namespace}/${name}`);
  }

  list(namespace?: string): T[] {
    const all = [...this.cache.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  byIndex(name: string, value: string): T[] {
    const keys = this.indexes.get(name)?.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.cache.get(k)).filter((o): o is T => o !== undefined);
  }

  get size(): number {
    return this.cache.size;
  }

  /**
   * A write by this controller: cached at once (when newer). Handlers run only with `notify`
   * (when other reconcilers depend on the change); the watch event of the write is ignored.
   */
  recordWrite(obj: T, notify = false): void {
    this.apply(keyOf(obj), obj, notify);
  }

  private async run(): Promise<void> {
    const path = collectionPath(this.kind, this.namespace);
    let resourceVersion: string | undefined;
    let retryMs = 500;
    while (!this.stopped()) {
      try {
        resourceVersion ??= await this.relist(path);
        retryMs = 500;
        resourceVersion = await this.watchFrom(path, resourceVersion);
      } catch (err: unknown) {
        if (this.stopped()) break;
        if (err instanceof GoneError || (err instanceof KubeApiError && err.isGone)) {
          this.log.debug('watch expired, listing again', { resource: this.kind.plural });
          resourceVersion = undefined;
          continue;
        }
        this.log.warn('watch failed, retrying', { resource: this.kind.plural, error: errorMessage(err), retryMs });
        await delay(retryMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
        retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
      }
    }
  }

  /** An object this controller knows is deleted: dropped from the cache, delete handlers run. */
  recordGone(obj: T): void {
    const key = keyOf(obj);
    this.tombstones.set(key, obj.metadata.resourceVersion);
    const old = this.cache.get(key);
    if (old) this.remove(key, old);
  }

  private stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** Lists every page and replaces the cache, calling handlers for what changed. */
  private async relist(path: string): Promise<string> {
    const seen = new Map<string, T>();
    let continueToken: string | undefined;
    let listVersion = '';
    do {
      const page = await this.client.get<{ metadata: { resourceVersion?: string; continue?: string }; items: T[] }>(path, {
        limit: PAGE_SIZE,
        continue: continueToken,
      });
      for (const item of page.items) seen.set(keyOf(item), trim(item));
      if (listVersion === '') listVersion = page.metadata.resourceVersion ?? '';
      const next = page.metadata.continue;
      continueToken = next === '' ? undefined : next;
    } while (continueToken);
    for (const [key, old] of [...this.cache]) {
      if (!seen.has(key)) this.remove(key, old);
    }
    for (const key of [...this.tombstones.keys()]) if (!seen.has(key)) this.tombstones.delete(key);
    for (const [key, obj] of seen) this.apply(key, obj);
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
    return listVersion;
  }

  /** Watches until the server ends the stream; returns the last resourceVersion seen. */
  private async watchFrom(path: string, from: string): Promise<string> {
    let resourceVersion = from;
    const onEvent = (event: WatchEvent): void => {
      if (event.type === 'ERROR') {
        const status = event.object as { code?: number; message?: string };
        if (status.code === 410) throw new GoneError(status.message ?? 'Gone');
        throw new Error(`watch error: ${status.message ?? 'unknown'}`);
      }
      const obj = trim(event.object as T);
      if (obj.metadata.resourceVersion) resourceVersion = obj.metadata.resourceVersion;
      if (event.type === 'BOOKMARK') return;
      const key = keyOf(obj);
      if (event.type === 'DELETED') {
        this.tombstones.delete(key);
        const old = this.cache.get(key);
        if (old) this.remove(key, old);
      } else {
        this.apply(key, obj);
      }
    };
    const timeoutSeconds = WATCH_TIMEOUT_S + Math.floor(Math.random() * 60);
    await this.client.watch(path, { resourceVersion, allowWatchBookmarks: true, timeoutSeconds }, onEvent, this.abort.signal);
    return resourceVersion;
  }

  private apply(key: string, obj: T, notify = true): void {
    if (this.tombstones.has(key)) {
      if (!isNewerVersion(obj.metadata.resourceVersion, this.tombstones.get(key))) return;
      this.tombstones.delete(key);
    }
    const old = this.cache.get(key);
    if (old && !isNewerVersion(obj.metadata.resourceVersion, old.metadata.resourceVersion)) return;
    this.put(key, old, obj);
    if (!notify) return;
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(old, obj);
      else h.onAdd?.(obj);
    }
  }

  private put(key: string, old: T | undefined, obj: T): void {
    this.cache.set(key, obj);
    this.index(key, old, obj);
  }

  private remove(key: string, old: T): void {
    this.cache.delete(key);
    this.index(key, old, undefined);
    for (const h of this.handlers) h.onDelete?.(old);
  }

  private index(key: string, old: T | undefined, obj: T | undefined): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indexes.get(name);
      if (!index) continue;
      for (const value of old ? fn(old) : []) index.get(value)?.delete(key);
      for (const value of obj ? fn(obj) : []) {
        let keys = index.get(value);
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      }
    }
  }
}

/** managedFields are most of an object's size and never read by the controller. */
function trim<T extends KubeObject>(obj: T): T {
  if (obj.metadata.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}
