// Quick fixes for rule findings, as plain text edits (offsets) that any front end can apply.
import { isMap, isScalar, type Node } from 'yaml';
import type { CapiVersion } from '../../src/shared/gvk';
import { locate } from './locate';
import { schemaAt, type SchemaSource } from './schemaCompletion';
import { get, getNumber, getString } from './objects';
import type { Problem } from './validate';
import { skeletonFor } from './skeletons';
import type { IndexedObject, WorkspaceIndex } from './workspaceIndex';

export interface TextEdit {
  readonly uri: string;
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly ruleId: string;
  readonly edits: readonly TextEdit[];
  readonly preferred?: boolean;
}

function objectOf(index: WorkspaceIndex, uri: string, problem: Problem): IndexedObject | undefined {
  return index.file(uri)?.objects.find((o) => o.doc.start <= problem.start && problem.start <= o.doc.end);
}

function appendDocument(index: WorkspaceIndex, uri: string, yaml: string): TextEdit {
  const text = index.file(uri)?.text ?? '';
  const separator = text.endsWith('\n') ? '---\n' : '\n---\n';
  return { uri, start: text.length, end: text.length, newText: `${separator}${yaml}` };
}

/** `name-v3` -> `name-v4`, `name` -> `name-v2`, skipping names the workspace already uses. */
export function nextTemplateName(index: WorkspaceIndex, o: IndexedObject): string {
  const match = /^(.*)-v(\d+)$/.exec(o.name);
  const stem = match?.[1] ?? o.name;
  for (let n = match ? Number(match[2]) + 1 : 2; ; n++) {
    const candidate = `${stem}-v${n}`;
    if (index.find(o.group, o.kind, o.namespace, candidate).length === 0) return candidate;
  }
}

/** `capiVersion`: the version a created CAPI object is written in (the project's preference). */
export function fixesFor(index: WorkspaceIndex, uri: string, problem: Problem, schemas?: SchemaSource, capiVersion?: CapiVersion): Fix[] {
  const o = objectOf(index, uri, problem);
  if (!o) return [];
  switch (problem.ruleId) {
    case 'schema-required':
      return addRequiredFieldFix(o, problem, schemas);
    case 'ref-not-found': {
      const kind = getString(problem.data, ['kind']);
      const name = getString(problem.data, ['name']);
      const namespace = getString(problem.data, ['namespace']);
      const skeleton = kind && name && namespace ? skeletonFor(kind, name, namespace, capiVersion) : undefined;
      return skeleton && kind && name ? [{ title: `Create ${kind} ${name} in this file`, ruleId: problem.ruleId, edits: [appendDocument(index, uri, skeleton)], preferred: true }] : [];
    }
    case 'template-edited-in-place':
      return copyTemplateFix(index, o, problem);
    case 'version-format': {
      const value = problem.path ? get(o.object, problem.path) : undefined;
      return typeof value === 'string' && /^\d+\.\d+\.\d+/.test(value)
        ? [{ title: `Write v${value}`, ruleId: problem.ruleId, edits: [{ uri, start: problem.start, end: problem.end, newText: `v${value}` }], preferred: true }]
        : [];
    }
    case 'kcp-replicas-odd': {
      const replicas = getNumber(o.object, ['spec', 'replicas']);
      return replicas === undefined ? [] : [{ title: `Set replicas to ${replicas + 1}`, ruleId: problem.ruleId, edits: [{ uri, start: problem.start, end: problem.end, newText: String(replicas + 1) }] }];
    }
    default:
      return [];
  }
}

/** The immutable way to change a template: restore the original, add the edited copy under a new name, repoint. */
function copyTemplateFix(index: WorkspaceIndex, o: IndexedObject, problem: Problem): Fix[] {
  const text = index.file(o.uri)?.text ?? '';
  const original = index.baselineText(o);
  if (original === undefined) return [];
  const newName = nextTemplateName(index, o);
  const nameAt = locate(o.doc, ['metadata', 'name']);
  const edited = text.slice(o.doc.start, nameAt.start) + newName + text.slice(nameAt.end, o.doc.end);
  const restoreAndAppend: TextEdit = {
    uri: o.uri,
    start: o.doc.start,
    end: o.doc.end,
    newText: `${original.replace(/\n*$/, '\n')}---\n${edited.replace(/\n*$/, '\n')}`,
  };
  const repoints = index.referencesTo(o).map(({ from, ref }) => {
    const at = locate(from.doc, [...ref.path, 'name']);
    return { uri: from.uri, start: at.start, end: at.end, newText: newName };
  });
  return [
    {
      title: `Keep ${o.name} unchanged, save this spec as ${newName} and repoint ${repoints.length} reference(s)`,
      ruleId: problem.ruleId,
      edits: [restoreAndAppend, ...repoints],
      preferred: true,
    },
  ];
}

/** The value a new field starts with, from its schema type. */
function emptyValue(schema: Record<string, unknown> | undefined): string {
  switch (schema?.type) {
    case 'string':
      return Array.isArray(schema.enum) && typeof schema.enum[0] === 'string' ? schema.enum[0] : '""';
    case 'integer':
    case 'number':
      return '0';
    case 'boolean':
      return 'false';
    case 'array':
      return '[]';
    default:
      return '{}';
  }
}

/** Adds a missing required field at the end of its map, as a block line or inside a flow map. */
function addRequiredFieldFix(o: IndexedObject, problem: Problem, schemas: SchemaSource | undefined): Fix[] {
  const path = problem.path ?? [];
  const field = path[path.length - 1];
  if (typeof field !== 'string') return [];
  const parentPath = path.slice(0, -1);
  const parent = (parentPath.length === 0 ? o.doc.document.contents : o.doc.document.getIn(parentPath, true)) as Node | null | undefined;
  if (!isMap(parent) || !parent.range) return [];
  const root = schemas?.schemaFor(o.doc.apiVersion ?? '', o.doc.kind ?? '');
  const value = emptyValue(schemaAt(root, path));
  const chunk = o.doc.chunk;
  const at = (offset: number) => o.doc.offset + offset;
  let edit: TextEdit;
  if (parent.flow) {
    const close = chunk.lastIndexOf('}', parent.range[1]);
    edit = { uri: o.uri, start: at(close), end: at(close), newText: `${parent.items.length > 0 ? ', ' : ''}${field}: ${value}` };
  } else {
    const firstKey = parent.items[0]?.key;
    const keyStart = isScalar(firstKey) && firstKey.range ? firstKey.range[0] : parent.range[0];
    const indent = keyStart - (chunk.lastIndexOf('\n', keyStart - 1) + 1);
    const lineEnd = chunk.indexOf('\n', Math.max(parent.range[0], parent.range[1] - 1));
    const insertAt = lineEnd < 0 ? chunk.length : lineEnd + 1;
    const prefix = lineEnd < 0 ? '\n' : '';
    edit = { uri: o.uri, start: at(insertAt), end: at(insertAt), newText: `${prefix}${' '.repeat(indent)}${field}: ${value}\n` };
  }
  return [{ title: `Add the required field ${field}`, ruleId: problem.ruleId, edits: [edit], preferred: true }];
}
