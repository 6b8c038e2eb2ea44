// The registry of cross-document rules, in the order their findings are reported.
import type { Rule } from '../rule';
import { clusterName, clusterNotFound } from './clusterName';
import { kcpReplicasOdd, kcpSingleReplica } from './controlPlane';
import { deprecatedApiVersion, duplicateObject } from './objects';
import { persistentDiskSurge, poolAddressShared, poolExhausted, poolSurgeCapacity } from './pools';
import { refNotFound, refWrongKind, refWrongVersion } from './references';
import { dataOnTemplateDisk, templateEditedInPlace } from './templates';
import { kubeadmMinorSkew, versionFormat, versionSkew } from './versionSkew';

export const rules: readonly Rule[] = [
  duplicateObject,
  refWrongKind,
  refWrongVersion,
  refNotFound,
  clusterName,
  clusterNotFound,
  versionFormat,
  versionSkew,
  kubeadmMinorSkew,
  kcpReplicasOdd,
  kcpSingleReplica,
  poolExhausted,
  poolSurgeCapacity,
  poolAddressShared,
  persistentDiskSurge,
  templateEditedInPlace,
  dataOnTemplateDisk,
  deprecatedApiVersion,
];

export function ruleById(id: string): Rule | undefined {
  return rules.find((r) => r.id === id);
}
