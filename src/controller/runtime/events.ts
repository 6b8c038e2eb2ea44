// Kubernetes Events (core/v1) about the objects the controller works on, as client-go's recorder
// posts them: the same event again (object, type, reason, message) within the aggregation window
// bumps `count` and `lastTimestamp` of the Event already written instead of adding one, and each
// object may post a burst of events, then one every few minutes (a machine failing in a loop
// cannot flood etcd). Posting is fire-and-forget: an Event that cannot be written is logged and
// dropped, never a reconcile error. Which events exist is silent in the reference (§6).

import type { KubeClient } from './kubeClient';
import { errorMessage, type Logger } from './log';
import { apiVersionOf, type ResourceKind } from './resources';

export type EventType = 'Normal' | 'Warning';

/** What an Event is about (objects from informer lists carry no apiVersion and kind: `kind` gives them). */
export interface EventSubject {
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly uid?: string; readonly resourceVersion?: string };
}

export interface EventSink {
  event(kind: ResourceKind, subject: EventSubject, type: EventType, reason: string, message: string): void;
}

export interface EventRecorderOptions {
  readonly component: string;
  /** Events per object before the rate limit applies (client-go: 25). */
  readonly burst?: number;
  /** Then one event per this many ms and object (client-go: 5 minutes). */
  readonly refillMs?: number;
  /** Repeats within this window update the existing Event (client-go: 10 minutes). */
  readonly aggregateMs?: number;
  readonly clock?: () => number;
}

interface Written {
  readonly name: string;
  readonly namespace: string;
  count: number;
  lastAt: number;
  /** The POST or the last PATCH, so updates of one Event go out in order. */
  pending: Promise<void>;
}

const MAX_TRACKED = 4096;
const MAX_MESSAGE = 1024;

/** Fire-and-forget sink for tests and for code paths without an API server. */
export const noEvents: EventSink = { event: () => undefined };

export class EventRecorder implements EventSink {
  private readonly written = new Map<string, Written>();
  private readonly budgets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly aggregateMs: number;
  private readonly clock: () => number;
  private sequence = 0;

  constructor(
    private readonly kube: KubeClient,
    private readonly log: Logger,
    private readonly options: EventRecorderOptions,
  ) {
    this.burst = options.burst ?? 25;
    this.refillMs = options.refillMs ?? 5 * 60_000;
    this.aggregateMs = options.aggregateMs ?? 10 * 60_000;
    this.clock = options.clock ?? Date.now;
  }

  event(kind: ResourceKind, subject: EventSubject, type: EventType, reason: string, message: string): void {
    const { name, namespace, uid } = subject.metadata;
    if (!name || !namespace || !uid) return;
    const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
    const now = this.clock();
    const key = `${uid}\u0000${type}\u0000${reason}\u0000${text}`;
    const seen = this.written.get(key);
    if (seen && now - seen.lastAt < this.aggregateMs) {
      if (!this.allow(uid, now)) return;
      seen.count += 1;
      seen.lastAt = now;
      const body = { count: seen.count, lastTimestamp: new Date(now).toISOString() };
      seen.pending = seen.pending.then(() => this.send('PATCH', `/api/v1/namespaces/${seen.namespace}/events/${seen.name}`, body, reason));
      return;
    }
    if (!this.allow(uid, now)) {
      this.log.debug('event dropped by the rate limit', { kind: kind.kind, namespace, name, reason });
      return;
    }
    const eventName = `${name}.${now.toString(16)}${(this.sequence++ % 4096).toString(16).padStart(3, '0')}`;
    const stamp = new Date(now).toISOString();
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: eventName, namespace },
      involvedObject: { apiVersion: apiVersionOf(kind), kind: kind.kind, name, namespace, uid, resourceVersion: subject.metadata.resourceVersion },
      type,
      reason,
      message: text,
      source: { component: this.options.component },
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
    };
    const written: Written = { name: eventName, namespace, count: 1, lastAt: now, pending: this.send('POST', `/api/v1/namespaces/${namespace}/events`, event, reason) };
    this.written.delete(key);
    this.written.set(key, written);
    if (this.written.size > MAX_TRACKED) this.written.delete(this.written.keys().next().value ?? '');
  }

  /** One token of the object's budget (burst, then one per refill interval). */
  private allow(uid: string, now: number): boolean {
    const budget = this.budgets.get(uid) ?? { tokens: this.burst, at: now };
    budget.tokens = Math.min(this.burst, budget.tokens + (now - budget.at) / this.refillMs);
    budget.at = now;
    this.budgets.delete(uid);
    this.budgets.set(uid, budget);
    if (this.budgets.size > MAX_TRACKED) this.budgets.delete(this.budgets.keys().next().value ?? '');
    if (budget.tokens < 1) return false;
    budget.tokens -= 1;
    return true;
  }

  private async send(method: 'POST' | 'PATCH', path: string, body: unknown, reason: string): Promise<void> {
    try {
      await this.kube.request(method, path, method === 'PATCH' ? { body, contentType: 'application/merge-patch+json' } : { body });
    } catch (err: unknown) {
      this.log.warn('could not write an event', { reason, error: errorMessage(err) });
    }
  }
}
