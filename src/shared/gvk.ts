// Group, version and kind of a Kubernetes object, as written in a manifest's `apiVersion` and `kind`.

export interface GroupVersionKind {
  readonly group: string; // "" for the core group (apiVersion "v1")
  readonly version: string;
  readonly kind: string;
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function toGvk(apiVersion: string, kind: string): GroupVersionKind {
  return { ...parseApiVersion(apiVersion), kind };
}

export function apiVersionOf(gvk: Pick<GroupVersionKind, 'group' | 'version'>): string {
  return gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
}

export function gvkKey(gvk: GroupVersionKind): string {
  return `${apiVersionOf(gvk)}/${gvk.kind}`;
}

export const Groups = {
  core: 'cluster.x-k8s.io',
  bootstrap: 'bootstrap.cluster.x-k8s.io',
  controlPlane: 'controlplane.cluster.x-k8s.io',
  infrastructure: 'infrastructure.cluster.x-k8s.io',
} as const;

/** The CAPI API versions a project may prefer (settings `capiVersion`, `capi-dcs lint --capi-version`). */
export type CapiVersion = 'v1beta1' | 'v1beta2';

/** CAPI's own groups, whose version follows the CAPI release (v1beta2 since v1.11); the DCS group stays v1beta1. */
export function isCapiOwnGroup(group: string): boolean {
  return group === Groups.core || group === Groups.bootstrap || group === Groups.controlPlane;
}

/** True for the API groups this extension knows: CAPI's and the DCS provider's. */
export function isClusterApiGroup(group: string): boolean {
  return group === Groups.core || group.endsWith(`.${Groups.core}`);
}
