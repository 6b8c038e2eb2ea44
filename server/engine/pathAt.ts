// The reverse of locate(): which field a text offset is in, for completion, hover and navigation.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { FieldPath } from './locate';
import type { ManifestDoc } from './manifest';

export interface PathAt {
  /** The path of the field whose key or value holds the offset. */
  readonly path: FieldPath;
  /** On the key (or on an empty line inside the map, where a new key goes) or on the value. */
  readonly on: 'key' | 'value';
  /** The scalar under the offset, with its range. */
  readonly scalar?: { readonly value: unknown; readonly start: number; readonly end: number };
}

function contains(node: Node | null | undefined, offset: number): node is Node {
  return !!node?.range && node.range[0] <= offset && offset <= node.range[1];
}

/** The field at a file offset inside `doc`; scalar ranges are file offsets too. */
export function pathAt(doc: ManifestDoc, fileOffset: number): PathAt {
  const found = pathAtInChunk(doc, fileOffset - doc.offset);
  const s = found.scalar;
  return s ? { ...found, scalar: { value: s.value, start: s.start + doc.offset, end: s.end + doc.offset } } : found;
}

function pathAtInChunk(doc: ManifestDoc, offset: number): PathAt {
  const path: (string | number)[] = [];
  let node: Node | null = doc.document.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => contains(p.key as Node | null, offset) || contains(p.value as Node | null, offset));
      if (!pair) return { path, on: 'key' };
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (contains(pair.key as Node | null, offset)) {
        const k = pair.key as Node;
        return { path: [...path, key], on: 'key', scalar: isScalar(k) && k.range ? { value: k.value, start: k.range[0], end: k.range[1] } : undefined };
      }
      path.push(key);
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item as Node | null, offset));
      if (index < 0) return { path, on: 'value' };
      path.push(index);
      node = node.items[index] as Node | null;
    } else if (isScalar(node) && node.range) {
      return { path, on: 'value', scalar: { value: node.value, start: node.range[0], end: node.range[1] } };
    } else {
      return { path, on: 'value' };
    }
  }
}
