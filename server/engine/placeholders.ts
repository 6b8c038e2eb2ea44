// A manifest value holding a clusterctl placeholder is a typed hole: it gets no type errors, and with
// known values it is substituted the way clusterctl would. The placeholders themselves are read by the
// shared module.
import { isScalar, parse as parseYamlScalar, Scalar } from 'yaml';
import { findPlaceholders, hasPlaceholder, substituteString, type Variables } from '../../src/shared/schema/clusterctlTemplate';
import type { FieldPath } from './locate';
import { isRecord, type ManifestDoc } from './manifest';

/**
 * Substitutes through a whole object. A plain (unquoted) scalar that was one placeholder takes the type its
 * new text has in YAML, as clusterctl's substitute-then-parse gives; a quoted one stays a string.
 * `isPlain` tells whether the scalar at a path was written unquoted (asked only when the type would change).
 */
export function substituteObject(value: unknown, vars: Variables, isPlain: (path: FieldPath) => boolean = () => true, path: FieldPath = []): unknown {
  if (typeof value === 'string') {
    if (findPlaceholders(value).length === 0) return value;
    const replaced = substituteString(value, vars);
    const whole = findPlaceholders(value);
    const onePlaceholder = whole.length === 1 && whole[0]?.start === 0 && whole[0].end === value.length;
    if (!onePlaceholder || hasPlaceholder(replaced)) return replaced;
    try {
      const typed: unknown = parseYamlScalar(replaced);
      return (typeof typed === 'number' || typeof typed === 'boolean') && isPlain(path) ? typed : replaced;
    } catch {
      return replaced;
    }
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteObject(item, vars, isPlain, [...path, i]));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteObject(v, vars, isPlain, [...path, k])]));
  return value;
}

/** A document's object as `clusterctl generate cluster` would render it with these values. */
export function renderedObject(doc: ManifestDoc, vars: Variables): Record<string, unknown> | undefined {
  if (!doc.object || !doc.chunk.includes('${')) return doc.object;
  // The node tree is built only when a substituted value would stop being a string.
  const isPlain = (path: FieldPath) => {
    const node = doc.document.getIn(path, true);
    return !isScalar(node) || node.type === Scalar.PLAIN;
  };
  return substituteObject(doc.object, vars, isPlain) as Record<string, unknown>;
}
