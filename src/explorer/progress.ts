// Rollout progress of a KubeadmControlPlane or MachineDeployment, from its status and its Machines.
// new = upToDateReplicas, old = replicas − upToDateReplicas, fraction = Machines up to date and available
// over desired. Done: observedGeneration current, RollingOut not True, replicas = upToDate = available =
// desired, and (KCP) one Kubernetes version equal to spec.version. Pure: no vscode, no clock.
import type { Condition, ReplicaCounts } from './normalize';

export interface MachineFacts {
  readonly name: string;
  /** UpToDate condition, or the version/MachineSet comparison on servers without it; undefined: unknown. */
  readonly upToDate: boolean | undefined;
  readonly available: boolean;
  readonly deleting: boolean;
  readonly createdAt: string | undefined;
  /** Conditions that explain a Machine that does not come up: InfrastructureReady, BootstrapConfigReady, NodeHealthy. */
  readonly conditions: readonly Condition[];
}

export interface RolloutInput {
  readonly counts: ReplicaCounts;
  readonly machines: readonly MachineFacts[];
  readonly conditions: readonly Condition[];
  /** KCP only: spec.version and the versions its Machines run. */
  readonly specVersion?: string;
  readonly statusVersions?: readonly { readonly version: string }[];
  readonly paused: boolean;
}

export interface RolloutProgress {
  /** False once the rollout is done (see the file comment). */
  readonly active: boolean;
  readonly desired: number;
  readonly newMachines: number;
  readonly oldMachines: number;
  /** 0..1: Machines up to date and available over desired. */
  readonly fraction: number;
  readonly percent: number;
  /** The Machine that is going away or coming up right now. */
  readonly current?: { readonly machine: string; readonly action: 'deleting' | 'creating' };
  /** Why it does not move: a ScalingUp/ScalingDown/RollingOut message or the newest Machine's failing condition. */
  readonly blocking?: string;
  /** Changes whenever the rollout moves; equal signatures over time mean no progress. */
  readonly signature: string;
}

const MACHINE_BLOCKERS = ['InfrastructureReady', 'BootstrapConfigReady', 'NodeHealthy', 'NodeReady'];

export function rolloutProgress(input: RolloutInput): RolloutProgress {
  const { counts, machines } = input;
  const desired = counts.desired ?? 1;
  const current = counts.current ?? machines.length;
  const upToDate = counts.upToDate ?? machines.filter((m) => m.upToDate === true).length;
  const available = counts.available ?? machines.filter((m) => m.available).length;
  const rollingOut = input.conditions.find((c) => c.type === 'RollingOut');

  const generationCurrent = counts.generation === undefined || counts.observedGeneration === undefined || counts.observedGeneration >= counts.generation;
  const versionsSettled = input.statusVersions === undefined || input.specVersion === undefined || input.statusVersions.length === 0
    || (input.statusVersions.length === 1 && input.statusVersions[0]?.version === input.specVersion);
  const countsSettled = current === desired && upToDate === desired && available === desired;
  const active = !(generationCurrent && rollingOut?.status !== 'True' && countsSettled && versionsSettled);

  const knowsMachines = machines.some((m) => m.upToDate !== undefined);
  const newAvailable = knowsMachines ? machines.filter((m) => m.upToDate === true && m.available && !m.deleting).length : Math.min(upToDate, available);
  const fraction = !active ? 1 : desired <= 0 ? (current === 0 ? 1 : 0) : Math.min(newAvailable, desired) / desired;

  const currentMachine = active ? machineInMotion(machines) : undefined;
  const blocking = active ? blockingReason(input, machines) : undefined;
  const oldMachines = Math.max(0, current - upToDate);
  const signature = [desired, current, upToDate, counts.ready ?? '', available, counts.observedGeneration ?? '', currentMachine?.machine ?? '', machines.length].join('/');
  return {
    active,
    desired,
    newMachines: upToDate,
    oldMachines,
    fraction,
    percent: Math.floor(fraction * 100),
    ...(currentMachine ? { current: currentMachine } : {}),
    ...(blocking ? { blocking } : {}),
    signature,
  };
}

/** An old Machine being deleted, else any Machine being deleted, else the newest Machine not yet available. */
function machineInMotion(machines: readonly MachineFacts[]): RolloutProgress['current'] {
  const byAge = [...machines].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
  const deleting = byAge.find((m) => m.deleting && m.upToDate === false) ?? byAge.find((m) => m.deleting);
  if (deleting) return { machine: deleting.name, action: 'deleting' };
  const coming = byAge.reverse().find((m) => !m.available && m.upToDate !== false);
  return coming ? { machine: coming.name, action: 'creating' } : undefined;
}

function blockingReason(input: RolloutInput, machines: readonly MachineFacts[]): string | undefined {
  if (input.paused) return 'Paused';
  for (const type of ['ScalingUp', 'ScalingDown', 'RollingOut']) {
    const c = input.conditions.find((x) => x.type === type);
    if (c?.status === 'True' && c.message) return `${type}: ${oneLine(c.message)}`;
  }
  const newest = [...machines].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))[0];
  for (const type of MACHINE_BLOCKERS) {
    const c = newest?.conditions.find((x) => x.type === type);
    if (newest && c && c.status !== 'True') return `Machine ${newest.name} ${type}: ${oneLine(c.message ?? c.reason ?? c.status)}`;
  }
  return undefined;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

/** "replacing m-1" (an old Machine going away) or "creating m-4" (a new one coming up). */
export function inMotionText(p: RolloutProgress): string | undefined {
  if (!p.current) return undefined;
  return `${p.current.action === 'deleting' ? 'replacing' : 'creating'} ${p.current.machine}`;
}

/** One line for a tree item: "2 new · 1 old · 66%". */
export function progressSummary(p: RolloutProgress): string {
  return `${p.newMachines} new · ${p.oldMachines} old · ${p.percent}%`;
}
