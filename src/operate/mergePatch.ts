// JSON merge patches (RFC 7386): apply one, and compute the one that turns an object into another. The
// upgrade planner shows whole objects for people to edit and sends the difference, as the upgrade does.
import { canonical } from './diff';

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `target` with `patch` applied: null deletes a key, objects merge, anything else replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isRecord(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(out, key);
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

/** The merge patch from `before` to `after` (objects): {} when they are equal whatever their key order. Lists are replaced whole. */
export function mergePatchBetween(before: Record<string, Json>, after: Record<string, Json>): Record<string, Json> {
  const patch: Record<string, Json> = {};
  for (const key of Object.keys(before)) if (!(key in after)) patch[key] = null;
  for (const [key, value] of Object.entries(after)) {
    const old = before[key];
    if (isRecord(old) && isRecord(value)) {
      const inner = mergePatchBetween(old, value);
      if (Object.keys(inner).length > 0) patch[key] = inner;
    } else if (canonical(old) !== canonical(value)) patch[key] = structuredClone(value);
  }
  return patch;
}
