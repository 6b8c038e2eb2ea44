// A MachineDeployment's clusterName, its template's clusterName and the cluster-name labels agree,
// and the Cluster they name exists in the workspace.
import { getString } from '../objects';
import type { Finding, Rule } from '../rule';
import type { IndexedObject, WorkspaceIndex } from '../workspaceIndex';

const LABEL = 'cluster.x-k8s.io/cluster-name';
const CAPI_CORE = 'cluster.x-k8s.io';

export const clusterName: Rule = {
  id: 'cluster-name',
  defaultSeverity: 'error',
  description: "clusterName fields and cluster-name labels agree and name a Cluster.",
  check(o: IndexedObject): Finding[] {
    if (o.group !== CAPI_CORE || !['MachineDeployment', 'MachineSet', 'Machine', 'MachineHealthCheck'].includes(o.kind)) return [];
    const findings: Finding[] = [];
    const name = getString(o.object, ['spec', 'clusterName']);
    if (!name) return [];
    const templateName = getString(o.object, ['spec', 'template', 'spec', 'clusterName']);
    if (templateName !== undefined && templateName !== name) {
      findings.push({
        path: ['spec', 'template', 'spec', 'clusterName'],
        message: `spec.template.spec.clusterName is "${templateName}" but spec.clusterName is "${name}"; CAPI rejects the object until they are equal.`,
      });
    }
    const labelPaths = [
      ['metadata', 'labels', LABEL],
      ['spec', 'template', 'metadata', 'labels', LABEL],
      ['spec', 'selector', 'matchLabels', LABEL],
    ] as const;
    for (const path of labelPaths) {
      const label = getString(o.object, path);
      if (label !== undefined && label !== name) {
        findings.push({ path, message: `The ${LABEL} label is "${label}" but clusterName is "${name}".` });
      }
    }
    return findings;
  },
};

export const clusterNotFound: Rule = {
  id: 'cluster-not-found',
  defaultSeverity: 'warning',
  description: 'clusterName names a Cluster that no manifest in the workspace defines.',
  check(o: IndexedObject, index: WorkspaceIndex): Finding[] {
    if (o.group !== CAPI_CORE || !['MachineDeployment', 'MachineSet', 'Machine', 'MachineHealthCheck'].includes(o.kind)) return [];
    const name = getString(o.object, ['spec', 'clusterName']);
    if (!name || index.find(CAPI_CORE, 'Cluster', o.namespace, name).length > 0) return [];
    return [{ path: ['spec', 'clusterName'], message: `No Cluster "${name}" in namespace ${o.namespace} is defined in the workspace.` }];
  },
};
