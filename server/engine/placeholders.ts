// A manifest value holding a clusterctl placeholder is a typed hole: it gets no type errors, and with
// known values it is substituted the way clusterctl would. The placeholders themselves are read by the
// shared module.
import { parse as parseYamlScalar } from 'yaml';
import { findPlaceholders, hasPlaceholder, substituteString, type Variables } from '../../src/shared/schema/clusterctlTemplate';
import { isRecord } from './manifest';

/** Substitutes through a whole object. A string that was one placeholder takes the type its text has in YAML. */
export function substituteObject(value: unknown, vars: Variables): unknown {
  if (typeof value === 'string') {
    if (findPlaceholders(value).length === 0) return value;
    const replaced = substituteString(value, vars);
    const whole = findPlaceholders(value);
    const onePlaceholder = whole.length === 1 && whole[0]?.start === 0 && whole[0].end === value.length;
    if (!onePlaceholder || hasPlaceholder(replaced)) return replaced;
    try {
      const typed: unknown = parseYamlScalar(replaced);
      return typeof typed === 'number' || typeof typed === 'boolean' ? typed : replaced;
    } catch {
      return replaced;
    }
  }
  if (Array.isArray(value)) return value.map((item) => substituteObject(item, vars));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteObject(v, vars)]));
  return value;
}
