// Completion that comes from the workspace rather than the schema: names a reference may point to,
// the kinds it accepts, Kubernetes versions, and the clusterctl variables already in use.
import { get, parseKubernetesVersion, refsOf, versionField, type RefExpectation } from './objects';
import { pathAt } from './pathAt';
import { findPlaceholders } from '../../src/shared/schema/clusterctlTemplate';
import type { WorkspaceIndex } from './workspaceIndex';

export type CompletionKind = 'reference' | 'kind' | 'version' | 'variable' | 'value' | 'field';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  /** Text to insert when it differs from the label. */
  readonly insertText?: string;
  readonly sortText?: string;
  /** The entry the editor selects first. */
  readonly preselect?: boolean;
}

/** Kubernetes releases CAPI v1.14 can run as workload clusters (newest patches known when this was written). */
export const KNOWN_KUBERNETES_VERSIONS = ['v1.36.3', 'v1.35.7', 'v1.34.5', 'v1.34.2', 'v1.33.9', 'v1.32.12', 'v1.31.14'];

export function workspaceCompletions(index: WorkspaceIndex, uri: string, offset: number): CompletionEntry[] {
  const file = index.file(uri);
  const text = file?.text ?? '';
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (/\$\{[A-Za-z0-9_]*$/.test(text.slice(lineStart, offset))) return variables(index);
  const at = valueAt(index, uri, offset);
  if (!at) return [];
  const { o, path, field, ref } = at;
  if (ref && field === 'name') {
    const targets = index.all().filter((x) => ref.expected.kinds.includes(x.kind) && x.group === ref.expected.group && x.namespace === o.namespace);
    const byName = new Map(targets.map((x) => [x.name, x]));
    return [...byName.values()].map((x) => ({ label: x.name, kind: 'reference' as const, detail: `${x.kind} in ${x.uri.split('/').pop() ?? ''}` }));
  }
  if (ref && field === 'kind') return ref.expected.kinds.map((k) => ({ label: k, kind: 'kind' as const }));
  const versionPath = versionField(o.kind);
  if (versionPath?.join('/') === path.join('/')) return versions(index);
  return [];
}

/** The name of a reference is being typed at `offset`: what it may point to, and the namespace it looks in. */
export function referenceNameAt(index: WorkspaceIndex, uri: string, offset: number): { expected: RefExpectation; namespace: string } | undefined {
  const at = valueAt(index, uri, offset);
  return at?.ref && at.field === 'name' ? { expected: at.ref.expected, namespace: at.o.namespace } : undefined;
}

/** The object and field whose value is at `offset`, and the reference that field belongs to, if any. */
function valueAt(index: WorkspaceIndex, uri: string, offset: number) {
  const o = index.file(uri)?.objects.find((x) => x.doc.start <= offset && offset <= x.doc.end);
  if (!o) return undefined;
  const at = pathAt(o.doc, offset);
  if (at.on !== 'value') return undefined;
  const parent = at.path.slice(0, -1);
  const ref = refsOf(o.object).find((r) => r.path.join('/') === parent.join('/')) ?? expectedRefAt(o.object, parent);
  return { o, path: at.path, field: at.path[at.path.length - 1], ref };
}

/** A reference field being typed has no name yet, so refsOf() does not list it: ask with a placeholder name. */
function expectedRefAt(object: Record<string, unknown>, parent: readonly (string | number)[]) {
  const probe = structuredClone(object);
  let cursor: unknown = probe;
  for (const key of parent) cursor = (cursor as Record<string | number, unknown> | undefined)?.[key];
  if (typeof cursor !== 'object' || cursor === null) return undefined;
  (cursor as Record<string, unknown>).name = '\u0000';
  return refsOf(probe).find((r) => r.path.join('/') === parent.join('/'));
}

function variables(index: WorkspaceIndex): CompletionEntry[] {
  const seen = new Map<string, string | undefined>();
  for (const uri of index.uris()) {
    for (const p of findPlaceholders(index.file(uri)?.text ?? '')) if (!seen.has(p.name) || p.defaultValue) seen.set(p.name, p.defaultValue);
  }
  return [...seen].map(([name, def]) => ({
    label: name,
    kind: 'variable' as const,
    detail: def === undefined ? 'clusterctl variable' : `clusterctl variable, default ${def}`,
  }));
}

function versions(index: WorkspaceIndex): CompletionEntry[] {
  const used = new Set<string>();
  for (const o of index.all()) {
    const path = versionField(o.kind);
    const value = path ? get(o.object, path) : undefined;
    if (typeof value === 'string' && parseKubernetesVersion(value)) used.add(value);
  }
  const all = [...new Set([...used, ...KNOWN_KUBERNETES_VERSIONS])];
  all.sort((a, b) => compareVersions(b, a));
  return all.map((v, i) => ({ label: v, kind: 'version' as const, detail: used.has(v) ? 'used in this workspace' : 'Kubernetes release', sortText: String(i).padStart(3, '0') }));
}

function compareVersions(a: string, b: string): number {
  const x = parseKubernetesVersion(a);
  const y = parseKubernetesVersion(b);
  if (!x || !y) return a.localeCompare(b);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}
