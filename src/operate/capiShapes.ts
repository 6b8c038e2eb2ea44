// Where CAPI objects keep the fields an upgrade or a rollout action touches, in the v1beta2 shape and the
// v1beta1 one. The lab serves both versions without conversion, so the shape is read from the content.
import { get, getString } from '../../server/engine/objects';
import type { KubeObject } from './objectApi';

export type CapiShape = 'v1beta2' | 'v1beta1';

/** The shape of a KubeadmControlPlane or MachineDeployment as stored (not as its apiVersion claims). */
export function shapeOf(object: KubeObject): CapiShape {
  if (object.kind === 'KubeadmControlPlane') {
    if (get(object, ['spec', 'machineTemplate', 'infrastructureRef']) !== undefined) return 'v1beta1';
    if (get(object, ['spec', 'machineTemplate', 'spec']) !== undefined) return 'v1beta2';
  } else if (object.kind === 'MachineDeployment') {
    const ref = get(object, ['spec', 'template', 'spec', 'infrastructureRef']);
    if (typeof ref === 'object' && ref !== null) return 'apiVersion' in ref ? 'v1beta1' : 'v1beta2';
  }
  return object.apiVersion.endsWith('/v1beta1') ? 'v1beta1' : 'v1beta2';
}

/** The apiVersion to send a patch with, so the server reads it in the shape it is written in. */
export function apiVersionForShape(object: KubeObject): string {
  const group = object.apiVersion.slice(0, object.apiVersion.indexOf('/'));
  return `${group}/${shapeOf(object)}`;
}

/** Path of the infrastructure template reference (KCP or MD). */
export function infraRefPath(object: KubeObject): readonly string[] {
  if (object.kind === 'KubeadmControlPlane') {
    return shapeOf(object) === 'v1beta1' ? ['spec', 'machineTemplate', 'infrastructureRef'] : ['spec', 'machineTemplate', 'spec', 'infrastructureRef'];
  }
  return ['spec', 'template', 'spec', 'infrastructureRef'];
}

export function versionPath(object: KubeObject): readonly string[] {
  return object.kind === 'KubeadmControlPlane' ? ['spec', 'version'] : ['spec', 'template', 'spec', 'version'];
}

export interface TemplateRef {
  readonly kind: string;
  readonly name: string;
}

export function infraRefOf(object: KubeObject): TemplateRef | undefined {
  const path = infraRefPath(object);
  const name = getString(object, [...path, 'name']);
  return name ? { kind: getString(object, [...path, 'kind']) ?? '', name } : undefined;
}

export function versionOf(object: KubeObject): string | undefined {
  return getString(object, versionPath(object));
}

/** Path of spec.rollout.after (v1beta2) or spec.rolloutAfter (v1beta1). */
export function rolloutAfterPath(object: KubeObject): readonly string[] {
  return shapeOf(object) === 'v1beta1' ? ['spec', 'rolloutAfter'] : ['spec', 'rollout', 'after'];
}

/** A merge patch that sets `value` at `path` (nested objects; merge patches replace lists whole). */
export function patchAt(path: readonly string[], value: unknown): Record<string, unknown> {
  let patch: unknown = value;
  for (const key of [...path].reverse()) patch = { [key]: patch };
  return patch as Record<string, unknown>;
}

/** Deep merge of merge patches (objects only), for one request that sets several fields. */
export function mergePatches(...patches: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const patch of patches) {
    for (const [key, value] of Object.entries(patch)) {
      const existing = out[key];
      out[key] = isRecord(existing) && isRecord(value) ? mergePatches(existing, value) : value;
    }
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
