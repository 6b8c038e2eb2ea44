// What an apply changes: the live object and the dry-run result, with the fields the server owns removed
// (managedFields, resourceVersion, uid, generation, timestamps, status) and Secret values masked, as YAML
// texts for a diff editor, plus whether anything would change at all.
import { stringify } from 'yaml';
import type { KubeObject } from './objectApi';

const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink'];
const NOISE_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

/** The object as people compare it: only what they write. */
export function comparable(object: KubeObject | undefined): Record<string, unknown> | undefined {
  if (!object) return undefined;
  const { status: _status, metadata, ...rest } = object;
  const meta: Record<string, unknown> = { ...metadata };
  for (const key of SERVER_METADATA) Reflect.deleteProperty(meta, key);
  if (isRecord(meta.annotations)) {
    const annotations = { ...meta.annotations };
    for (const key of NOISE_ANNOTATIONS) Reflect.deleteProperty(annotations, key);
    if (Object.keys(annotations).length === 0) Reflect.deleteProperty(meta, 'annotations');
    else meta.annotations = annotations;
  }
  return { ...rest, metadata: meta };
}

export function isUnchanged(live: KubeObject | undefined, result: KubeObject): boolean {
  return live !== undefined && canonical(comparable(live)) === canonical(comparable(result));
}

export interface DiffTexts {
  readonly live: string;
  readonly result: string;
}

/** YAML of both sides; Secret values become *** (or *** (before) / *** (after) where they differ). */
export function diffTexts(live: KubeObject | undefined, result: KubeObject): DiffTexts {
  let before = comparable(live);
  let after = comparable(result);
  if (result.kind === 'Secret' && result.apiVersion === 'v1') [before, after] = maskSecrets(before, after);
  return { live: before ? toYaml(before) : '', result: after ? toYaml(after) : '' };
}

export function toYaml(value: unknown): string {
  return stringify(value, { sortMapEntries: true, lineWidth: 0 });
}

function maskSecrets(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): [Record<string, unknown> | undefined, Record<string, unknown> | undefined] {
  const mask = (side: Record<string, unknown> | undefined, other: Record<string, unknown> | undefined, label: string): Record<string, unknown> | undefined => {
    if (!side) return side;
    const out = { ...side };
    for (const field of ['data', 'stringData']) {
      const values = side[field];
      if (!isRecord(values)) continue;
      const otherValues = isRecord(other?.[field]) ? other[field] : {};
      out[field] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, k in otherValues && otherValues[k] !== v ? `*** (${label})` : '***']));
    }
    return out;
  };
  return [mask(before, after, 'before'), mask(after, before, 'after')];
}

/** JSON with sorted keys: equal for equal values whatever the key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (isRecord(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
