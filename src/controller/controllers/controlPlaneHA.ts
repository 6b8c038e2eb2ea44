// Control plane anti-affinity (reference §2.1 controlPlaneHA, §6 ControlPlaneHAReady, §8 DRS
// rules): with spec.controlPlaneHA.enabled the provider keeps one DCS DRS rule of type 2 (mutual
// exclusion) listing the control plane VMs, in the DCS compute cluster that holds them. It writes
// the rule (create, or modify when the membership changed), never runs DRS itself, and reports
// True only once DCS has placed every member on its own host. Turned off, or with the DCSCluster
// deleted, the rule is deleted.
// Our choices where the reference is silent: the rule name `capi-<namespace>-<cluster>-cp`, and
// a rule only from two VMs on (a one-VM exclusion rule says nothing).

import { DcsError, DcsNotFoundError } from '../../shared/dcs/errors';
import type { DcsVm, DrsRule, DrsRuleOperation } from '../../shared/dcs/types';
import { ConditionTypes, Reasons, removeCondition } from '../api/conditions';
import { Kinds, type DCSMachine } from '../api/kinds';
import { Labels } from '../api/names';
import type { EventSink } from '../runtime/events';
import type { Informer } from '../runtime/informer';
import type { ClusterScope } from '../scope/clusterScope';
import type { DcsConnection } from '../services/dcsConnections';
import type { TaskTracker } from '../services/taskTracker';

export interface ControlPlaneHADeps {
  readonly dcsMachines: Informer<DCSMachine>;
  readonly tasks: TaskTracker;
  readonly events: EventSink;
  readonly timing: { readonly pollMs: number };
}

const MUTUAL_EXCLUSION = 2;
const STEP = 'drsrule';

export function ruleNameFor(namespace: string, clusterName: string): string {
  return `capi-${namespace}-${clusterName}-cp`.slice(0, 128);
}

/** Keeps the rule; returns when to look again (ms), or undefined when there is nothing to watch. */
export async function reconcileControlPlaneHA(scope: ClusterScope, deps: ControlPlaneHADeps, conn: DcsConnection, members: readonly DCSMachine[]): Promise<number | undefined> {
  try {
    return scope.dcsCluster.spec.controlPlaneHA?.enabled === true ? await keepRule(scope, deps, conn, members) : await dropControlPlaneRule(scope, deps, conn);
  } catch (err: unknown) {
    if (!(err instanceof DcsError)) throw err;
    const message = `DRS rule: ${err.message}`;
    scope.setCondition({ type: ConditionTypes.controlPlaneHAReady, status: 'False', reason: Reasons.controlPlaneHAFailed, message, severity: 'Warning' });
    deps.events.event(Kinds.dcsCluster, scope.dcsCluster, 'Warning', Reasons.controlPlaneHAFailed, message);
    scope.log.warn('control plane anti-affinity failed', { error: err.message });
    return deps.timing.pollMs * 25;
  }
}

/** The control plane DCSMachines of a cluster that are not being deleted, by name. */
export function controlPlaneMembers(machines: readonly DCSMachine[]): DCSMachine[] {
  return machines
    .filter((m) => m.metadata.labels?.[Labels.controlPlane] !== undefined && m.metadata.deletionTimestamp === undefined)
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

async function keepRule(scope: ClusterScope, deps: ControlPlaneHADeps, conn: DcsConnection, machines: readonly DCSMachine[]): Promise<number | undefined> {
  const dcs = conn.client;
  const pending = (message: string): number => {
    scope.setCondition({ type: ConditionTypes.controlPlaneHAReady, status: 'False', reason: Reasons.controlPlaneHAPending, message });
    return deps.timing.pollMs * 5;
  };
  const failed = (message: string): number => {
    scope.setCondition({ type: ConditionTypes.controlPlaneHAReady, status: 'False', reason: Reasons.controlPlaneHAFailed, message, severity: 'Warning' });
    deps.events.event(Kinds.dcsCluster, scope.dcsCluster, 'Warning', Reasons.controlPlaneHAFailed, message);
    return deps.timing.pollMs * 25;
  };

  const members: { machine: DCSMachine; vm: DcsVm }[] = [];
  for (const machine of machines) {
    const vm = machine.spec.vmUrn ? await dcs.getVm(machine.spec.vmUrn).catch(ignoreNotFound) : undefined;
    if (vm) members.push({ machine, vm });
  }
  if (members.length < 2) return pending(`waiting for control plane VMs: ${members.length} of ${machines.length} exist, the rule needs two`);
  const clusterUrns = [...new Set(members.map((m) => m.vm.clusterUrn))];
  const clusterUrn = clusterUrns[0];
  if (clusterUrns.length > 1 || !clusterUrn) return failed(`the control plane VMs are in different DCS clusters (${[...new Set(members.map((m) => m.vm.clusterName))].join(', ')}): one DRS rule cannot hold them`);
  const compute = await dcs.getCluster(clusterUrn);
  if (!compute.drsSetting.drsEnabled) return failed(`DRS is disabled on DCS cluster ${compute.name}: enable it, or turn controlPlaneHA off`);

  const ruleName = ruleNameFor(scope.namespace, scope.dcsCluster.metadata.labels?.[Labels.clusterName] ?? scope.name);
  const existing = compute.drsSetting.drsRules.find((r) => r.ruleName === ruleName);
  if (existing && existing.ruleType !== MUTUAL_EXCLUSION) return failed(`DCS cluster ${compute.name} has a rule named ${ruleName} that is not a mutual exclusion rule`);
  const vms = members.map((m) => m.vm.urn);
  const operation = ruleOperation(existing, ruleName, vms);
  if (operation) {
    const outcome = await deps.tasks.run(dcs, scope.dcsCluster.metadata.uid ?? '', STEP, () => dcs.updateDrsRules(clusterUrn, [operation]));
    if (outcome === 'pending') return pending(`writing DRS rule ${ruleName} on DCS cluster ${compute.name}`);
    const verb = operation.operationType === 2 ? 'created' : 'updated';
    const reason = operation.operationType === 2 ? 'ControlPlaneHARuleCreated' : 'ControlPlaneHARuleUpdated';
    deps.events.event(Kinds.dcsCluster, scope.dcsCluster, 'Normal', reason, `${verb} DRS rule ${ruleName} on DCS cluster ${compute.name}: ${members.map((m) => m.machine.metadata.name ?? '').join(', ')} on different hosts`);
    scope.log.info(`${verb} the control plane DRS rule`, { rule: ruleName, cluster: compute.name, members: members.length });
  }
  const rule = operation ? (await dcs.getCluster(clusterUrn)).drsSetting.drsRules.find((r) => r.ruleName === ruleName) : existing;
  if (!rule) return failed(`DRS rule ${ruleName} is missing on DCS cluster ${compute.name} after it was written`);
  scope.status.controlPlaneHA = {
    clusterUrn,
    ruleName,
    ruleIndex: rule.ruleIndex,
    members: members.map((m) => ({ machineName: m.machine.metadata.name ?? '', vmUrn: m.vm.urn })),
  };

  // DCS places the VMs (DRS migrates them); read where they are now.
  const placed = operation ? await Promise.all(members.map(async (m) => ({ ...m, vm: (await dcs.getVm(m.vm.urn).catch(ignoreNotFound)) ?? m.vm }))) : members;
  const byHost = new Map<string, string[]>();
  for (const m of placed) byHost.set(m.vm.hostName || m.vm.hostUrn, [...(byHost.get(m.vm.hostName || m.vm.hostUrn) ?? []), m.machine.metadata.name ?? '']);
  const shared = [...byHost.entries()].filter(([, names]) => names.length > 1);
  if (shared.length > 0) {
    return pending(`waiting for DCS placement: ${shared.map(([host, names]) => `${names.join(' and ')} share host ${host}`).join('; ')}`);
  }
  scope.setCondition({ type: ConditionTypes.controlPlaneHAReady, status: 'True', reason: Reasons.controlPlaneHAReady, message: `DRS rule ${ruleName}: ${placed.length} control plane VMs on ${byHost.size} hosts` });
  return undefined;
}

/** The create or modify operation that makes the rule list exactly `vms`; undefined when it does. */
function ruleOperation(existing: DrsRule | undefined, ruleName: string, vms: readonly string[]): DrsRuleOperation | undefined {
  if (!existing) return { operationType: 2, ruleName, ruleType: MUTUAL_EXCLUSION, vms };
  const same = existing.vms.length === vms.length && vms.every((v) => existing.vms.includes(v));
  return same ? undefined : { operationType: 1, ruleIndex: existing.ruleIndex, ruleName, ruleType: MUTUAL_EXCLUSION, vms };
}

/** controlPlaneHA turned off (or never on): the rule the status records goes, and so does the condition. */
export async function dropControlPlaneRule(scope: ClusterScope, deps: ControlPlaneHADeps, conn: DcsConnection): Promise<number | undefined> {
  const recorded = scope.status.controlPlaneHA;
  if (!recorded?.clusterUrn || !recorded.ruleName) {
    removeCondition(scope.status, ConditionTypes.controlPlaneHAReady);
    return undefined;
  }
  const dcs = conn.client;
  const rule = (await dcs.getCluster(recorded.clusterUrn).catch(ignoreNotFound))?.drsSetting.drsRules.find((r) => r.ruleName === recorded.ruleName);
  if (rule) {
    // A delete names no VMs: members may be gone already.
    const operation: DrsRuleOperation = { operationType: 0, ruleIndex: rule.ruleIndex, ruleName: rule.ruleName, ruleType: rule.ruleType, vms: [] };
    if ((await deps.tasks.run(dcs, scope.dcsCluster.metadata.uid ?? '', STEP, () => dcs.updateDrsRules(recorded.clusterUrn ?? '', [operation]))) === 'pending') {
      return deps.timing.pollMs * 5;
    }
    deps.events.event(Kinds.dcsCluster, scope.dcsCluster, 'Normal', 'ControlPlaneHARuleDeleted', `deleted DRS rule ${rule.ruleName}: controlPlaneHA is off`);
    scope.log.info('deleted the control plane DRS rule', { rule: rule.ruleName });
  }
  delete scope.status.controlPlaneHA;
  removeCondition(scope.status, ConditionTypes.controlPlaneHAReady);
  return undefined;
}

function ignoreNotFound(err: unknown): undefined {
  if (err instanceof DcsNotFoundError) return undefined;
  throw err;
}
