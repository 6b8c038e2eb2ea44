// Multi-document YAML -> one ManifestDoc per document: what identifies the object, its plain value,
// and the parsed node tree that maps every field back to its exact range in the text.
// The text is cut at document markers and each chunk is parsed on its own, so an edit re-parses only
// the chunk it touches (a ChunkCache keeps the others); node ranges are relative to their chunk.
// Two parsers: js-yaml reads the values fast; the `yaml` package's node tree, which maps fields to ranges,
// is built only when a range is asked for (a problem to place, a hover, a completion) or when js-yaml
// cannot read the chunk (then the `yaml` package reports the syntax errors with their ranges). Most problems
// are placed without it, from a light position map of the chunk (positions.ts).
import { CORE_SCHEMA, loadAll, Type } from 'js-yaml';
import { LineCounter, parseAllDocuments, parseDocument, type Document } from 'yaml';
import { scanPositions, type PositionMap } from './positions';

export interface ManifestDoc {
  readonly index: number;
  readonly apiVersion: string | undefined;
  readonly kind: string | undefined;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  /** The document as plain data, or undefined when it could not be converted (alias bomb, not a map). */
  readonly object: Record<string, unknown> | undefined;
  /** The parsed document; its node ranges count from `offset`. */
  readonly document: Document.Parsed;
  /** Field positions from a scan of the chunk's lines, built on first use; undefined when it is not plain block YAML. */
  readonly positions: PositionMap | undefined;
  /** Where the chunk holding this document starts in the file, and the chunk's text. */
  readonly offset: number;
  readonly chunk: string;
  /** Offsets of the whole document in the file. */
  readonly start: number;
  readonly end: number;
}

export interface SyntaxProblem {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface ParsedManifest {
  readonly docs: readonly ManifestDoc[];
  readonly syntaxErrors: readonly SyntaxProblem[];
}

/** Parsed chunks by their text: what stays the same between two versions of a file is parsed once. */
export type ChunkCache = Map<string, ParsedChunk>;

interface ChunkDoc {
  /** The node tree, built on first use. */
  readonly document: () => Document.Parsed;
  /** The position map, built on first use. */
  readonly positions: () => PositionMap | undefined;
  /** Where the document starts and ends in its chunk. */
  readonly start: number;
  readonly end: number;
  readonly object: Record<string, unknown> | undefined;
  readonly problems: readonly SyntaxProblem[];
}

export interface ParsedChunk {
  readonly docs: readonly ChunkDoc[];
}

/**
 * The YAML 1.2 core schema, as the `yaml` package reads it (timestamps stay strings), with `<<` merge keys,
 * which kubectl's YAML reader applies.
 */
const JS_YAML_SCHEMA = CORE_SCHEMA.extend({
  // js-yaml merges the keys that resolve to this tag (as its own `merge` type does; its typings do not export it).
  implicit: [new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' || data === null })],
});

/** Options of the `yaml` package's parser: exact ranges, duplicate keys reported, merge keys applied. */
export const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, merge: true } as const;

/** Alias expansion bound: a "billion laughs" document fails conversion instead of exhausting memory. */
const MAX_ALIAS_COUNT = 100;

/** More aliases than this in one chunk: read it with the `yaml` package, which bounds their expansion. */
const MAX_FAST_ALIASES = 20;
const ALIAS = /(?:^|[\s,[{:-])\*[^\s,[\]{}]+/g;

/** A document marker at column 0 always starts a new document, even after a block scalar. */
const DOCUMENT_MARKER = /^---(?=[ \t\r\n]|$)/gm;

/**
 * A cheap test before parsing: Kubernetes manifests name an apiVersion and a kind at the top level. A Helm
 * chart template is not one until `helm template` renders it: it is skipped, as other non-manifest YAML is.
 */
export function looksLikeKubernetesYaml(text: string): boolean {
  return /^apiVersion\s*:/m.test(text) && /^kind\s*:/m.test(text) && !hasGoTemplateActions(text);
}

/**
 * A Go template action as Helm charts write them: `{{ .Values.x }}`, `{{- if ... }}`, `{{ include ... }}`,
 * `{{/* ... *\/}}`. Not cloud-init's Jinja (`{{ ds.meta_data.hostname }}`), which CAPI bootstrap
 * configurations carry inside valid YAML strings.
 */
const GO_ACTION = /\{\{-?\s*(?:[.$]|\/\*|(?:if|else|end|range|with|define|template|block|include|tpl|toYaml|toJson|required|default|quote|printf|lookup|fail)\b)/;

/** Whether the text holds a Go template action outside YAML comments (a Helm chart template). */
export function hasGoTemplateActions(text: string): boolean {
  if (!text.includes('{{')) return false;
  for (const line of text.split('\n')) {
    if (!line.includes('{{')) continue;
    const comment = line.search(/(?:^|\s)#/);
    if (GO_ACTION.test(comment < 0 ? line : line.slice(0, comment))) return true;
  }
  return false;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(object: Record<string, unknown> | undefined, ...path: string[]): string | undefined {
  let value: unknown = object;
  for (const key of path) value = isRecord(value) ? value[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Offsets where chunks start: 0 and every document marker after it. */
function chunkStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(DOCUMENT_MARKER)) if (m.index > 0) starts.push(m.index);
  return starts;
}

function parseChunk(chunk: string): ParsedChunk {
  return fastChunk(chunk) ?? slowChunk(chunk);
}

/** js-yaml for a chunk of at most one document without many aliases; undefined when it cannot. */
function fastChunk(chunk: string): ParsedChunk | undefined {
  if ((chunk.match(ALIAS)?.length ?? 0) > MAX_FAST_ALIASES) return undefined;
  let values: unknown[];
  try {
    values = loadAll(chunk, null, { schema: JS_YAML_SCHEMA });
  } catch {
    return undefined;
  }
  if (values.length > 1) return undefined;
  if (values.length === 0 || values[0] === null || values[0] === undefined) return { docs: [] };
  const object = values[0];
  const marker = /^---[^\n]*\n?/.exec(chunk);
  const start = marker ? marker[0].length : 0;
  let tree: Document.Parsed | undefined;
  const document = () => (tree ??= parseDocument(chunk, { ...YAML_OPTIONS, lineCounter: new LineCounter() }));
  let map: PositionMap | undefined | null = null;
  const positions = () => (map === null ? (map = scanPositions(chunk)) : map);
  return { docs: [{ document, positions, start, end: chunk.length, object: isRecord(object) ? object : undefined, problems: [] }] };
}

/** How deep the chunk nests: block indentation levels plus open flow brackets (quotes not parsed: an estimate). */
function nestingDepth(chunk: string): number {
  let deepest = 0;
  let flow = 0;
  const indents: number[] = [];
  for (const line of chunk.split('\n')) {
    const indent = line.search(/[^ -]/);
    if (indent < 0 || line[indent] === '#') continue;
    while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= indent) indents.pop();
    indents.push(indent);
    for (const c of line) {
      if (c === '[' || c === '{') deepest = Math.max(deepest, indents.length + ++flow);
      else if (c === ']' || c === '}') flow = Math.max(0, flow - 1);
    }
    deepest = Math.max(deepest, indents.length + flow);
  }
  return deepest;
}

/** The parser's stack overflows as one problem per document, not one per node. */
function documentProblems(document: Document.Parsed, chunk: string): SyntaxProblem[] {
  const overflow = document.errors.find((e) => /call stack/i.test(e.message));
  if (overflow) return [{ message: `This document cannot be read: nesting too deep (${nestingDepth(chunk)} levels)`, start: document.range[0], end: document.range[0] + 1 }];
  return document.errors.map((e) => ({ message: e.message, start: e.pos[0], end: Math.max(e.pos[0] + 1, e.pos[1]) }));
}

function slowChunk(chunk: string): ParsedChunk {
  const documents = parseAllDocuments(chunk, { ...YAML_OPTIONS, lineCounter: new LineCounter() });
  const list = Array.isArray(documents) ? documents : [];
  return {
    docs: list.map((document) => {
      const problems = documentProblems(document, chunk);
      const [start, , end] = document.range;
      return { document: () => document, positions: () => undefined, start, end, object: toObject(document, problems), problems };
    }),
  };
}

/**
 * A document whose node tree is built on first use. A class, not an object literal with a getter: V8 keeps
 * such a literal as a dictionary (about 800 bytes per document, 40 MB for 50,000 documents).
 */
class LazyDoc implements ManifestDoc {
  readonly apiVersion: string | undefined;
  readonly kind: string | undefined;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  readonly object: Record<string, unknown> | undefined;
  readonly start: number;
  readonly end: number;
  private readonly tree: () => Document.Parsed;
  private readonly scan: () => PositionMap | undefined;

  constructor(readonly index: number, d: ChunkDoc, readonly offset: number, readonly chunk: string) {
    this.apiVersion = stringField(d.object, 'apiVersion');
    this.kind = stringField(d.object, 'kind');
    this.name = stringField(d.object, 'metadata', 'name');
    this.namespace = stringField(d.object, 'metadata', 'namespace');
    this.object = d.object;
    this.start = d.start + offset;
    this.end = d.end + offset;
    this.tree = d.document;
    this.scan = d.positions;
  }

  get document(): Document.Parsed {
    return this.tree();
  }

  get positions(): PositionMap | undefined {
    return this.scan();
  }
}

export function parseManifest(text: string, cache?: ChunkCache): ParsedManifest {
  const starts = chunkStarts(text);
  const docs: ManifestDoc[] = [];
  const syntaxErrors: SyntaxProblem[] = [];
  const used: ChunkCache = new Map();
  starts.forEach((offset, i) => {
    const chunk = text.slice(offset, starts[i + 1] ?? text.length);
    const parsed = cache?.get(chunk) ?? used.get(chunk) ?? parseChunk(chunk);
    used.set(chunk, parsed);
    for (const d of parsed.docs) {
      for (const p of d.problems) syntaxErrors.push({ message: p.message, start: p.start + offset, end: p.end + offset });
      docs.push(new LazyDoc(docs.length, d, offset, chunk));
    }
  });
  // Keep only this version's chunks: the cache never grows past one file's worth.
  if (cache) {
    cache.clear();
    for (const [k, v] of used) cache.set(k, v);
  }
  return { docs, syntaxErrors };
}

function toObject(document: Document.Parsed, problems: SyntaxProblem[]): Record<string, unknown> | undefined {
  if (document.errors.length > 0) return undefined;
  try {
    const value: unknown = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return isRecord(value) ? value : undefined;
  } catch (error) {
    const [start, end] = document.range;
    const reason = error instanceof Error ? error.message : String(error);
    problems.push({ message: `This document cannot be read: ${reason}`, start, end: Math.min(end, start + 1) });
    return undefined;
  }
}
