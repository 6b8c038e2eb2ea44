// A DCSMachineTemplate for an upgrade: a copy of the one in use under a new name that never clashes, booting
// another DCS VM template. Templates are never edited in place: CAPI rolls out only when the name changes.
import { OperateAnnotations } from './ids';
import type { KubeObject } from './objectApi';
import { versionToken, type KubeVersion } from './versions';

const MAX_NAME = 253;

/**
 * "lab-b-cp-k8s1345" for v1.34.5 -> v1.35.2 becomes "lab-b-cp-k8s1352" (the version token in the name moves);
 * otherwise "-v2", "-v3"… is appended or counted up. Names in `taken` are skipped.
 */
export function newTemplateName(oldName: string, from: KubeVersion, to: KubeVersion, taken: ReadonlySet<string>): string {
  const [oldToken, newToken] = [versionToken(from), versionToken(to)];
  const at = oldName.lastIndexOf(oldToken);
  let candidate = oldToken !== newToken && at >= 0 ? `${oldName.slice(0, at)}${newToken}${oldName.slice(at + oldToken.length)}` : bump(oldName);
  while (taken.has(candidate) || candidate === oldName) candidate = bump(candidate);
  if (candidate.length > MAX_NAME) throw new Error(`the new template name for ${oldName} would be longer than ${MAX_NAME} characters`);
  return candidate;
}

function bump(name: string): string {
  const match = /^(.*)-v(\d+)$/.exec(name);
  return match ? `${match[1] ?? ''}-v${Number(match[2]) + 1}` : `${name}-v2`;
}

/** Fields the server or the controller own, never copied. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'ownerReferences', 'finalizers', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink'];
const MACHINE_IDENTITY = ['providerID', 'vmUrn'];

export function templateCopy(old: KubeObject, name: string, vmTemplateName: string): KubeObject {
  const metadata: Record<string, unknown> = structuredClone(old.metadata);
  for (const key of SERVER_METADATA) Reflect.deleteProperty(metadata, key);
  const annotations: Record<string, string> = { ...(old.metadata.annotations ?? {}) };
  Reflect.deleteProperty(annotations, 'kubectl.kubernetes.io/last-applied-configuration');
  annotations[OperateAnnotations.copiedFrom] = old.metadata.name;
  const spec = structuredClone(old.spec) as { template?: { spec?: Record<string, unknown> } } | undefined;
  const templateSpec = spec?.template?.spec ?? {};
  for (const key of MACHINE_IDENTITY) Reflect.deleteProperty(templateSpec, key);
  templateSpec.vmTemplateName = vmTemplateName;
  return {
    apiVersion: old.apiVersion,
    kind: old.kind,
    metadata: { ...metadata, name, annotations },
    spec: { ...spec, template: { ...spec?.template, spec: templateSpec } },
  };
}
