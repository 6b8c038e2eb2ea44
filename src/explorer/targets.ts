// What a command acts on, from the tree element it was invoked on.
import type { LiveRef } from './modelTypes';
import type { Element } from './tree';

export interface LiveTarget {
  readonly context: string;
  readonly kind: LiveRef['kind'];
  readonly namespace: string;
  readonly name: string;
}

export interface ClusterTarget {
  readonly context: string;
  readonly namespace: string;
  readonly name: string;
}

function refOf(e: Element): LiveRef | undefined {
  switch (e.type) {
    case 'cluster':
      return e.cluster.ref;
    case 'controlPlane':
    case 'deployment':
    case 'rollout':
      return e.owner.ref;
    case 'machine':
      return e.machine.ref;
    case 'dcsMachine':
    case 'dcsCluster':
      return e.dcs.ref;
    case 'pool':
    case 'slot':
      return e.pool.ref;
    default:
      return undefined;
  }
}

export function liveTargetOf(e: Element): LiveTarget | undefined {
  const ref = refOf(e);
  return ref ? { context: e.context, kind: ref.kind, namespace: ref.namespace, name: ref.name } : undefined;
}

/** The Cluster an element belongs to, when the element knows it. */
export function clusterTargetOf(e: Element): ClusterTarget | undefined {
  switch (e.type) {
    case 'cluster':
    case 'controlPlane':
    case 'deployments':
    case 'machines':
    case 'infrastructure':
      return { context: e.context, namespace: e.cluster.ref.namespace, name: e.cluster.name };
    default:
      return undefined;
  }
}

/** True for the tree elements commands receive (a cheap shape check for `unknown` command arguments). */
export function isElement(value: unknown): value is Element {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && typeof (value as { context?: unknown }).context === 'string';
}
