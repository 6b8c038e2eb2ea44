// Completion from the schema catalog: the fields a map may still take (with their docs), enum values,
// and apiVersion/kind pairs. The cursor's place is found by parsing the document again with a marker key
// where the cursor is, so half-typed lines and empty lines resolve to the right field path.
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { isCapiOwnGroup, parseApiVersion, type CapiVersion } from '../../src/shared/gvk';
import type { CompletionEntry } from './completion';
import type { FieldPath } from './locate';
import { isRecord, type ManifestDoc } from './manifest';
import { get } from './objects';

export type JsonSchema = Record<string, unknown>;

/** What completion and hover need of a schema catalog. */
export interface SchemaSource {
  schemaFor(apiVersion: string, kind: string): JsonSchema | undefined;
  kinds(): readonly { readonly apiVersion: string; readonly kind: string }[];
}

const MARKER = 'capiDcsCursorMarker';

interface CursorContext {
  /** The document as it parses with the marker line: the cursor's line may not parse as typed. */
  readonly object: Record<string, unknown>;
  readonly parent: FieldPath;
  /** Set when the cursor is in the value of this key. */
  readonly key?: string;
  readonly typed: string;
}

function findMarker(node: Node | null | undefined, path: (string | number)[]): (string | number)[] | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === MARKER) return path;
      const found = findMarker(pair.value as Node | null, [...path, key]);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const found = findMarker(node.items[i] as Node | null, [...path, i]);
      if (found) return found;
    }
  }
  return undefined;
}

export function cursorContext(doc: ManifestDoc, offset: number): CursorContext | undefined {
  const text = doc.chunk;
  const rel = offset - doc.offset;
  const lineStart = text.lastIndexOf('\n', rel - 1) + 1;
  const nextNewline = text.indexOf('\n', rel);
  const lineEnd = nextNewline < 0 ? text.length : nextNewline;
  const prefix = text.slice(lineStart, rel);
  const value = /^(\s*(?:- )?)([^\s:#'"{}[\],-][^:#]*?):[ \t]+(\S*)$/.exec(prefix);
  const key = value ? undefined : /^(\s*(?:- )?)([\w./-]*)$/.exec(prefix);
  const lead = value?.[1] ?? key?.[1];
  if (lead === undefined) return undefined;
  const probe = `${text.slice(0, lineStart)}${lead}${MARKER}: x\n${text.slice(lineEnd + 1)}`;
  const parsed = parseDocument(probe, { uniqueKeys: false, merge: true });
  const parent = findMarker(parsed.contents, []);
  if (!parent) return undefined;
  let object: unknown;
  try {
    object = parsed.toJS({ maxAliasCount: 100 });
  } catch {
    object = undefined;
  }
  const base = { object: isRecord(object) ? object : {}, parent };
  return value ? { ...base, key: value[2], typed: value[3] ?? '' } : { ...base, typed: key?.[2] ?? '' };
}

/** The schema of the value at `path`, following properties, items, additionalProperties and allOf/anyOf. */
export function schemaAt(root: JsonSchema | undefined, path: FieldPath): JsonSchema | undefined {
  let schema = root;
  for (const segment of path) {
    if (!schema) return undefined;
    const props = schema.properties as Record<string, JsonSchema> | undefined;
    if (typeof segment === 'number') schema = schema.items as JsonSchema | undefined;
    else schema = props?.[segment] ?? (isRecord(schema.additionalProperties) ? schema.additionalProperties : undefined);
    if (schema && !schema.properties && !schema.items) {
      const variants = [...((schema.allOf as JsonSchema[] | undefined) ?? []), ...((schema.anyOf as JsonSchema[] | undefined) ?? [])];
      schema = variants.find((v) => v.properties ?? v.items) ?? schema;
    }
  }
  return schema;
}

function typeOf(schema: JsonSchema): string {
  const type = schema.type;
  if (Array.isArray(type)) return type.join(' | ');
  if (typeof type === 'string') return type;
  return schema['x-kubernetes-int-or-string'] ? 'integer | string' : 'any';
}

function fieldEntries(schema: JsonSchema, present: readonly string[], indent: string): CompletionEntry[] {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(props)
    .filter(([name]) => !present.includes(name) && name !== 'status')
    .map(([name, s]) => {
      const type = typeOf(s);
      const nested = type === 'object' && s.properties ? `\n${indent}  ` : type === 'array' ? `\n${indent}- ` : ' ';
      return {
        label: name,
        kind: 'field' as const,
        detail: `${type}${required.has(name) ? ' (required)' : ''}`,
        documentation: typeof s.description === 'string' ? s.description : undefined,
        insertText: `${name}:${nested}`,
        sortText: `${required.has(name) ? '0' : '1'}${name}`,
      };
    });
}

/** Completion at a file offset; `doc` undefined means an empty file (or an empty document). */
export function schemaCompletions(source: SchemaSource, doc: ManifestDoc | undefined, offset: number, preferred: CapiVersion = 'v1beta2'): CompletionEntry[] {
  if (!doc) return kindEntries(source, preferred);
  const context = cursorContext(doc, offset);
  if (!context) return [];
  const { object } = context;
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : undefined;
  const kind = typeof object.kind === 'string' ? object.kind : undefined;
  const root = apiVersion && kind ? source.schemaFor(apiVersion, kind) : undefined;
  if (context.key !== undefined && context.parent.length === 0 && (context.key === 'apiVersion' || context.key === 'kind')) {
    return identityEntries(source, apiVersion, kind, context.key, preferred);
  }
  if (context.key === undefined && context.parent.length === 0 && !root) return kindEntries(source, preferred);
  return entriesAt(root, context, doc, offset);
}

/** Completion in a YAML file described by one schema (a configuration file rather than a manifest). */
export function rootSchemaCompletions(root: JsonSchema, doc: ManifestDoc | undefined, offset: number): CompletionEntry[] {
  if (!doc) return fieldEntries(root, [], '');
  const context = cursorContext(doc, offset);
  return context ? entriesAt(root, context, doc, offset) : [];
}

/** The fields a map may still take, or the values of the key the cursor is in. */
function entriesAt(root: JsonSchema | undefined, context: CursorContext, doc: ManifestDoc, offset: number): CompletionEntry[] {
  if (context.key !== undefined) return valueEntries(schemaAt(root, [...context.parent, context.key]));
  const schema = schemaAt(root, context.parent);
  if (!schema?.properties) return [];
  const here = get(context.object, context.parent);
  const present = isRecord(here) ? Object.keys(here) : [];
  const lineIndent = ' '.repeat(doc.chunk.slice(doc.chunk.lastIndexOf('\n', offset - doc.offset - 1) + 1).search(/\S|$/));
  return fieldEntries(schema, present, lineIndent);
}

/** A CAPI group in the version the project does not prefer ranks after everything else. */
function rank(apiVersion: string, preferred: CapiVersion): string {
  const { group, version } = parseApiVersion(apiVersion);
  return isCapiOwnGroup(group) && version !== preferred ? '1' : '0';
}

function identityEntries(source: SchemaSource, apiVersion: string | undefined, kind: string | undefined, key: 'apiVersion' | 'kind', preferred: CapiVersion): CompletionEntry[] {
  if (key === 'apiVersion') {
    const versions = [...new Set(source.kinds().filter((k) => !kind || k.kind === kind).map((k) => k.apiVersion))];
    // With the kind written, the version the project prefers is selected: Enter takes it.
    const chosen = kind ? versions.find((v) => rank(v, preferred) === '0') : undefined;
    return versions.map((v) => ({ label: v, kind: 'value' as const, sortText: `${rank(v, preferred)}${v}`, preselect: v === chosen || undefined }));
  }
  return source
    .kinds()
    .filter((k) => !apiVersion || k.apiVersion === apiVersion)
    .map((k) => ({ label: k.kind, kind: 'kind' as const, detail: k.apiVersion }));
}

function valueEntries(schema: JsonSchema | undefined): CompletionEntry[] {
  if (!schema) return [];
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => ({ label: String(v), kind: 'value' as const }));
  if (schema.type === 'boolean') return ['true', 'false'].map((label) => ({ label, kind: 'value' as const }));
  return [];
}

function kindEntries(source: SchemaSource, preferred: CapiVersion): CompletionEntry[] {
  return source.kinds().map((k) => ({
    label: `${k.kind} (${k.apiVersion})`,
    kind: 'kind' as const,
    detail: 'new object',
    insertText: `apiVersion: ${k.apiVersion}\nkind: ${k.kind}\nmetadata:\n  name: `,
    sortText: `${rank(k.apiVersion, preferred)}${k.kind.startsWith('DCS') ? '0' : '1'}${k.kind}`,
  }));
}
