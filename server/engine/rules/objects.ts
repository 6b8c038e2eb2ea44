// Rules about objects as a whole: one definition per object, and CAPI's deprecated API version.
import { isDeepStrictEqual } from 'node:util';
import type { Finding, Rule } from '../rule';
import { keyOf, type IndexedObject, type WorkspaceIndex } from '../workspaceIndex';

/**
 * Each definition of `o`'s object mapped to the first definition with the same content: comparing with
 * one per distinct content, once per index version, keeps a Namespace repeated in 1,000 bundles linear.
 */
function sameContent(o: IndexedObject, index: WorkspaceIndex): { classes: ReadonlyMap<IndexedObject, IndexedObject>; distinct: number } {
  return index.derived(`duplicate-object\u0000${keyOf(o)}`, () => {
    const firsts: IndexedObject[] = [];
    const classes = new Map<IndexedObject, IndexedObject>();
    for (const x of index.find(o.group, o.kind, o.namespace, o.name)) {
      let first = firsts.find((f) => isDeepStrictEqual(f.object, x.object));
      if (!first) {
        first = x;
        firsts.push(x);
      }
      classes.set(x, first);
    }
    return { classes, distinct: firsts.length };
  });
}

export const duplicateObject: Rule = {
  id: 'duplicate-object',
  defaultSeverity: 'error',
  description: 'The same object (kind, namespace, name) is defined twice, with different content.',
  check(o: IndexedObject, index: WorkspaceIndex): Finding[] {
    // The same object written twice, identically (a Namespace in two bundles), applies the same way twice.
    const same = index.find(o.group, o.kind, o.namespace, o.name);
    if (same.every((x) => x === o)) return [];
    const { classes, distinct } = sameContent(o, index);
    const mine = classes.get(o); // undefined for an object checked without being indexed
    if (mine && distinct === 1) return [];
    const twins = same.filter((x) => x !== o && (mine ? classes.get(x) !== mine : !isDeepStrictEqual(x.object, o.object)));
    if (twins.length === 0) return [];
    const where = twins.map((t) => (t.uri === o.uri ? `document ${t.doc.index + 1} of this file` : t.uri.split('/').pop() ?? t.uri));
    return [{
      path: ['metadata', 'name'],
      message: `${o.kind} "${o.name}"${o.namespace ? ` in namespace ${o.namespace}` : ''} is also defined, differently, in ${where.join(', ')}; the last one applied wins. Keep one.`,
    }];
  },
};

/** CAPI's own groups serve v1beta1 until CAPI v1.16; the DCS provider's group serves v1beta1 only. */
const CAPI_GROUPS = new Set(['cluster.x-k8s.io', 'bootstrap.cluster.x-k8s.io', 'controlplane.cluster.x-k8s.io']);

export const deprecatedApiVersion: Rule = {
  id: 'deprecated-api-version',
  defaultSeverity: 'info',
  description: 'A CAPI object uses v1beta1, deprecated since CAPI v1.11 and no longer served from v1.16.',
  check(o: IndexedObject): Finding[] {
    if (!CAPI_GROUPS.has(o.group) || o.version !== 'v1beta1') return [];
    return [{
      path: ['apiVersion'],
      message: `${o.group}/v1beta1 is deprecated: CAPI stores v1beta2 since v1.11 and stops serving v1beta1 in v1.16. Move to ${o.group}/v1beta2.`,
    }];
  },
};
