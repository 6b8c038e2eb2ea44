// Every reference names an object of the right kind that the workspace defines (Cluster -> DCSCluster,
// KCP -> DCSMachineTemplate, MachineDeployment -> KubeadmConfigTemplate and DCSMachineTemplate, ...).
import { refsOf, type ObjectRef } from '../objects';
import type { Finding, Rule } from '../rule';
import type { IndexedObject, WorkspaceIndex } from '../workspaceIndex';

const DCS_GROUP = 'infrastructure.cluster.x-k8s.io';
const DCS_SERVED_VERSION = 'v1beta1';

function describeTarget(ref: ObjectRef): string {
  return `${ref.kind} "${ref.name}" in namespace ${ref.namespace}`;
}

export const refNotFound: Rule = {
  id: 'ref-not-found',
  defaultSeverity: 'warning',
  description: 'A reference names an object that no manifest in the workspace defines.',
  check(object: IndexedObject, index: WorkspaceIndex): Finding[] {
    const findings: Finding[] = [];
    for (const ref of refsOf(object.object)) {
      if (!ref.expected.kinds.includes(ref.kind) || ref.group !== ref.expected.group) continue; // ref-wrong-kind says it
      if (index.find(ref.group, ref.kind, ref.namespace, ref.name).length > 0) continue;
      findings.push({
        path: [...ref.path, 'name'],
        message: `${ref.field} points to ${describeTarget(ref)}, which no manifest in the workspace defines. Create it, or fix the name.`,
        data: { group: ref.group, kind: ref.kind, name: ref.name, namespace: ref.namespace },
      });
    }
    return findings;
  },
};

export const refWrongKind: Rule = {
  id: 'ref-wrong-kind',
  defaultSeverity: 'error',
  description: 'A reference names a kind or API group that the field cannot point to.',
  check(object: IndexedObject, index: WorkspaceIndex): Finding[] {
    const findings: Finding[] = [];
    for (const ref of refsOf(object.object)) {
      const expected = ref.expected.kinds.join(' or ');
      if (!ref.expected.kinds.includes(ref.kind)) {
        const sameName = index.findByName(ref.namespace, ref.name).map((o) => o.kind);
        const hint = sameName.length > 0 ? ` "${ref.name}" is a ${sameName.join(', ')} here.` : '';
        findings.push({ path: [...ref.path, 'kind'], message: `${ref.field} must point to a ${expected}, not a ${ref.kind || 'missing kind'}.${hint}` });
      } else if (ref.group !== ref.expected.group) {
        findings.push({
          path: [...ref.path, ref.version === undefined ? 'apiGroup' : 'apiVersion'],
          message: `${ref.kind} belongs to the API group ${ref.expected.group || 'core'}, not ${ref.group || 'core'}.`,
        });
      }
    }
    return findings;
  },
};

export const refWrongVersion: Rule = {
  id: 'ref-wrong-version',
  defaultSeverity: 'error',
  description: 'A reference asks for an API version the DCS provider does not serve.',
  check(object: IndexedObject): Finding[] {
    return refsOf(object.object)
      .filter((ref) => ref.group === DCS_GROUP && ref.version !== undefined && ref.version !== DCS_SERVED_VERSION)
      .map((ref) => ({
        path: [...ref.path, 'apiVersion'],
        message: `The DCS provider serves ${ref.kind} as ${DCS_GROUP}/${DCS_SERVED_VERSION} only, not ${ref.version ?? ''}.`,
      }));
  },
};
