// Reading CAPI and DCS objects of either API version: references, versions, replicas, cluster names.
// Plain functions over plain objects, so rules stay short and the CLI and the server read alike.
import { parseApiVersion } from '../../src/shared/gvk';
import type { FieldPath } from './locate';
import { isRecord } from './manifest';

export function get(object: unknown, path: FieldPath): unknown {
  let value: unknown = object;
  for (const key of path) {
    if (Array.isArray(value) && typeof key === 'number') value = value[key];
    else if (isRecord(value) && typeof key === 'string') value = value[key];
    else return undefined;
  }
  return value;
}

export function getString(object: unknown, path: FieldPath): string | undefined {
  const value = get(object, path);
  return typeof value === 'string' ? value : undefined;
}

export function getNumber(object: unknown, path: FieldPath): number | undefined {
  const value = get(object, path);
  return typeof value === 'number' ? value : undefined;
}

/** What a reference field expects at the other end. */
export interface RefExpectation {
  readonly group: string;
  readonly kinds: readonly string[];
}

/** A reference from one object to another, read from either form (v1beta1 apiVersion or v1beta2 apiGroup). */
export interface ObjectRef {
  readonly path: FieldPath;
  readonly field: string;
  readonly group: string;
  readonly version: string | undefined;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly expected: RefExpectation;
}

const INFRA = 'infrastructure.cluster.x-k8s.io';
const CP = 'controlplane.cluster.x-k8s.io';
const BOOTSTRAP = 'bootstrap.cluster.x-k8s.io';

interface RefSpec {
  readonly path: FieldPath;
  readonly expected: RefExpectation;
  /** Name-only references (DCS kinds) have a fixed target kind and group. */
  readonly nameOnly?: { readonly group: string; readonly kind: string };
}

function refSpecs(kind: string, version: string): RefSpec[] {
  switch (kind) {
    case 'Cluster':
      return [
        { path: ['spec', 'infrastructureRef'], expected: { group: INFRA, kinds: ['DCSCluster'] } },
        { path: ['spec', 'controlPlaneRef'], expected: { group: CP, kinds: ['KubeadmControlPlane'] } },
      ];
    case 'KubeadmControlPlane':
      return [
        {
          path: version === 'v1beta1' ? ['spec', 'machineTemplate', 'infrastructureRef'] : ['spec', 'machineTemplate', 'spec', 'infrastructureRef'],
          expected: { group: INFRA, kinds: ['DCSMachineTemplate'] },
        },
      ];
    case 'MachineDeployment':
    case 'MachineSet':
      return [
        { path: ['spec', 'template', 'spec', 'bootstrap', 'configRef'], expected: { group: BOOTSTRAP, kinds: ['KubeadmConfigTemplate'] } },
        { path: ['spec', 'template', 'spec', 'infrastructureRef'], expected: { group: INFRA, kinds: ['DCSMachineTemplate'] } },
      ];
    case 'Machine':
      return [
        { path: ['spec', 'bootstrap', 'configRef'], expected: { group: BOOTSTRAP, kinds: ['KubeadmConfig'] } },
        { path: ['spec', 'infrastructureRef'], expected: { group: INFRA, kinds: ['DCSMachine'] } },
      ];
    case 'DCSCluster':
      return [{ path: ['spec', 'credentialSecretRef'], expected: { group: '', kinds: ['Secret'] }, nameOnly: { group: '', kind: 'Secret' } }];
    case 'DCSMachineTemplate':
      return [pool(['spec', 'template', 'spec', 'ipHostPoolRef'])];
    case 'DCSMachine':
      return [pool(['spec', 'ipHostPoolRef'])];
    default:
      return [];
  }
}

function pool(path: FieldPath): RefSpec {
  return { path, expected: { group: INFRA, kinds: ['DCSIpHostnamePool'] }, nameOnly: { group: INFRA, kind: 'DCSIpHostnamePool' } };
}

/** The references an object makes, with the namespace each one resolves in. */
/** References by object: parsed objects are never changed, and an edit keeps the objects of the documents it does not touch. */
const refsCache = new WeakMap<object, readonly ObjectRef[]>();

export function refsOf(object: Record<string, unknown>): readonly ObjectRef[] {
  let refs = refsCache.get(object);
  if (!refs) refsCache.set(object, (refs = findRefs(object)));
  return refs;
}

function findRefs(object: Record<string, unknown>): ObjectRef[] {
  const apiVersion = getString(object, ['apiVersion']);
  const kind = getString(object, ['kind']);
  if (!apiVersion || !kind) return [];
  const { version } = parseApiVersion(apiVersion);
  const ownNamespace = getString(object, ['metadata', 'namespace']) ?? 'default';
  const refs: ObjectRef[] = [];
  for (const spec of refSpecs(kind, version)) {
    const ref = get(object, spec.path);
    if (!isRecord(ref)) continue;
    const name = getString(ref, ['name']);
    if (!name) continue;
    const field = String(spec.path[spec.path.length - 1]);
    if (spec.nameOnly) {
      refs.push({ path: spec.path, field, ...spec.nameOnly, version: undefined, name, namespace: ownNamespace, expected: spec.expected });
      continue;
    }
    const refKind = getString(ref, ['kind']) ?? '';
    const refApiVersion = getString(ref, ['apiVersion']);
    const parsed = refApiVersion ? parseApiVersion(refApiVersion) : { group: getString(ref, ['apiGroup']) ?? '', version: undefined };
    refs.push({
      path: spec.path,
      field,
      group: parsed.group,
      version: parsed.version,
      kind: refKind,
      name,
      namespace: getString(ref, ['namespace']) ?? ownNamespace,
      expected: spec.expected,
    });
  }
  return refs;
}

export interface ParsedVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** `v1.34.5` or `v1.34.5-3` (Alauda's build suffix) -> numbers; undefined for anything else. */
export function parseKubernetesVersion(value: unknown): ParsedVersion | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^v(\d+)\.(\d+)\.(\d+)([-+].*)?$/.exec(value);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** The Kubernetes version a control plane or worker object asks for, and where it is written. */
export function versionField(kind: string): FieldPath | undefined {
  switch (kind) {
    case 'KubeadmControlPlane':
      return ['spec', 'version'];
    case 'MachineDeployment':
    case 'MachineSet':
      return ['spec', 'template', 'spec', 'version'];
    case 'Machine':
      return ['spec', 'version'];
    default:
      return undefined;
  }
}

/** The cluster an object belongs to: its clusterName, else its cluster-name label. */
export function clusterNameOf(object: Record<string, unknown>): string | undefined {
  return getString(object, ['spec', 'clusterName']) ?? getString(object, ['metadata', 'labels', 'cluster.x-k8s.io/cluster-name']);
}

/** maxSurge of a MachineDeployment (v1beta1 spec.strategy, v1beta2 spec.rollout.strategy) or a KCP, resolved to a count. */
export function maxSurgeOf(object: Record<string, unknown>, replicas: number): number {
  const kind = getString(object, ['kind']);
  const candidates: FieldPath[] =
    kind === 'KubeadmControlPlane'
      ? [['spec', 'rolloutStrategy', 'rollingUpdate', 'maxSurge'], ['spec', 'rollout', 'strategy', 'rollingUpdate', 'maxSurge']]
      : [['spec', 'strategy', 'rollingUpdate', 'maxSurge'], ['spec', 'rollout', 'strategy', 'rollingUpdate', 'maxSurge']];
  for (const path of candidates) {
    const value = get(object, path);
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && /^\d+%$/.test(value)) return Math.ceil((replicas * Number.parseInt(value, 10)) / 100);
  }
  const strategyType = getString(object, ['spec', 'rollout', 'strategy', 'type']) ?? getString(object, ['spec', 'strategy', 'type']);
  return strategyType === 'OnDelete' ? 0 : 1; // CAPI's default for RollingUpdate
}

/** Desired replicas; CAPI defaults a missing value to 1. */
export function replicasOf(object: Record<string, unknown>): number {
  return getNumber(object, ['spec', 'replicas']) ?? 1;
}
