// InformerSet: the explorer's view of one management cluster. One informer per watched kind; events
// coalesced into one change per window; a kind the user may not list (403) or the server does not
// serve (404) is marked and the others go on; connection errors make the set 'unreachable' and each
// informer restarts itself with backoff (client-node's informer stops after 'error').
import { Backoff } from './backoff';
import { classifyFailure, type KubeFailure } from './errors';
import { KIND_INFO, WATCHED_KINDS, type KubeObject, type ObjectsByKind, type WatchedKind } from './kinds';
import type { Informer, InformerFactory } from './listWatch';

export type KindState = 'pending' | 'synced' | 'forbidden' | 'notInstalled' | 'unauthorized' | 'unreachable' | 'error';

export interface KindStatus {
  readonly state: KindState;
  /** The API version being read (CAPI: v1beta2, or v1beta1 on servers that do not serve v1beta2). */
  readonly version: string | undefined;
  readonly message?: string;
}

/** connecting: first lists running; ready: every kind synced or marked; unreachable: the server does not answer. */
export type ConnectionState = 'connecting' | 'ready' | 'unreachable' | 'stopped';

export interface InformerSetOptions {
  /** At most one change per window (default 100 ms); the first event after a quiet window goes out at once. */
  readonly coalesceMs?: number;
  readonly backoff?: () => Backoff;
  /** How often a forbidden or missing kind is tried again (RBAC and CRDs change; default 60 s). */
  readonly recheckMs?: number;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
  /** The clock the throttle reads (tests move it). */
  readonly now?: () => number;
}

interface KindSlot {
  readonly kind: WatchedKind;
  versionIndex: number;
  informer: Informer | undefined;
  status: KindStatus;
  readonly backoff: Backoff;
  retry: NodeJS.Timeout | undefined;
  /** Increments per start, so late callbacks of a replaced informer are ignored. */
  generation: number;
  /** The informer reported an error since its last start(): that start did not sync. */
  failedSinceStart: boolean;
}

/** Delay before passing on the first event after a quiet spell: events of the same burst arrive together. */
const LEADING_MS = 10;

export class InformerSet {
  private readonly slots = new Map<WatchedKind, KindSlot>();
  private readonly listeners = new Set<() => void>();
  private flushTimer: NodeJS.Timeout | undefined;
  private lastFlushAt = 0;
  private loggedState: ConnectionState = 'connecting';
  private disposed = false;
  private changeCount = 0;
  private readonly coalesceMs: number;
  private readonly recheckMs: number;

  constructor(
    private readonly factory: InformerFactory,
    private readonly options: InformerSetOptions = {},
  ) {
    this.coalesceMs = options.coalesceMs ?? 100;
    this.recheckMs = options.recheckMs ?? 60_000;
    for (const kind of WATCHED_KINDS) {
      this.slots.set(kind, {
        kind,
        versionIndex: 0,
        informer: undefined,
        status: { state: 'pending', version: KIND_INFO[kind].versions[0] },
        backoff: options.backoff?.() ?? new Backoff(),
        retry: undefined,
        generation: 0,
        failedSinceStart: false,
      });
    }
  }

  /** Starts every informer; changes arrive through onDidChange. */
  start(): void {
    for (const slot of this.slots.values()) this.startSlot(slot);
  }

  /** Drops every cache and lists again (the Refresh action). */
  restart(): void {
    for (const slot of this.slots.values()) {
      this.stopSlot(slot);
      slot.versionIndex = 0;
      slot.backoff.reset();
      slot.status = { state: 'pending', version: KIND_INFO[slot.kind].versions[0] };
    }
    this.scheduleFlush();
    this.start();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** How many change events fired so far (the benchmark counts coalescing with it). */
  get changes(): number {
    return this.changeCount;
  }

  get state(): ConnectionState {
    if (this.disposed) return 'stopped';
    const states = [...this.slots.values()].map((s) => s.status.state);
    if (states.includes('unreachable')) return 'unreachable';
    return states.includes('pending') ? 'connecting' : 'ready';
  }

  status(kind: WatchedKind): KindStatus {
    return this.slots.get(kind)?.status ?? { state: 'pending', version: undefined };
  }

  /** The last error message of an unreachable server, for the tree. */
  get unreachableReason(): string | undefined {
    return [...this.slots.values()].find((s) => s.status.state === 'unreachable')?.status.message;
  }

  objects(): ObjectsByKind {
    const out = {} as Record<WatchedKind, readonly KubeObject[]>;
    for (const [kind, slot] of this.slots) out[kind] = slot.informer?.list() ?? [];
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.flushTimer);
    for (const slot of this.slots.values()) this.stopSlot(slot);
    this.fire();
    this.listeners.clear();
  }

  private startSlot(slot: KindSlot): void {
    if (this.disposed) return;
    const info = KIND_INFO[slot.kind];
    const version = info.versions[slot.versionIndex] ?? info.versions[0] ?? '';
    const generation = ++slot.generation;
    const informer = slot.informer ?? this.makeInformer(slot, version);
    slot.informer = informer;
    slot.failedSinceStart = false;
    informer.start().then(
      () => {
        if (!slot.failedSinceStart && generation === slot.generation && !this.disposed) this.markSynced(slot, version);
      },
      (error: unknown) => {
        if (generation === slot.generation) this.onError(slot, error);
      },
    );
  }

  private makeInformer(slot: KindSlot, version: string): Informer {
    const informer = this.factory(KIND_INFO[slot.kind], version);
    const changed = (): void => {
      if (slot.informer === informer) this.scheduleFlush();
    };
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', changed);
    informer.on('error', (error?: unknown) => {
      if (slot.informer !== informer) return; // a stopped informer reports its aborted watch
      slot.failedSinceStart = true;
      this.onError(slot, error);
    });
    return informer;
  }

  private markSynced(slot: KindSlot, version: string): void {
    slot.backoff.reset();
    if (slot.status.state !== 'synced' || slot.status.version !== version) {
      slot.status = { state: 'synced', version };
      this.scheduleFlush();
    }
  }

  private onError(slot: KindSlot, error: unknown): void {
    if (this.disposed || slot.retry) return;
    const failure = classifyFailure(error);
    const info = KIND_INFO[slot.kind];
    // A version this server does not serve: try the next one at once, with a fresh informer.
    if (failure.kind === 'notFound' && slot.versionIndex + 1 < info.versions.length) {
      this.stopSlot(slot);
      slot.versionIndex++;
      this.startSlot(slot);
      return;
    }
    const next = this.statusFor(failure, info.versions[slot.versionIndex]);
    const delay = next.state === 'unreachable' || next.state === 'error' ? slot.backoff.next() : this.recheckMs;
    if (next.state !== slot.status.state || next.message !== slot.status.message) {
      // An unreachable server is logged once for the whole set (see logStateChange), not per kind.
      if (next.state !== 'unreachable') this.options.log?.('warn', `${slot.kind}: ${next.state} (${next.message ?? ''}); trying again in ${Math.round(delay / 1000)} s`);
      slot.status = next;
      this.scheduleFlush();
    }
    slot.retry = setTimeout(() => {
      slot.retry = undefined;
      // Forbidden and missing kinds get a fresh informer (and the best version) on each recheck.
      if (next.state !== 'unreachable' && next.state !== 'error') {
        this.stopSlot(slot);
        slot.versionIndex = 0;
      }
      this.startSlot(slot);
    }, delay);
  }

  private statusFor(failure: KubeFailure, version: string | undefined): KindStatus {
    switch (failure.kind) {
      case 'forbidden':
        return { state: 'forbidden', version, message: failure.message };
      case 'notFound':
        return { state: 'notInstalled', version, message: failure.message };
      case 'unauthorized':
        return { state: 'unauthorized', version, message: failure.message };
      case 'unreachable':
        return { state: 'unreachable', version, message: failure.message };
      case 'gone':
      case 'other':
        return { state: 'error', version, message: failure.message };
    }
  }

  private stopSlot(slot: KindSlot): void {
    clearTimeout(slot.retry);
    slot.retry = undefined;
    slot.generation++;
    const informer = slot.informer;
    slot.informer = undefined;
    if (informer) void informer.stop().catch(() => undefined);
  }

  /**
   * A throttle: after a quiet spell the first event is passed on within a few milliseconds (collecting what
   * arrives in the same burst); after that at most one change per coalescing window.
   */
  private scheduleFlush(): void {
    if (this.flushTimer || this.disposed) return;
    const now = this.options.now ?? Date.now;
    const sinceLast = now() - this.lastFlushAt;
    const delay = sinceLast >= this.coalesceMs ? Math.min(LEADING_MS, this.coalesceMs) : this.coalesceMs - sinceLast;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.lastFlushAt = now();
      this.logStateChange();
      this.fire();
    }, delay);
  }

  private logStateChange(): void {
    const state = this.state;
    if (state === this.loggedState) return;
    if (state === 'unreachable') this.options.log?.('warn', `unreachable: ${this.unreachableReason ?? 'no answer'}; retrying with backoff`);
    else if (state === 'ready') this.options.log?.('info', this.loggedState === 'unreachable' ? 'reachable again; watching resumed' : 'all kinds listed; watching');
    this.loggedState = state;
  }

  private fire(): void {
    this.changeCount++;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.options.log?.('warn', `a change listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
