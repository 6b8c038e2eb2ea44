// Readers that take the same fact from a CAPI object whether it has the v1beta1 or the v1beta2 shape.
// A server without conversion webhooks hands out v1beta1-shaped data under v1beta2 and the other way round,
// so nothing here trusts apiVersion: each reader looks at the fields themselves.
import type { KubeObject } from '../kube/kinds';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason?: string;
  readonly message?: string;
  /** v1beta1 conditions only: Error, Warning or Info when the status is False. */
  readonly severity?: string;
  readonly lastTransitionTime?: string;
}

export interface ReplicaCounts {
  /** spec.replicas: what the user asked for. */
  readonly desired: number | undefined;
  /** status.replicas: Machines that exist, old and new. */
  readonly current: number | undefined;
  readonly upToDate: number | undefined;
  readonly ready: number | undefined;
  readonly available: number | undefined;
  readonly generation: number | undefined;
  readonly observedGeneration: number | undefined;
}

type Json = Readonly<Record<string, unknown>>;

export function asRecord(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/**
 * A DCS object's spec or status seen through its generated type (src/shared/api/dcs.generated.ts): the
 * compiler checks the field names, so a renamed field breaks the build. The values are still what the API
 * server sent: any object may be missing and every leaf is unknown, so reads go through str/num/bool and
 * Array.isArray.
 */
export type Loose<T> = T extends readonly (infer E)[] ? Loose<E>[] | undefined : T extends object ? { readonly [K in keyof T]?: Loose<NonNullable<T[K]>> } | undefined : unknown;

/** `value` as a Loose<T> when it is an object (as `path` sees it), else undefined. */
export function loose<T extends object>(value: unknown): Loose<T> {
  return asRecord(value) as Loose<T>;
}

export function path(root: unknown, ...keys: readonly string[]): unknown {
  let current: unknown = root;
  for (const key of keys) {
    const record = asRecord(current);
    if (!record) return undefined;
    current = record[key];
  }
  return current;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function parseConditions(value: unknown): Condition[] {
  if (!Array.isArray(value)) return [];
  const out: Condition[] = [];
  for (const raw of value as unknown[]) {
    const type = str(path(raw, 'type'));
    const status = path(raw, 'status');
    if (!type || (status !== 'True' && status !== 'False' && status !== 'Unknown')) continue;
    out.push({
      type,
      status,
      reason: str(path(raw, 'reason')),
      message: str(path(raw, 'message')),
      severity: str(path(raw, 'severity')),
      lastTransitionTime: str(path(raw, 'lastTransitionTime')),
    });
  }
  return out;
}

/** Both generations of an object's conditions, parsed once. */
export interface ConditionSet {
  /** status.v1beta2.conditions when a v1beta1-shaped object carries them, else status.conditions. */
  readonly current: readonly Condition[];
  /** The other generation (v1beta1 ones kept beside v1beta2 ones), for fallbacks such as `Ready`. */
  readonly legacy: readonly Condition[];
}

export function readConditions(o: KubeObject): ConditionSet {
  const nested = parseConditions(path(o.status, 'v1beta2', 'conditions'));
  if (nested.length > 0) return { current: nested, legacy: parseConditions(path(o.status, 'conditions')) };
  return { current: parseConditions(path(o.status, 'conditions')), legacy: parseConditions(path(o.status, 'deprecated', 'v1beta1', 'conditions')) };
}

/** The first condition of the given types, current conditions first, then legacy ones. */
export function pickCondition(set: ConditionSet, ...types: readonly string[]): Condition | undefined {
  for (const list of [set.current, set.legacy]) {
    for (const type of types) {
      const found = list.find((c) => c.type === type);
      if (found) return found;
    }
  }
  return undefined;
}

export function findCondition(o: KubeObject, ...types: readonly string[]): Condition | undefined {
  return pickCondition(readConditions(o), ...types);
}

export function replicaCounts(o: KubeObject): ReplicaCounts {
  const status = o.status;
  const nested = asRecord(path(status, 'v1beta2'));
  return {
    desired: num(path(o.spec, 'replicas')),
    current: num(path(status, 'replicas')),
    upToDate: num(path(status, 'upToDateReplicas')) ?? num(nested?.upToDateReplicas) ?? num(path(status, 'updatedReplicas')),
    ready: num(nested?.readyReplicas) ?? num(path(status, 'readyReplicas')),
    available: num(nested?.availableReplicas) ?? num(path(status, 'availableReplicas')) ?? legacyAvailable(status),
    generation: o.metadata?.generation,
    observedGeneration: num(path(status, 'observedGeneration')),
  };
}

/** v1beta1 KCPs report unavailableReplicas instead of availableReplicas. */
function legacyAvailable(status: unknown): number | undefined {
  const replicas = num(path(status, 'replicas'));
  const unavailable = num(path(status, 'unavailableReplicas'));
  return replicas !== undefined && unavailable !== undefined ? Math.max(0, replicas - unavailable) : undefined;
}

export interface ObjectRef {
  readonly kind: string;
  readonly name: string;
  /** Only v1beta1 references may name another namespace; v1beta2 ones are always local. */
  readonly namespace?: string;
}

/** A v1beta1 ObjectReference or a v1beta2 contract reference. */
export function refAt(o: KubeObject, ...keys: readonly string[]): ObjectRef | undefined {
  const raw = path(o, ...keys);
  const kind = str(path(raw, 'kind'));
  const name = str(path(raw, 'name'));
  return kind && name ? { kind, name, namespace: str(path(raw, 'namespace')) } : undefined;
}

/** Paused through spec.paused (Cluster, MD) or the cluster.x-k8s.io/paused annotation (any kind). */
/** Cluster API's older way to pause an object, still honoured beside spec.paused. */
export const PAUSED_ANNOTATION = 'cluster.x-k8s.io/paused';

export function isPaused(o: KubeObject): boolean {
  return bool(path(o.spec, 'paused')) === true || o.metadata?.annotations?.[PAUSED_ANNOTATION] !== undefined;
}

export function isDeleting(o: KubeObject): boolean {
  return o.metadata?.deletionTimestamp !== undefined;
}

/** Kubernetes versions a KCP's Machines run: status.versions (v1.14+) or the older single status.version. */
export function statusVersions(o: KubeObject): { version: string; replicas: number | undefined }[] {
  const list = path(o.status, 'versions');
  if (Array.isArray(list)) {
    return (list as unknown[]).flatMap((v) => {
      const version = str(path(v, 'version'));
      return version ? [{ version, replicas: num(path(v, 'replicas')) }] : [];
    });
  }
  const single = str(path(o.status, 'version'));
  return single ? [{ version: single, replicas: undefined }] : [];
}

/** status.initialization.<v1beta2Key> or the v1beta1 boolean it replaced. */
export function initialized(o: KubeObject, v1beta2Key: string, v1beta1Key: string): boolean | undefined {
  return bool(path(o.status, 'initialization', v1beta2Key)) ?? bool(path(o.status, v1beta1Key));
}

export function labelOf(o: KubeObject, key: string): string | undefined {
  return o.metadata?.labels?.[key];
}

export function nameOf(o: KubeObject): string {
  return o.metadata?.name ?? '';
}

export function namespaceOf(o: KubeObject): string {
  return o.metadata?.namespace ?? '';
}

export function controllerOwner(o: KubeObject, kind: string): string | undefined {
  return o.metadata?.ownerReferences?.find((r) => r.kind === kind && r.controller !== false)?.name;
}
