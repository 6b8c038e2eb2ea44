// Immutable infrastructure: a machine template is never edited in place. CAPI rolls machines only when
// a reference changes to a new template name, so an edit silently mixes old and new machines.
import { isDeepStrictEqual } from 'node:util';
import { get, getString } from '../objects';
import type { Finding, Rule } from '../rule';
import type { IndexedObject, WorkspaceIndex } from '../workspaceIndex';

export const templateEditedInPlace: Rule = {
  id: 'template-edited-in-place',
  defaultSeverity: 'warning',
  description: 'An existing, referenced DCSMachineTemplate spec was edited instead of copied under a new name.',
  check(o: IndexedObject, index: WorkspaceIndex): Finding[] {
    if (o.kind !== 'DCSMachineTemplate') return [];
    const before = index.baselineOf(o);
    if (!before || isDeepStrictEqual(get(before.object, ['spec']), get(o.object, ['spec']))) return [];
    const users = index.referencesTo(o).map((r) => `${r.from.kind} ${r.from.name}`);
    if (users.length === 0) return [];
    return [{
      path: ['spec'],
      target: 'key',
      message: `This template's spec changed, but machines are immutable: CAPI rolls out only when ${users.join(' and ')} points to a template with a new name. As edited, existing machines keep the old spec and only new ones get this one. Copy the template under a new name and repoint the references instead.`,
      data: { users },
    }];
  },
};

/** Disk paths every DCS node has on template disks; data there is rebuilt on a new machine anyway. */
const REBUILT_PATHS = new Set(['/var/lib/kubelet', '/var/lib/containerd', '/var/lib/etcd']);

export const dataOnTemplateDisk: Rule = {
  id: 'data-on-template-disk',
  defaultSeverity: 'info',
  description: 'A template disk that holds data is destroyed with its VM on every rollout.',
  check(o: IndexedObject): Finding[] {
    if (o.kind !== 'DCSMachineTemplate' && o.kind !== 'DCSMachine') return [];
    const base = o.kind === 'DCSMachineTemplate' ? ['spec', 'template', 'spec'] : ['spec'];
    const disks = get(o.object, [...base, 'vmConfig', 'dcsMachineDiskSpec']);
    if (!Array.isArray(disks)) return [];
    const findings: Finding[] = [];
    disks.forEach((disk, i) => {
      const path = getString(disk, ['path']);
      if (!path || get(disk, ['systemVolume']) === true || REBUILT_PATHS.has(path)) return;
      findings.push({
        path: [...base, 'vmConfig', 'dcsMachineDiskSpec', i, 'path'],
        message: `${path} is on a template disk: a rolling update deletes the VM with its disks, and the new machine starts with ${path} empty. To keep its data, declare it as a persistentDisk in the machine's DCSIpHostnamePool instead.`,
      });
    });
    return findings;
  },
};
