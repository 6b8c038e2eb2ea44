// Workers are never newer than their control plane, at most three minors behind it, and with kubeadm on the
// same minor (CAPI's MachineSet preflight checks hold scale-ups otherwise). Versions are `v` + semver.
import { controlPlaneOf } from '../clusters';
import { get, parseKubernetesVersion, versionField } from '../objects';
import { hasPlaceholder } from '../../../src/shared/schema/clusterctlTemplate';
import type { Finding, Rule } from '../rule';
import type { IndexedObject, WorkspaceIndex } from '../workspaceIndex';

export const versionFormat: Rule = {
  id: 'version-format',
  defaultSeverity: 'error',
  description: 'A Kubernetes version is written as v<major>.<minor>.<patch>.',
  check(o: IndexedObject): Finding[] {
    const path = versionField(o.kind);
    if (!path) return [];
    const value = get(o.object, path);
    if (value === undefined || hasPlaceholder(value) || parseKubernetesVersion(value)) return [];
    return [{ path, message: `${JSON.stringify(value)} is not a Kubernetes version: write it as v<major>.<minor>.<patch>, for example v1.34.2.` }];
  },
};

interface Skew {
  readonly path: readonly (string | number)[];
  /** How many minors the workers are behind the control plane (negative: ahead). */
  readonly behind: number;
  readonly workerNewerPatch: boolean;
  readonly cpText: string;
  readonly cpMinor: string;
}

function skewOf(o: IndexedObject, index: WorkspaceIndex): Skew | undefined {
  if (o.kind !== 'MachineDeployment' && o.kind !== 'MachineSet') return undefined;
  const path = versionField(o.kind);
  const clusterName = get(o.object, ['spec', 'clusterName']);
  if (!path || typeof clusterName !== 'string') return undefined;
  const worker = parseKubernetesVersion(get(o.object, path));
  const kcp = controlPlaneOf(index, o.namespace, clusterName);
  const cp = kcp ? parseKubernetesVersion(get(kcp.object, ['spec', 'version'])) : undefined;
  if (!worker || !cp || !kcp) return undefined;
  return {
    path,
    behind: (cp.major - worker.major) * 100 + (cp.minor - worker.minor),
    workerNewerPatch: cp.major === worker.major && cp.minor === worker.minor && worker.patch > cp.patch,
    cpText: `${kcp.kind} ${kcp.name} runs v${cp.major}.${cp.minor}.${cp.patch}`,
    cpMinor: `v${cp.major}.${cp.minor}`,
  };
}

export const versionSkew: Rule = {
  id: 'version-skew',
  defaultSeverity: 'error',
  description: 'Worker versions are not newer than the control plane and at most three minors behind it.',
  check(o: IndexedObject, index: WorkspaceIndex): Finding[] {
    const skew = skewOf(o, index);
    if (!skew) return [];
    if (skew.behind < 0 || skew.workerNewerPatch) {
      return [{ path: skew.path, message: `Workers must not be newer than the control plane: ${skew.cpText}. Upgrade the control plane first.` }];
    }
    if (skew.behind > 3) {
      return [{ path: skew.path, message: `Workers may be at most 3 minor versions behind the control plane; ${skew.cpText}. Upgrade the workers one minor at a time.` }];
    }
    return [];
  },
};

export const kubeadmMinorSkew: Rule = {
  id: 'kubeadm-minor-skew',
  defaultSeverity: 'warning',
  description: 'With kubeadm, workers on another minor than the control plane cannot scale up.',
  check(o: IndexedObject, index: WorkspaceIndex): Finding[] {
    const skew = skewOf(o, index);
    if (!skew || skew.behind < 1 || skew.behind > 3) return [];
    return [{
      path: skew.path,
      message: `${skew.cpText}: with kubeadm, CAPI creates no new worker Machines on another minor (preflight check KubeadmVersionSkew), so scale-ups and remediation stall. Move the workers to ${skew.cpMinor}.`,
    }];
  },
};
