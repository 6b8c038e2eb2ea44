import { LineCounter, parseAllDocuments, type Document } from 'yaml';

/** One YAML document of a manifest file, with what identifies the Kubernetes object in it. */
export interface ManifestDoc {
  readonly index: number;
  readonly apiVersion: string | undefined;
  readonly kind: string | undefined;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  readonly document: Document.Parsed;
}

export interface SyntaxProblem {
  readonly message: string;
  readonly offset: number;
  readonly length: number;
}

export interface ParsedManifest {
  readonly docs: ManifestDoc[];
  readonly syntaxErrors: SyntaxProblem[];
  readonly lineCounter: LineCounter;
}

/** A cheap test before parsing: Kubernetes manifests name an apiVersion and a kind at the top level. */
export function looksLikeKubernetesYaml(text: string): boolean {
  return /^apiVersion\s*:/m.test(text) && /^kind\s*:/m.test(text);
}

function scalarAt(doc: Document.Parsed, path: string[]): string | undefined {
  const value: unknown = doc.getIn(path);
  return typeof value === 'string' ? value : undefined;
}

export function parseManifest(text: string): ParsedManifest {
  const lineCounter = new LineCounter();
  // Parsing builds a node tree without expanding aliases; values are read with getIn, never toJS,
  // so an alias bomb costs no more than its text.
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [];
  const syntaxErrors: SyntaxProblem[] = [];
  const docs = list.map((document, index): ManifestDoc => {
    for (const e of document.errors) {
      syntaxErrors.push({ message: e.message, offset: e.pos[0], length: Math.max(1, e.pos[1] - e.pos[0]) });
    }
    return {
      index,
      apiVersion: scalarAt(document, ['apiVersion']),
      kind: scalarAt(document, ['kind']),
      name: scalarAt(document, ['metadata', 'name']),
      namespace: scalarAt(document, ['metadata', 'namespace']),
      document,
    };
  });
  return { docs, syntaxErrors, lineCounter };
}
