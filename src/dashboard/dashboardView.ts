// The dashboard's picture of one workload cluster, from the explorer's model (the same informers) and the
// replacement timeline. Pure: no vscode, the clock passed in.
import { conditionHealth } from '../explorer/health';
import type { ClusterModel, MachineModel, ReplicatedModel } from '../explorer/modelTypes';
import type { Condition } from '../explorer/normalize';
import { inMotionText } from '../explorer/progress';
import type { ConditionRow, DashboardState, MachineTile, OwnerView } from './protocol';
import type { ReplacementTimeline } from './timeline';

export interface ClusterKey {
  readonly context: string;
  readonly namespace: string;
  readonly name: string;
}

function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function conditionRow(c: Condition): ConditionRow {
  return { type: c.type, status: c.status, reason: c.reason ?? '', message: oneLine(c.message) };
}

function tile(m: MachineModel, owner: ReplicatedModel): MachineTile {
  // Deleting and UpToDate show as the tile's own badges.
  const bad = m.conditions.find((c) => conditionHealth(c) !== 'ok' && c.type !== 'Deleting' && c.type !== 'UpToDate');
  const current = owner.rollout.current?.machine === m.name ? owner.rollout.current.action : undefined;
  return {
    name: m.name,
    generation: m.upToDate === undefined ? 'unknown' : m.upToDate ? 'new' : 'old',
    ready: m.available,
    deleting: m.deleting,
    ...(current ? { inMotion: current } : {}),
    phase: m.deleting ? 'Deleting' : (m.phase ?? 'Unknown'),
    version: m.version ?? '',
    node: m.nodeName ?? '',
    ...(bad ? { problem: `${bad.type} ${bad.status}${bad.reason ? ` (${bad.reason})` : ''}${bad.message ? `: ${oneLine(bad.message)}` : ''}` } : {}),
  };
}

function ownerView(owner: ReplicatedModel, timeline: ReplacementTimeline, now: number): OwnerView {
  const r = owner.rollout;
  const moving = inMotionText(r);
  return {
    id: owner.id,
    kind: owner.kind,
    name: owner.name,
    version: owner.version ?? '',
    desired: r.desired,
    newMachines: r.newMachines,
    oldMachines: r.oldMachines,
    ready: owner.replicas.ready ?? owner.machines.filter((m) => m.available).length,
    percent: r.percent,
    rollingOut: r.active,
    paused: owner.paused,
    ...(moving ? { inMotion: moving } : {}),
    ...(r.blocking ? { blocking: r.blocking } : {}),
    // Old Machines first (they go next), then by name.
    machines: [...owner.machines]
      .sort((a, b) => Number(a.upToDate ?? false) - Number(b.upToDate ?? false) || a.name.localeCompare(b.name))
      .map((m) => tile(m, owner)),
    conditions: owner.conditions.filter((c) => conditionHealth(c) !== 'ok').map(conditionRow),
    timeline: timeline.entries(owner.id, now),
  };
}

export function owners(cluster: ClusterModel): ReplicatedModel[] {
  return [...(cluster.controlPlane ? [cluster.controlPlane] : []), ...cluster.deployments];
}

export function dashboardState(key: ClusterKey, cluster: ClusterModel | undefined, connection: string, timeline: ReplacementTimeline, now: number): DashboardState {
  const at = new Date(now).toISOString();
  if (!cluster) {
    return { context: key.context, namespace: key.namespace, cluster: key.name, found: false, phase: '', version: '', paused: false, connection, owners: [], at };
  }
  return {
    context: key.context,
    namespace: key.namespace,
    cluster: cluster.name,
    found: true,
    phase: cluster.phase ?? 'Unknown',
    version: cluster.version ?? '',
    paused: cluster.paused,
    connection,
    owners: owners(cluster).map((o) => ownerView(o, timeline, now)),
    at,
  };
}
