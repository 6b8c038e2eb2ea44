// Multi-document YAML -> one ManifestDoc per document: what identifies the object, its plain value,
// and the parsed node tree that maps every field back to its exact range in the text.
import { LineCounter, parseAllDocuments, type Document } from 'yaml';

export interface ManifestDoc {
  readonly index: number;
  readonly apiVersion: string | undefined;
  readonly kind: string | undefined;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  /** The document as plain data, or undefined when it could not be converted (alias bomb, not a map). */
  readonly object: Record<string, unknown> | undefined;
  readonly document: Document.Parsed;
  /** Offsets of the whole document in the text. */
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
  readonly lineCounter: LineCounter;
}

/** Alias expansion bound: a "billion laughs" document fails conversion instead of exhausting memory. */
const MAX_ALIAS_COUNT = 100;

/** A cheap test before parsing: Kubernetes manifests name an apiVersion and a kind at the top level. */
export function looksLikeKubernetesYaml(text: string): boolean {
  return /^apiVersion\s*:/m.test(text) && /^kind\s*:/m.test(text);
}

function stringField(object: Record<string, unknown> | undefined, ...path: string[]): string | undefined {
  let value: unknown = object;
  for (const key of path) value = isRecord(value) ? value[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseManifest(text: string): ParsedManifest {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [];
  const syntaxErrors: SyntaxProblem[] = [];
  const docs = list.map((document, index): ManifestDoc => {
    for (const e of document.errors) {
      syntaxErrors.push({ message: e.message, start: e.pos[0], end: Math.max(e.pos[0] + 1, e.pos[1]) });
    }
    const object = toObject(document, syntaxErrors);
    const [start, , end] = document.range;
    return {
      index,
      apiVersion: stringField(object, 'apiVersion'),
      kind: stringField(object, 'kind'),
      name: stringField(object, 'metadata', 'name'),
      namespace: stringField(object, 'metadata', 'namespace'),
      object,
      document,
      start,
      end,
    };
  });
  return { docs, syntaxErrors, lineCounter };
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
