// Field paths in the API server's notation: `spec.pool[1].ip` for fields and list indexes,
// `metadata.labels[app]` for map keys.
import { hasPlaceholder } from './clusterctlTemplate';
import type { PathSegment } from './celRule';
import type { JsonSchema } from './convert';

/** Splits an Ajv instancePath ("/spec/pool/1/ip") into segments, numbers where the data is a list. */
export function segmentsOf(instancePath: string, data: unknown): PathSegment[] {
  if (instancePath === '') return [];
  const segments: PathSegment[] = [];
  let current: unknown = data;
  for (const raw of instancePath.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current) && /^\d+$/.test(part)) {
      segments.push(Number(part));
      current = current[Number(part)];
    } else {
      segments.push(part);
      current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[part] : undefined;
    }
  }
  return segments;
}

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === 'object' && value !== null ? (value as JsonSchema) : undefined;
}

/** The child schema for a field name, looking through allOf; reports whether it is a map key. */
function childSchema(schema: JsonSchema | undefined, name: string): { schema: JsonSchema | undefined; isKey: boolean } {
  if (!schema) return { schema: undefined, isKey: false };
  const property = asSchema((schema.properties as Record<string, unknown> | undefined)?.[name]);
  if (property) return { schema: property, isKey: false };
  for (const part of (schema.allOf as unknown[] | undefined) ?? []) {
    const found = childSchema(asSchema(part), name);
    if (found.schema) return found;
  }
  const additional = asSchema(schema.additionalProperties);
  return { schema: additional, isKey: additional !== undefined };
}

/** Formats segments as the API server does, using the schema to tell map keys from field names. */
export function formatPath(schema: JsonSchema | undefined, segments: readonly PathSegment[]): string {
  let text = '';
  let current = schema;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      text += `[${String(segment)}]`;
      current = asSchema(current?.items);
      continue;
    }
    const { schema: next, isKey } = childSchema(current, segment);
    text += isKey ? `[${segment}]` : text === '' ? segment : `.${segment}`;
    current = next;
  }
  return text;
}

/**
 * True when a clusterctl `${VAR}` placeholder sits at the path, at one of its ancestors, or in one of
 * its keys: the value there is only known after variable substitution.
 */
export function pathTouchesPlaceholder(data: unknown, segments: readonly PathSegment[]): boolean {
  let current = data;
  for (const segment of segments) {
    if (hasPlaceholder(current) || hasPlaceholder(segment)) return true;
    if (typeof current !== 'object' || current === null) return false;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return hasPlaceholder(current);
}
