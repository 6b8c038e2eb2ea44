// The DCS VM templates a management cluster knows: Alauda ships one ConfigMap per OS release in the clusters'
// namespace, labelled cpaas.io/dcs-vm-template=<DCS template name>, with the Kubernetes version and the CoreDNS
// and etcd tags that go with it. Pure: reads through ObjectApi; an empty list when there are none.
import { ApiFailure } from './apiErrors';
import type { ObjectApi } from './objectApi';
import { compareVersions, parseVersion } from './versions';

export interface VmTemplateRelease {
  readonly vmTemplateName: string;
  readonly kubernetesVersion: string;
  readonly corednsTag: string | undefined;
  readonly etcdTag: string | undefined;
  /** The ConfigMap's name, e.g. "v4.4.0-dcs-vm-template". */
  readonly release: string;
}

export const VM_TEMPLATE_LABEL = 'cpaas.io/dcs-vm-template';

export async function readVmTemplates(api: ObjectApi, namespace: string, signal?: AbortSignal): Promise<VmTemplateRelease[]> {
  let maps;
  try {
    maps = await api.list('v1', 'ConfigMap', namespace, VM_TEMPLATE_LABEL, signal);
  } catch (error) {
    // Without read access to ConfigMaps the user types the names instead.
    if (error instanceof ApiFailure && (error.reason === 'forbidden' || error.reason === 'notFound')) return [];
    throw error;
  }
  const out: VmTemplateRelease[] = [];
  for (const map of maps) {
    const data = (map.data ?? {}) as Record<string, unknown>;
    const vmTemplateName = map.metadata.labels?.[VM_TEMPLATE_LABEL];
    const version = typeof data.kubernetesVersion === 'string' ? parseVersion(data.kubernetesVersion) : undefined;
    if (!vmTemplateName || !version) continue;
    out.push({
      vmTemplateName,
      kubernetesVersion: version.text,
      corednsTag: typeof data.corednsTag === 'string' ? data.corednsTag : undefined,
      etcdTag: typeof data.etcdTag === 'string' ? data.etcdTag : undefined,
      release: map.metadata.name,
    });
  }
  // Newest first.
  return out.sort((a, b) => compareVersions(parseVersion(b.kubernetesVersion) ?? zero, parseVersion(a.kubernetesVersion) ?? zero));
}

const zero = { major: 0, minor: 0, patch: 0, suffix: '', text: 'v0.0.0' };

/**
 * A warning when the DCS VM template is one a release ships for another Kubernetes version than `version`
 * (the machines would boot an OS build made for that version); undefined when it fits or is not listed.
 */
export function vmTemplateMismatch(releases: readonly VmTemplateRelease[], vmTemplateName: string, version: string): string | undefined {
  const named = releases.filter((r) => r.vmTemplateName === vmTemplateName);
  if (named.length === 0 || named.some((r) => r.kubernetesVersion === version)) return undefined;
  const of = named.map((r) => `${r.release} (${r.kubernetesVersion})`).join(', ');
  return `${vmTemplateName} belongs to release ${of}, not to ${version}: the new machines would boot the wrong OS build.`;
}
