// Field paths as the API server writes them ("spec.pool[0].ip", ".spec.containers[name=\"x\"].image",
// "metadata.labels[app]") turned into segments that point into the object, for diagnostics at the field.

/** A key, an index, or a keyed-list selector `[name="x"]` (server-side apply's conflict paths use these). */
export type PathSegment = string | number | { readonly key: string; readonly value: string };

const TOKEN = String.raw`\.?([^.[\]]+)|\[([^\]]*)\]`;

export function parseFieldPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const text = path.trim();
  const token = new RegExp(TOKEN, 'y');
  while (token.lastIndex < text.length) {
    const match = token.exec(text);
    if (!match) break;
    const [, name, bracket] = match;
    if (name !== undefined) segments.push(name);
    else if (bracket !== undefined) segments.push(bracketSegment(bracket));
  }
  return segments;
}

function bracketSegment(inside: string): PathSegment {
  if (/^\d+$/.test(inside)) return Number(inside);
  const selector = /^([^=]+)=(.*)$/.exec(inside);
  if (selector?.[1] !== undefined && selector[2] !== undefined) {
    const raw = selector[2];
    let value = raw;
    try {
      value = String(JSON.parse(raw));
    } catch {
      // not JSON: the bare text
    }
    return { key: selector[1], value };
  }
  return inside;
}

/**
 * The segments as plain keys and indexes for this object: selectors become the index of the matching item.
 * Stops at the first segment that does not resolve (the deepest existing field is the best place to point).
 */
export function resolveFieldPath(object: unknown, segments: readonly PathSegment[]): (string | number)[] {
  const out: (string | number)[] = [];
  let value: unknown = object;
  for (const segment of segments) {
    if (typeof segment === 'object') {
      if (!Array.isArray(value)) break;
      const index = value.findIndex((item) => isRecord(item) && String(item[segment.key]) === segment.value);
      if (index < 0) break;
      out.push(index);
      value = value[index];
      continue;
    }
    out.push(segment);
    value = Array.isArray(value) && typeof segment === 'number' ? value[segment] : isRecord(value) ? value[String(segment)] : undefined;
  }
  return out;
}

export function formatFieldPath(segments: readonly PathSegment[]): string {
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : typeof s === 'object' ? `[${s.key}=${JSON.stringify(s.value)}]` : i === 0 ? s : `.${s}`))
    .join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
