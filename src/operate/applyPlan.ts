// Manifest text -> the objects to apply, in dependency order, each with where it came from. Documents that
// cannot be applied (YAML errors, no apiVersion/kind/name, clusterctl variables, duplicates) are problems
// that stop the apply before anything is sent.
import { parseManifest, type ManifestDoc } from '../../server/engine/manifest';
import type { KubeObject } from './objectApi';

export interface ManifestSource {
  /** The file (a URI string); the key diagnostics are reported under. */
  readonly uri: string;
  readonly text: string;
  /** Where `text` starts in the file: 0 for a whole file, the selection's offset for a selection. */
  readonly offset?: number;
}

export interface SourceLocation {
  readonly uri: string;
  readonly doc: ManifestDoc;
  readonly offset: number;
}

export interface PlannedObject {
  /** apiVersion group, kind, namespace (as written, '' when none) and name. */
  readonly key: string;
  readonly object: KubeObject;
  readonly source: SourceLocation;
}

export interface PlanProblem {
  readonly source: SourceLocation | { readonly uri: string; readonly offset: number; readonly start: number; readonly end: number };
  readonly message: string;
}

export interface ApplyPlan {
  readonly objects: readonly PlannedObject[];
  readonly problems: readonly PlanProblem[];
}

/**
 * Apply order: namespaces, then what others point to (credentials, pools, templates), then the objects that
 * point to them. Kinds not listed go last, in file order.
 */
const ORDER: readonly (readonly string[])[] = [
  ['Namespace'],
  ['CustomResourceDefinition'],
  ['ServiceAccount', 'ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding'],
  ['Secret', 'ConfigMap'],
  ['DCSIpHostnamePool'],
  ['DCSMachineTemplate', 'KubeadmConfigTemplate', 'KubeadmControlPlaneTemplate', 'DCSClusterTemplate'],
  ['ClusterClass'],
  ['DCSCluster'],
  ['KubeadmControlPlane'],
  ['Cluster'],
  ['MachineDeployment', 'MachineSet', 'MachinePool'],
  ['MachineHealthCheck', 'Machine', 'KubeadmConfig', 'DCSMachine'],
];

export function applyRank(kind: string): number {
  const rank = ORDER.findIndex((kinds) => kinds.includes(kind));
  return rank < 0 ? ORDER.length : rank;
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)/;

export function planApply(sources: readonly ManifestSource[]): ApplyPlan {
  const objects: PlannedObject[] = [];
  const problems: PlanProblem[] = [];
  const seen = new Map<string, PlannedObject>();
  for (const source of sources) {
    const offset = source.offset ?? 0;
    const manifest = parseManifest(source.text);
    for (const e of manifest.syntaxErrors) problems.push({ source: { uri: source.uri, offset, start: e.start, end: e.end }, message: `YAML: ${e.message}` });
    for (const doc of manifest.docs) {
      const location: SourceLocation = { uri: source.uri, doc, offset };
      if (!doc.object) continue; // empty documents, and documents with syntax errors (reported above)
      const missing = (['apiVersion', 'kind', 'metadata.name'] as const).filter((f) => (f === 'apiVersion' ? !doc.apiVersion : f === 'kind' ? !doc.kind : !doc.name));
      if (missing.length > 0) {
        problems.push({ source: location, message: `This document has no ${missing.join(', ')}: it is not a Kubernetes object.` });
        continue;
      }
      const variable = PLACEHOLDER.exec(JSON.stringify(doc.object));
      if (variable) {
        problems.push({ source: location, message: `\${${variable[1] ?? ''}} is a clusterctl variable: render the template (clusterctl generate cluster) before applying it.` });
        continue;
      }
      const object = doc.object as KubeObject;
      const key = objectKey(object);
      const earlier = seen.get(key);
      if (earlier) {
        problems.push({ source: location, message: `${object.kind} ${object.metadata.name} is defined twice in what is applied; keep one.` });
        continue;
      }
      const planned = { key, object, source: location };
      seen.set(key, planned);
      objects.push(planned);
    }
  }
  // Array.prototype.sort is stable: file order is kept within a rank.
  objects.sort((a, b) => applyRank(a.object.kind) - applyRank(b.object.kind));
  return { objects, problems };
}

export function objectKey(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : '';
  return `${group}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}
