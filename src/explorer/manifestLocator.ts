// Finds the YAML document that defines an object (same kind, name and namespace) in a file's text.
// Pure, so the reveal command's matching is unit-tested; the command only finds and opens files.
import { isMap, LineCounter, parseAllDocuments } from 'yaml';

export interface ManifestTarget {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

export interface ManifestMatch {
  /** Zero-based position of the document's first key. */
  readonly line: number;
  readonly character: number;
  /** True when the document names the namespace; false when it names none (applied with -n). */
  readonly namespaceMatched: boolean;
}

export function findManifest(text: string, target: ManifestTarget): ManifestMatch | undefined {
  // Most files do not mention the name at all: skip parsing them.
  if (!text.includes(target.name) || !text.includes(target.kind)) return undefined;
  const lineCounter = new LineCounter();
  let fallback: ManifestMatch | undefined;
  for (const doc of parseAllDocuments(text, { lineCounter, uniqueKeys: false })) {
    if (!isMap(doc.contents)) continue;
    const kind: unknown = doc.get('kind');
    const name: unknown = doc.getIn(['metadata', 'name']);
    const namespace: unknown = doc.getIn(['metadata', 'namespace']);
    if (kind !== target.kind || name !== target.name) continue;
    if (namespace !== undefined && namespace !== null && namespace !== target.namespace) continue;
    const pos = lineCounter.linePos(doc.contents.range[0]);
    const match = { line: pos.line - 1, character: pos.col - 1, namespaceMatched: namespace === target.namespace };
    if (match.namespaceMatched) return match;
    fallback ??= match;
  }
  return fallback;
}
