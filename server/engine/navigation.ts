// Go to definition and find references for the links between objects (infrastructureRef, configRef,
// controlPlaneRef, ipHostPoolRef, credentialSecretRef ...), across the workspace.
import { isDeepStrictEqual } from 'node:util';
import { locate } from './locate';
import { refsOf, type ObjectRef } from './objects';
import { pathAt } from './pathAt';
import type { IndexedObject, WorkspaceIndex } from './workspaceIndex';

export interface TextSpan {
  readonly uri: string;
  readonly start: number;
  readonly end: number;
}

function objectAt(index: WorkspaceIndex, uri: string, offset: number): IndexedObject | undefined {
  return index.file(uri)?.objects.find((o) => o.doc.start <= offset && offset <= o.doc.end);
}

function nameSpan(o: IndexedObject, path: readonly (string | number)[]): TextSpan {
  const at = locate(o.doc, path);
  return { uri: o.uri, start: at.start, end: at.end };
}

/** The reference whose name, kind or API field holds the offset. */
export function refAt(index: WorkspaceIndex, uri: string, offset: number): { from: IndexedObject; ref: ObjectRef } | undefined {
  const from = objectAt(index, uri, offset);
  if (!from) return undefined;
  const { path } = pathAt(from.doc, offset);
  const ref = refsOf(from.object).find((r) => isDeepStrictEqual(path.slice(0, r.path.length), [...r.path]) && path.length <= r.path.length + 1);
  return ref ? { from, ref } : undefined;
}

export function targetsOf(index: WorkspaceIndex, ref: ObjectRef): readonly IndexedObject[] {
  return index.find(ref.group, ref.kind, ref.namespace, ref.name);
}

export function definitionAt(index: WorkspaceIndex, uri: string, offset: number): TextSpan[] {
  const found = refAt(index, uri, offset);
  if (!found) return [];
  return targetsOf(index, found.ref).map((t) => nameSpan(t, ['metadata', 'name']));
}

/** On an object's name (or on a reference to it): every reference to that object, and optionally its name. */
export function referencesAt(index: WorkspaceIndex, uri: string, offset: number, includeDeclaration: boolean): TextSpan[] {
  const viaRef = refAt(index, uri, offset);
  const target = viaRef ? targetsOf(index, viaRef.ref)[0] : objectAt(index, uri, offset);
  if (!target) return [];
  const spans = index.referencesTo(target).map(({ from, ref }) => nameSpan(from, [...ref.path, 'name']));
  return includeDeclaration ? [nameSpan(target, ['metadata', 'name']), ...spans] : spans;
}
