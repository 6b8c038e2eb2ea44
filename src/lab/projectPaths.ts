// Where the lab finds the project's own files, whether it runs from src/ (tsx) or from a dist/ bundle.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import versionsJson from '../../tools/versions.json';

export interface PinnedVersions {
  readonly kubernetes: string;
  readonly kubernetesStaging: string;
  readonly etcd: string;
  readonly clusterApi: string;
}

/** Versions pinned in tools/versions.json (bundled at build time, so dist/ and src/ agree). */
export const pinnedVersions: PinnedVersions = versionsJson;

/** The checkout's root folder: the nearest ancestor of this module that holds tools/versions.json. */
export function projectRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tools', 'versions.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`tools/versions.json not found above ${__dirname}`);
  }
}

/** The Go module that builds kube-apiserver and etcd. */
export function mgmtPlaneModuleDir(): string {
  return join(projectRoot(), 'tools', 'mgmt-plane');
}

/** The Go module that builds Cluster API's managers and clusterctl (CAPI's own dependency versions). */
export function capiToolsModuleDir(): string {
  return join(projectRoot(), 'tools', 'capi');
}

/** Folders of CRDs that belong to this project (DCS kinds) and the controller's RBAC. */
export function dcsCrdDir(): string {
  return join(projectRoot(), 'schemas', 'crds');
}

export function controllerRolePath(): string {
  return join(projectRoot(), 'config', 'rbac', 'controller-role.yaml');
}
