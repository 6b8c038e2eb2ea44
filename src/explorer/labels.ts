// Descriptions and Markdown tooltips of the tree items, as plain strings (pure; items.ts wraps them).
import { age } from './describe';
import type { ClusterModel, DcsClusterModel, DcsMachineModel, IpPoolModel, MachineModel, ReplicatedModel } from './modelTypes';
import type { Condition } from './normalize';
import { inMotionText, progressSummary } from './progress';

const join = (parts: readonly (string | undefined | false)[]): string => parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' · ');

export function clusterDescription(c: ClusterModel): string {
  return join([c.ref.namespace, c.version, c.phase, c.paused && 'paused', c.ready === undefined ? undefined : c.ready ? 'ready' : 'not ready']);
}

export function replicatedDescription(r: ReplicatedModel, stuck: boolean): string {
  const c = r.replicas;
  const desired = c.desired ?? 0;
  const counts = r.kind === 'KubeadmControlPlane'
    ? `${c.ready ?? 0} ready · ${c.upToDate ?? 0} updated / ${desired}`
    : `${c.current ?? 0}/${desired} replicas · ${c.upToDate ?? 0} updated · ${c.ready ?? 0} ready · ${c.available ?? 0} available`;
  return join([r.kind === 'KubeadmControlPlane' ? r.name : undefined, counts, r.version, r.paused && 'paused', rolloutState(r, stuck)]);
}

export function rolloutState(r: ReplicatedModel, stuck: boolean): string {
  if (!r.rollout.active) return 'rolled out';
  return `${stuck ? 'stuck' : 'rolling out'} ${r.rollout.percent}%`;
}

/** The rollout row under a control plane or deployment: "2 new · 1 old · 66%", and what moves now. */
export function rolloutRow(r: ReplicatedModel): { label: string; description: string } {
  return { label: `Rollout ${r.rollout.percent}%`, description: join([progressSummary(r.rollout), inMotionText(r.rollout)]) };
}

export function machineDescription(m: MachineModel, now: number, inRollout: boolean): string {
  return join([
    inRollout && m.upToDate !== undefined ? (m.upToDate ? 'new' : 'old') : undefined,
    m.deleting ? 'Deleting' : m.phase,
    m.version,
    m.nodeName,
    // The first IP only (the DCS provider lists the node's main IP first): a hostname repeats the node name.
    m.addresses.find((a) => a.type.endsWith('IP'))?.address,
    m.createdAt ? age(Date.parse(m.createdAt), now) : undefined,
  ]);
}

export function dcsMachineDescription(d: DcsMachineModel): string {
  const readiness = d.provisioned === undefined ? undefined : d.provisioned ? 'ready' : 'not ready';
  return join([readiness, d.vmStatus && `VM ${d.vmStatus}`, d.host && `host ${d.host}`, d.ips.join(', '), d.disks.length > 0 && `${d.disks.length} disks`]);
}

export function dcsClusterDescription(d: DcsClusterModel): string {
  return join([d.endpoint, d.provisioned === undefined ? undefined : d.provisioned ? 'ready' : 'not ready']);
}

export function poolDescription(p: IpPoolModel): string {
  return `${p.used} used · ${p.free} free of ${p.size}`;
}

export function conditionDescription(c: Condition): string {
  return join([c.status, c.reason, c.message?.replace(/\s+/g, ' ')]);
}

// ---- Markdown tooltips ----

/** Escapes Markdown so object names and server messages render as text. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (ch) => `\\${ch}`);
}

export function conditionsTable(conditions: readonly Condition[]): string {
  if (conditions.length === 0) return '_No conditions reported._';
  const rows = conditions.map((c) => `| ${md(c.type)} | ${c.status}${c.severity ? ` (${md(c.severity)})` : ''} | ${md(c.reason ?? '')} | ${md((c.message ?? '').replace(/\s+/g, ' ').slice(0, 300))} |`);
  return ['| Condition | Status | Reason | Message |', '|---|---|---|---|', ...rows].join('\n');
}

export function clusterTooltip(c: ClusterModel, context: string): string {
  return [
    `**Cluster ${md(c.ref.namespace)}/${md(c.name)}** · ${md(c.ref.apiVersion)}`,
    `Management cluster \`${context}\` · phase ${md(c.phase ?? 'unknown')} · version ${md(c.version ?? 'unknown')}${c.paused ? ' · **paused**' : ''}`,
    `Infrastructure provisioned: ${yesNo(c.infrastructureProvisioned)} · control plane initialized: ${yesNo(c.controlPlaneInitialized)}`,
    conditionsTable(c.conditions),
  ].join('\n\n');
}

export function replicatedTooltip(r: ReplicatedModel, stuck: boolean): string {
  const c = r.replicas;
  const lines = [
    `**${r.kind} ${md(r.ref.namespace)}/${md(r.name)}** · ${md(r.ref.apiVersion)}`,
    `desired ${c.desired ?? '?'} · current ${c.current ?? '?'} · up to date ${c.upToDate ?? '?'} · ready ${c.ready ?? '?'} · available ${c.available ?? '?'} · version ${md(r.version ?? 'unknown')}`,
  ];
  if (r.rollout.active) {
    const moving = inMotionText(r.rollout);
    lines.push(`**${stuck ? 'Stuck rollout' : 'Rolling out'}**: ${progressSummary(r.rollout)}${moving ? ` · ${md(moving)}` : ''}`);
    if (r.rollout.blocking) lines.push(`Blocked by: ${md(r.rollout.blocking)}`);
  }
  lines.push(conditionsTable(r.conditions));
  return lines.join('\n\n');
}

export function machineTooltip(m: MachineModel): string {
  const addresses = m.addresses.map((a) => `${md(a.type)} ${md(a.address)}`).join(', ');
  return [
    `**Machine ${md(m.ref.namespace)}/${md(m.name)}**${m.controlPlane ? ' · control plane' : ''}`,
    `phase ${md(m.phase ?? 'unknown')} · version ${md(m.version ?? 'unknown')} · node ${md(m.nodeName ?? 'none')}`,
    `providerID ${m.providerID ? `\`${m.providerID}\`` : 'not set'}`,
    addresses ? `addresses ${addresses}` : 'no addresses',
    m.createdAt ? `created ${md(m.createdAt)}` : '',
    conditionsTable(m.conditions),
  ].filter((l) => l !== '').join('\n\n');
}

export function dcsMachineTooltip(d: DcsMachineModel): string {
  return [
    `**DCSMachine ${md(d.ref.namespace)}/${md(d.name)}**`,
    `VM ${md(d.vmName ?? 'unknown')} (${md(d.vmStatus ?? 'unknown')}) on host ${md(d.host ?? 'unknown')}`,
    `IPs ${d.ips.length > 0 ? d.ips.map(md).join(', ') : 'none'} · pool ${md(d.pool ?? 'none')}`,
    d.disks.length > 0 ? `Disks:\n${d.disks.map((x) => `- ${md(x)}`).join('\n')}` : 'No disks in the spec',
    conditionsTable(d.conditions),
  ].join('\n\n');
}

export function dcsClusterTooltip(d: DcsClusterModel): string {
  return [
    `**DCSCluster ${md(d.ref.namespace)}/${md(d.name)}**`,
    `endpoint ${md(d.endpoint ?? 'not set')} · load balancer ${md(d.loadBalancer ?? 'none')} · ready ${yesNo(d.provisioned)}`,
    conditionsTable(d.conditions),
  ].join('\n\n');
}

function yesNo(value: boolean | undefined): string {
  return value === undefined ? 'unknown' : value ? 'yes' : 'no';
}
