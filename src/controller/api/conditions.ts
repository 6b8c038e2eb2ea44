// Condition types and reasons, and setting a condition in both shapes the CRDs carry: Cluster
// API v1beta1 conditions (with severity) in status.conditions, metav1 conditions in
// status.v1beta2.conditions. lastTransitionTime changes only when the status does.

import type { Condition, MetaCondition } from '../../shared/api/dcs.generated';

export const ConditionTypes = {
  ready: 'Ready',
  vmProvisioned: 'VMProvisioned',
  /** Reference §6: the safe stop before deletion. */
  vmStopPending: 'VMStopPending',
  dcsConnected: 'DCSConnected',
  /** Reference §6: the control plane anti-affinity rule (spec.controlPlaneHA). */
  controlPlaneHAReady: 'ControlPlaneHAReady',
  paused: 'Paused',
} as const;

export const Reasons = {
  // VMProvisioned / Ready of a DCSMachine
  waitingForClusterInfrastructure: 'WaitingForClusterInfrastructure',
  waitingForBootstrapData: 'WaitingForBootstrapData',
  waitingForPoolSlot: 'WaitingForPoolSlot',
  waitingForDcs: 'WaitingForDCS',
  cloningVm: 'CloningVM',
  attachingDisks: 'AttachingDisks',
  poweringOn: 'PoweringOn',
  taskFailed: 'TaskFailed',
  provisioningFailed: 'ProvisioningFailed',
  vmNameConflict: 'VMNameConflict',
  vmTemplateNotFound: 'VMTemplateNotFound',
  provisioned: 'Provisioned',
  vmNotRunning: 'VMNotRunning',
  deleting: 'Deleting',
  // VMStopPending (reference §6)
  waitingForStop: 'WaitingForStop',
  vmMidTransition: 'VMMidTransition',
  vmStopped: 'VMStopped',
  // DCSConnected / Ready of a DCSCluster
  credentialSecretNotFound: 'CredentialSecretNotFound',
  credentialSecretInvalid: 'CredentialSecretInvalid',
  loginFailed: 'LoginFailed',
  accountLocked: 'AccountLocked',
  dcsUnreachable: 'DCSUnreachable',
  connected: 'Connected',
  waitingForMachines: 'WaitingForMachinesDeleted',
  // ControlPlaneHAReady (reference §6)
  controlPlaneHAReady: 'ControlPlaneHAReady',
  controlPlaneHAPending: 'ControlPlaneHAPending',
  controlPlaneHAFailed: 'ControlPlaneHAFailed',
  // Paused
  paused: 'Paused',
  notPaused: 'NotPaused',
} as const;

export type ConditionStatus = 'True' | 'False' | 'Unknown';
export type Severity = 'Error' | 'Warning' | 'Info';

export interface ConditionInput {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message?: string;
  /** Only for False; default Info. */
  readonly severity?: Severity;
}

export interface ConditionedStatus {
  conditions?: Condition[];
  v1beta2?: { conditions?: MetaCondition[] };
}

const MAX_MESSAGE = 10_240;

export function setCondition(status: ConditionedStatus, input: ConditionInput, generation: number | undefined, now: Date = new Date()): void {
  const time = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const message = (input.message ?? '').slice(0, MAX_MESSAGE);

  const legacy = status.conditions ?? [];
  const oldLegacy = legacy.find((c) => c.type === input.type);
  const next: Condition = {
    type: input.type,
    status: input.status,
    ...(input.status === 'False' ? { severity: input.severity ?? 'Info' } : {}),
    reason: input.reason,
    ...(message === '' ? {} : { message }),
    lastTransitionTime: oldLegacy?.status === input.status ? oldLegacy.lastTransitionTime : time,
  };
  status.conditions = sortConditions([...legacy.filter((c) => c.type !== input.type), next]);

  const meta = status.v1beta2?.conditions ?? [];
  const oldMeta = meta.find((c) => c.type === input.type);
  const nextMeta: MetaCondition = {
    type: input.type,
    status: input.status,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    reason: input.reason,
    message,
    lastTransitionTime: oldMeta?.status === input.status ? oldMeta.lastTransitionTime : time,
  };
  status.v1beta2 = { ...status.v1beta2, conditions: sortConditions([...meta.filter((c) => c.type !== input.type), nextMeta]) };
}

/** Every metav1 condition was computed for this generation (after our own spec patches). */
export function stampGeneration(status: ConditionedStatus, generation: number | undefined): void {
  if (generation === undefined) return;
  for (const c of status.v1beta2?.conditions ?? []) c.observedGeneration = generation;
}

/** Drops a condition from both shapes (a feature turned off reports nothing). */
export function removeCondition(status: ConditionedStatus, type: string): void {
  if (status.conditions) status.conditions = status.conditions.filter((c) => c.type !== type);
  if (status.v1beta2?.conditions) status.v1beta2 = { ...status.v1beta2, conditions: status.v1beta2.conditions.filter((c) => c.type !== type) };
}

export function getCondition(status: ConditionedStatus | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function isConditionTrue(status: ConditionedStatus | undefined, type: string): boolean {
  return getCondition(status, type)?.status === 'True';
}

/** Ready first, then by type, as Cluster API orders them. */
function sortConditions<C extends { type: string }>(conditions: C[]): C[] {
  return conditions.sort((a, b) => (a.type === 'Ready' ? -1 : b.type === 'Ready' ? 1 : a.type.localeCompare(b.type)));
}
