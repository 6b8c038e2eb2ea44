// DRS rules on a compute cluster (`PUT {clusterUri}` with drsSetting.drsRules operations:
// 2 create, 1 modify, 0 delete), used for control-plane anti-affinity. Validated when the
// request arrives and applied when its task completes. DRS then enforces mutual exclusion rules
// at once (simplified: a real DCS migrates on its DRS cycle): a member VM sharing a host with
// another member moves to a usable host of the cluster without one, if there is such a host.

import type { DrsRule, DrsRuleOperation, TaskRef } from '../shared/dcs/types';
import { parseDcsUrn } from '../shared/dcs/urn';
import { invalid, notFound, wrongState } from './apiError';
import { asArray, asObject, optNumber, reqString, stringList } from './json';
import type { ClusterRecord, SimState, TaskRecord, VmRecord } from './model';
import type { Store } from './store';
import type { TaskEngine } from './tasks';
import type { Views } from './views';
import type { VmOps } from './vmOps';

export class ClusterOps {
  constructor(
    private readonly store: Store,
    private readonly tasks: TaskEngine,
    private readonly views: Views,
    private readonly vms: VmOps,
  ) {
    tasks.register('modifycluster', {
      complete: (t) => {
        if (t.payload.kind !== 'modifycluster') return;
        const cluster = this.get(t.payload.clusterId);
        cluster.drsRules = applyOperations(this.store.state, cluster, t.payload.operations);
        for (const rule of cluster.drsRules) if (rule.ruleType === MUTUAL_EXCLUSION) spreadMembers(this.store.state, cluster, rule);
      },
      fail: () => undefined,
    });
  }

  get(id: string): ClusterRecord {
    const cluster = this.store.state.clusters[id];
    if (!cluster) throw notFound(`cluster ${this.views.urn('clusters', id)} does not exist`);
    return cluster;
  }

  modify(id: string, body: unknown, user: string): TaskRef {
    const cluster = this.get(id);
    const drs = asObject(asObject(body, 'body').drsSetting, 'drsSetting');
    const operations = asArray(drs.drsRules, 'drsSetting.drsRules').map((item, i): DrsRuleOperation => {
      const path = `drsSetting.drsRules[${i}]`;
      const op = asObject(item, path);
      const operationType = optNumber(op, 'operationType', path, -1);
      if (operationType !== 0 && operationType !== 1 && operationType !== 2) throw invalid(`${path}.operationType must be 0, 1 or 2`);
      return {
        operationType,
        ruleIndex: op.ruleIndex === undefined ? undefined : optNumber(op, 'ruleIndex', path, 0),
        ruleName: reqString(op, 'ruleName', path),
        ruleType: optNumber(op, 'ruleType', path, 2),
        vms: stringList(op.vms, `${path}.vms`),
      };
    });
    if (!cluster.drsEnabled) throw wrongState(`DRS is disabled on cluster ${cluster.name}`);
    applyOperations(this.store.state, cluster, operations); // validate now, apply at completion
    const task: TaskRecord = this.tasks.start({
      payload: { kind: 'modifycluster', clusterId: id, operations },
      entityUrn: this.views.urn('clusters', id),
      entityName: cluster.name,
      user,
    });
    return this.vms.ref(task);
  }
}

const MUTUAL_EXCLUSION = 2;

/** Moves members of a mutual exclusion rule off hosts that another member occupies, while free hosts remain. */
export function spreadMembers(state: SimState, cluster: ClusterRecord, rule: DrsRule): void {
  const members = rule.vms.map((urn) => state.vms[parseDcsUrn(urn)?.id ?? '']).filter((vm): vm is VmRecord => vm !== undefined);
  const taken = new Set<string>();
  const usable = Object.values(state.hosts).filter((h) => h.clusterId === cluster.id && h.status === 'normal');
  for (const vm of members) {
    if (!taken.has(vm.hostId)) {
      taken.add(vm.hostId);
      continue;
    }
    const free = usable.filter((h) => !taken.has(h.id) && !members.some((m) => m.hostId === h.id)).sort((a, b) => a.name.localeCompare(b.name))[0];
    if (!free) continue; // too few hosts: the rule cannot be satisfied, the VMs stay together
    vm.hostId = free.id;
    taken.add(free.id);
  }
}

/** The rules after the operations; throws on a clash, an unknown rule or an unknown VM. */
function applyOperations(state: SimState, cluster: ClusterRecord, operations: readonly DrsRuleOperation[]): DrsRule[] {
  let rules = [...cluster.drsRules];
  for (const op of operations) {
    // A delete may list members that are gone; the VMs of a create or modify must exist.
    for (const vm of op.operationType === 0 ? [] : op.vms) {
      const ref = parseDcsUrn(vm);
      if (ref?.kind !== 'vms' || !state.vms[ref.id]) throw notFound(`DRS rule ${op.ruleName}: VM ${vm} does not exist`);
    }
    const existing = rules.find((r) => r.ruleIndex === op.ruleIndex);
    if (op.operationType === 2) {
      if (rules.some((r) => r.ruleName === op.ruleName)) throw wrongState(`DRS rule ${op.ruleName} already exists on ${cluster.name}`);
      const ruleIndex = Math.max(0, ...rules.map((r) => r.ruleIndex)) + 1;
      rules.push({ ruleIndex, ruleName: op.ruleName, ruleType: op.ruleType, vms: [...op.vms] });
    } else if (existing?.ruleName !== op.ruleName) {
      throw notFound(`DRS rule ${op.ruleName} with index ${String(op.ruleIndex)} does not exist on ${cluster.name}`);
    } else if (op.operationType === 1) {
      rules = rules.map((r) => (r === existing ? { ...r, ruleType: op.ruleType, vms: [...op.vms] } : r));
    } else {
      rules = rules.filter((r) => r !== existing);
    }
  }
  return rules;
}
