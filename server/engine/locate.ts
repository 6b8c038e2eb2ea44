// Maps a field path (["spec", "pool", 1, "ip"]) to the range of that field in a parsed YAML document.
// When the field does not exist (a missing required field), the range of its closest existing parent's key.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { ManifestDoc } from './manifest';

export type FieldPath = readonly (string | number)[];

export interface Located {
  readonly start: number;
  readonly end: number;
  /** True when the whole path exists; false when the range is that of an ancestor. */
  readonly exact: boolean;
}

/** Where to point: the key of a field (unknown field, missing child) or its value (wrong type, bad value). */
export type Target = 'key' | 'value';

/** The range (file offsets) of a field of a document. */
export function locate(doc: ManifestDoc, path: FieldPath, target: Target = 'value'): Located {
  const found = locateInChunk(doc, path, target);
  return { start: found.start + doc.offset, end: found.end + doc.offset, exact: found.exact };
}

function locateInChunk(doc: ManifestDoc, path: FieldPath, target: Target): Located {
  const { document, chunk: text } = doc;
  const root = document.contents;
  const docRange = document.range;
  let fallback: Located = { start: docRange[0], end: Math.min(docRange[1], docRange[0] + 1), exact: false };
  let node: Node | null = root;
  let keyRange: [number, number] | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (!node || segment === undefined) return fallback;
    if (keyRange) fallback = { start: keyRange[0], end: keyRange[1], exact: false };
    else if (node.range) fallback = { start: node.range[0], end: firstLineEnd(text, node.range[0], node.range[1]), exact: false };
    if (isMap(node)) {
      const pair: Pair | undefined = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return fallback;
      keyRange = isScalar(pair.key) && pair.key.range ? [pair.key.range[0], pair.key.range[1]] : undefined;
      node = (pair.value as Node | null) ?? null;
      if (!node && keyRange) return { start: keyRange[0], end: keyRange[1], exact: i === path.length - 1 };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (!item || isPair(item)) return fallback;
      keyRange = undefined;
      node = item as Node;
    } else {
      return fallback;
    }
  }
  if (target === 'key' && keyRange) return { start: keyRange[0], end: keyRange[1], exact: true };
  if (node?.range) {
    const [start, end] = node.range;
    // Collections span many lines: underline their first line only.
    const collection = isMap(node) || isSeq(node);
    return { start, end: collection ? firstLineEnd(text, start, end) : Math.max(end, start + 1), exact: true };
  }
  return keyRange ? { start: keyRange[0], end: keyRange[1], exact: true } : fallback;
}

function firstLineEnd(text: string, start: number, end: number): number {
  const newline = text.indexOf('\n', start);
  const lineEnd = newline < 0 ? end : Math.min(newline, end);
  return Math.max(start + 1, lineEnd);
}
