// API paths of the kinds the controller reads and writes.

import type { ObjectMeta } from '../../shared/api/meta';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface ResourceKind {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
}

function prefix(kind: ResourceKind): string {
  return kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
}

/** The collection path, in one namespace or across all of them. */
export function collectionPath(kind: ResourceKind, namespace?: string): string {
  return namespace === undefined ? `${prefix(kind)}/${kind.plural}` : `${prefix(kind)}/namespaces/${namespace}/${kind.plural}`;
}

export function objectPath(kind: ResourceKind, namespace: string, name: string, subresource?: 'status'): string {
  const path = `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`;
  return subresource ? `${path}/${subresource}` : path;
}

export function apiVersionOf(kind: ResourceKind): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/** `namespace/name`, the key of the caches and work queues. */
export function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/**
 * Whether resourceVersion `a` is newer than `b`. Versions are opaque to clients, but every API
 * server backed by etcd hands out increasing integers; anything else counts as newer so that the
 * server's copy always wins.
 */
export function isNewerVersion(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return a !== b;
  return BigInt(a) > BigInt(b);
}
