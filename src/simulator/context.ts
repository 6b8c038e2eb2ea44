// Everything a route needs, built once per simulator by simulator.ts.

import type { Auth } from './auth';
import type { ClusterOps } from './clusterOps';
import type { Logger } from './log';
import type { MediaOps } from './mediaOps';
import type { Store } from './store';
import type { TaskEngine } from './tasks';
import type { Views } from './views';
import type { VmOps } from './vmOps';
import type { VolumeOps } from './volumeOps';

export interface SimContext {
  readonly store: Store;
  readonly auth: Auth;
  readonly tasks: TaskEngine;
  readonly views: Views;
  readonly vms: VmOps;
  readonly volumes: VolumeOps;
  readonly media: MediaOps;
  readonly clusters: ClusterOps;
  readonly log: Logger;
  /** Back to the seeded inventory: drops VMs, volumes, tasks, sessions; faults from the inventory. */
  reset(): void;
}

/** An id from a path segment that may also be a full URN (`urn:sites:S:vms:i-1` -> `i-1`). */
export function idParam(value: string | undefined): string {
  const v = value ?? '';
  return v.startsWith('urn:') ? (v.split(':').pop() ?? '') : v;
}

/** Applies `limit` (default 100, at most 1000) and `offset` from the query. */
export function page<T>(items: readonly T[], query: URLSearchParams): T[] {
  const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 100) || 100));
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  return items.slice(offset, offset + limit);
}
