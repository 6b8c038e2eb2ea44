// A text view of one Cluster in the manner of `clusterctl describe cluster --show-conditions all`:
// Cluster -> ClusterInfrastructure -> ControlPlane -> Machines, Workers -> MachineDeployments -> Machines,
// with each object's conditions as children. Machines in the same good state are grouped. Pure.
import type { ClusterModel, MachineModel, ReplicatedModel } from './modelTypes';
import type { Condition } from './normalize';
import { inMotionText, progressSummary } from './progress';

interface Row {
  readonly name: string;
  readonly replicas?: string;
  readonly available?: string;
  readonly ready?: string;
  readonly upToDate?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly since?: string;
  readonly message?: string;
}

interface TreeNode {
  readonly row: Row;
  readonly children: readonly TreeNode[];
}

const HEADERS: Row = { name: 'NAME', replicas: 'REPLICAS', available: 'AVAILABLE', ready: 'READY', upToDate: 'UP TO DATE', status: 'STATUS', reason: 'REASON', since: 'SINCE', message: 'MESSAGE' };
const COLUMNS = ['name', 'replicas', 'available', 'ready', 'upToDate', 'status', 'reason', 'since', 'message'] as const;
const PRIMARY = ['Available', 'Ready'];

export function describeCluster(cluster: ClusterModel, context: string, now: number): string {
  const header = [
    `Cluster ${cluster.ref.namespace}/${cluster.name} in management cluster ${context}`,
    `phase ${cluster.phase ?? 'unknown'} · version ${cluster.version ?? 'unknown'}${cluster.paused ? ' · PAUSED' : ''} · ${cluster.ref.apiVersion}`,
  ];
  for (const r of [cluster.controlPlane, ...cluster.deployments]) {
    if (r?.rollout.active) {
      const moving = inMotionText(r.rollout);
      const current = moving ? ` · ${moving}` : '';
      header.push(`rolling out ${r.kind}/${r.name}: ${progressSummary(r.rollout)}${current}${r.rollout.blocking ? ` · ${r.rollout.blocking}` : ''}`);
    }
  }
  const tree = clusterTree(cluster, now);
  const lines = flatten(tree, '', '', true);
  return `${header.join('\n')}\n\n${table([{ prefix: '', row: HEADERS }, ...lines])}\n`;
}

function clusterTree(cluster: ClusterModel, now: number): TreeNode {
  const children: TreeNode[] = [];
  const infra = cluster.infrastructure.cluster;
  children.push(
    infra
      ? objectNode(`ClusterInfrastructure - DCSCluster/${infra.name}`, infra.conditions, now, {}, [])
      : { row: { name: 'ClusterInfrastructure', message: 'no DCSCluster found' }, children: [] },
  );
  if (cluster.controlPlane) children.push(replicatedNode(`ControlPlane - KubeadmControlPlane/${cluster.controlPlane.name}`, cluster.controlPlane, now));
  if (cluster.deployments.length > 0) {
    children.push({ row: { name: 'Workers' }, children: cluster.deployments.map((d) => replicatedNode(`MachineDeployment/${d.name}`, d, now)) });
  }
  if (cluster.otherMachines.length > 0) children.push({ row: { name: 'Other Machines' }, children: machineNodes(cluster.otherMachines, now) });
  return objectNode(`Cluster/${cluster.name}`, cluster.conditions, now, {}, children);
}

function replicatedNode(name: string, r: ReplicatedModel, now: number): TreeNode {
  const c = r.replicas;
  const counts = {
    replicas: `${c.current ?? 0}/${c.desired ?? 0}`,
    available: String(c.available ?? 0),
    ready: String(c.ready ?? 0),
    upToDate: String(c.upToDate ?? 0),
  };
  return objectNode(name, r.conditions, now, counts, machineNodes(r.machines, now));
}

/** Healthy Machines collapse into one "N Machines..." row; the others show with their conditions. */
function machineNodes(machines: readonly MachineModel[], now: number): TreeNode[] {
  const healthy = machines.filter((m) => m.health === 'ok' && m.upToDate !== false && m.conditions.every((c) => c.status === 'True' || isNegative(c)));
  const rest = machines.filter((m) => !healthy.includes(m));
  const nodes: TreeNode[] = [];
  if (healthy.length > 1) {
    const first = healthy[0];
    const status = first ? primary(first.conditions) : undefined;
    nodes.push({
      row: { name: `${healthy.length} Machines...`, ready: String(healthy.length), available: String(healthy.length), upToDate: String(healthy.length), status: status ? `${status.type}: ${status.status}` : '', message: `See ${healthy.map((m) => m.name).join(', ')}` },
      children: [],
    });
  } else rest.unshift(...healthy);
  for (const m of rest) {
    const infra = m.infraMachine;
    const extra = infra && infra.health !== 'ok' ? [objectNode(`DCSMachine/${infra.name}`, infra.conditions, now, {}, [])] : [];
    const flags = { upToDate: m.upToDate === undefined ? '' : m.upToDate ? '1' : '0', available: m.available ? '1' : '0' };
    nodes.push(objectNode(`Machine/${m.name}${m.deleting ? ' (deleting)' : ''}`, m.conditions, now, flags, extra));
  }
  return nodes;
}

function isNegative(c: Condition): boolean {
  return ['Deleting', 'Paused', 'RollingOut', 'ScalingUp', 'ScalingDown', 'Remediating', 'Updating'].includes(c.type) && c.status === 'False';
}

function primary(conditions: readonly Condition[]): Condition | undefined {
  for (const type of PRIMARY) {
    const c = conditions.find((x) => x.type === type);
    if (c) return c;
  }
  return undefined;
}

function objectNode(name: string, conditions: readonly Condition[], now: number, counts: Partial<Row>, children: TreeNode[]): TreeNode {
  const main = primary(conditions);
  const conditionRows = conditions.filter((c) => c !== main).map((c) => ({ row: conditionRow(c.type, c, now), children: [] }));
  const row: Row = { name, ...counts, ...(main ? conditionRow('', main, now) : {}) };
  return { row: { ...row, name }, children: [...conditionRows, ...children] };
}

function conditionRow(name: string, c: Condition, now: number): Row {
  return {
    name,
    status: `${c.type}: ${c.status}${c.severity ? ` (${c.severity})` : ''}`,
    reason: c.reason ?? '',
    since: c.lastTransitionTime ? age(Date.parse(c.lastTransitionTime), now) : '',
    message: (c.message ?? '').replace(/\s+/g, ' ').trim(),
  };
}

export function age(then: number, now: number): string {
  if (!Number.isFinite(then)) return '';
  const s = Math.max(0, Math.floor((now - then) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

function flatten(node: TreeNode, prefix: string, childPrefix: string, root: boolean): { prefix: string; row: Row }[] {
  const out = [{ prefix: root ? '' : prefix, row: node.row }];
  node.children.forEach((child, i) => {
    const last = i === node.children.length - 1;
    out.push(...flatten(child, `${childPrefix}${last ? '└─' : '├─'}`, `${childPrefix}${last ? '  ' : '│ '}`, false));
  });
  return out;
}

function table(lines: readonly { prefix: string; row: Row }[]): string {
  const cell = (l: { prefix: string; row: Row }, col: (typeof COLUMNS)[number]): string => (col === 'name' ? l.prefix + l.row.name : (l.row[col] ?? ''));
  const widths = COLUMNS.map((col) => Math.max(...lines.map((l) => cell(l, col).length)));
  return lines
    .map((l) => COLUMNS.map((col, i) => (i === COLUMNS.length - 1 ? cell(l, col) : cell(l, col).padEnd((widths[i] ?? 0) + 2))).join('').trimEnd())
    .join('\n');
}
