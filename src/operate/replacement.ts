// What a rollout destroys, said plainly before it starts: which Machines get replaced, that each VM goes with
// its system disk and its template's disks, and which data survives because the pool declares persistent disks.
// Those disks follow a machine only when it is deleted before its replacement is created (maxSurge 0): a surge
// machine claims another pool entry, and the disks stay with the old machine's entry.
import { get, getNumber, getString, maxSurgeOf, replicasOf } from '../../server/engine/objects';
import { machinesOfControlPlane, machinesOfDeployment, type ClusterState } from './clusterState';
import { infraRefOf } from './capiShapes';
import type { KubeObject } from './objectApi';

export interface ReplacedGroup {
  /** "control plane lab-b-kcp" or "MachineDeployment lab-b-md-0". */
  readonly owner: string;
  readonly machines: readonly string[];
  readonly replicas: number;
  /** Machines created above replicas during the rollout (CAPI's default for both kinds is 1). */
  readonly maxSurge: number;
  readonly isControlPlane: boolean;
  /** Mount paths (or "system disk") of the disks the current template gives each VM. */
  readonly templateDisks: readonly string[];
  readonly pool: string | undefined;
  /** Persistent disk paths the pool declares (any entry); undefined when the pool is unknown. */
  readonly persistentDisks: readonly string[] | undefined;
  /** Pool entries (IPs) without persistent disks. */
  readonly entriesWithoutPersistentDisks: readonly string[];
}

export function replacedGroup(state: ClusterState, owner: KubeObject): ReplacedGroup {
  const isControlPlane = owner.kind === 'KubeadmControlPlane';
  const machines = isControlPlane ? machinesOfControlPlane(state) : machinesOfDeployment(state, owner.metadata.name);
  const template = state.templates.find((t) => t.metadata.name === infraRefOf(owner)?.name);
  const templateSpec = get(template, ['spec', 'template', 'spec']);
  const disks = get(templateSpec, ['vmConfig', 'dcsMachineDiskSpec']);
  const templateDisks = (Array.isArray(disks) ? disks : []).map((d: unknown) => (get(d, ['systemVolume']) === true ? 'system disk' : (getString(d, ['path']) ?? 'an unmounted disk')));
  if (!templateDisks.includes('system disk')) templateDisks.unshift('system disk');
  const poolName = getString(templateSpec, ['ipHostPoolRef', 'name']);
  const pool = state.pools.find((p) => p.metadata.name === poolName);
  const entries = get(pool, ['spec', 'pool']);
  const list = Array.isArray(entries) ? entries : [];
  const pathsPerEntry = list.map((e: unknown) => {
    const pd = get(e, ['persistentDisk']);
    return (Array.isArray(pd) ? pd : []).map((d: unknown) => getString(d, ['path']) ?? `raw disk (slot ${getNumber(d, ['slot']) ?? '?'})`);
  });
  const declared = [...new Set(pathsPerEntry.flat())];
  return {
    owner: isControlPlane ? `control plane ${owner.metadata.name}` : `MachineDeployment ${owner.metadata.name}`,
    machines: machines.map((m) => m.metadata.name),
    replicas: replicasOf(owner),
    maxSurge: maxSurgeOf(owner, replicasOf(owner)),
    isControlPlane,
    templateDisks,
    pool: poolName,
    persistentDisks: pool ? declared : undefined,
    entriesWithoutPersistentDisks: list.filter((_e, i) => (pathsPerEntry[i] ?? []).length === 0).map((e: unknown) => getString(e, ['ip']) ?? '?'),
  };
}

/** The warning shown in the confirmation dialog (plain text, one paragraph per group). */
export function replacementNotice(groups: readonly ReplacedGroup[]): string {
  return groups.map(groupNotice).join('\n\n');
}

function groupNotice(g: ReplacedGroup): string {
  const who = g.machines.length > 0 ? g.machines.join(', ') : `its ${g.replicas} machine${g.replicas === 1 ? '' : 's'}`;
  const lines = [`${capitalize(g.owner)}: ${who} will be replaced one by one by new VMs.`];
  lines.push(`Each old VM is deleted together with its ${listText(g.templateDisks)}; what was stored there is lost.`);
  if (g.persistentDisks === undefined) lines.push(`The pool${g.pool ? ` ${g.pool}` : ''} could not be read: assume no data survives.`);
  else if (g.persistentDisks.length === 0) lines.push(`Pool ${g.pool ?? ''} declares no persistent disks: nothing on these machines survives.`);
  else if (g.maxSurge > 0) {
    lines.push(`Pool ${g.pool ?? ''} declares persistent disks (${g.persistentDisks.join(', ')}), but the rollout runs with maxSurge ${g.maxSurge}: each new machine is created before an old one is deleted and claims another pool entry, so the disks stay with the old machines' entries and do not move to the replacements.`);
    lines.push(g.isControlPlane ? 'Set maxSurge: 0 in the KubeadmControlPlane\'s rollout strategy first (allowed with 3 or more replicas) so they follow.' : 'Set maxSurge: 0 (and maxUnavailable: 1) in the MachineDeployment\'s rollout strategy first so they follow.');
  } else {
    lines.push(`Pool ${g.pool ?? ''} declares persistent disks (${g.persistentDisks.join(', ')}): each old machine is deleted before its replacement is created (maxSurge 0), so they move to the replacement machines.`);
    if (g.entriesWithoutPersistentDisks.length > 0) lines.push(`Except for pool entries ${g.entriesWithoutPersistentDisks.join(', ')}, which have none.`);
  }
  return lines.join(' ');
}

function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
