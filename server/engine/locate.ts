// Maps a field path (["spec", "pool", 1, "ip"]) to the range of that field in a parsed YAML document.
// When the field does not exist (a missing required field), the range of its closest existing parent's key.
// From the chunk's position map when it answers (cheap), else from the `yaml` package's node tree; both give
// the same ranges (test/unit/engine/positions.test.ts).
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { ManifestDoc } from './manifest';
import type { PositionMap, PositionNode } from './positions';

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
  const map = doc.positions;
  const found = (map && locateInMap(map, path, target)) ?? locateInTree(doc, path, target);
  return { start: found.start + doc.offset, end: found.end + doc.offset, exact: found.exact };
}

/** As locateInTree, from a position map; undefined when the path goes through what the map does not read. */
export function locateInMap(root: PositionMap, path: FieldPath, target: Target): Located | undefined {
  let node: PositionNode = root;
  let keyRange: [number, number] | undefined;
  let fallback: Located | undefined;
  for (const segment of path) {
    if (node.kind === 'opaque') return undefined;
    fallback = keyRange ? { start: keyRange[0], end: keyRange[1], exact: false } : firstLine(node);
    if (!fallback) return undefined;
    if (node.kind === 'map') {
      const entry = node.entries.get(String(segment));
      if (!entry) return node.complete ? fallback : undefined;
      keyRange = [entry.keyStart, entry.keyEnd];
      node = entry.value;
    } else if (node.kind === 'seq' && typeof segment === 'number') {
      const item: PositionNode | undefined = node.items[segment];
      if (!item) return fallback;
      keyRange = undefined;
      node = item;
    } else {
      return fallback;
    }
  }
  if (target === 'key' && keyRange) return { start: keyRange[0], end: keyRange[1], exact: true };
  const at = firstLine(node);
  return at && { ...at, exact: true };
}

/** A node's range, only the first line of a collection; undefined when the map cannot tell. */
function firstLine(node: PositionNode): Located | undefined {
  if (node.kind === 'opaque') return undefined;
  if (node.kind === 'scalar') return { start: node.start, end: Math.max(node.end, node.start + 1), exact: false };
  return node.lineEnd < 0 ? undefined : { start: node.start, end: Math.max(node.start + 1, node.lineEnd), exact: false };
}

/** The range from the `yaml` package's node tree (built on first use), offsets in the chunk. */
export function locateInTree(doc: ManifestDoc, path: FieldPath, target: Target): Located {
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
