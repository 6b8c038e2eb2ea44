// Identifiers of the operate features (apply, upgrade, rollout actions): command names, settings, field
// managers and annotations. No vscode import: the pure modules, the commands and the tests share them.

/** Command names, without the `capi-dcs.` prefix that package.json and registration add. */
export const OperateCommands = {
  applyManifest: 'applyManifest',
  applySelection: 'applySelection',
  applyFolder: 'applyFolder',
  upgradeCluster: 'upgradeCluster',
  scale: 'scale',
  restartRollout: 'restartRollout',
  pauseCluster: 'pauseCluster',
  resumeCluster: 'resumeCluster',
  deleteMachine: 'deleteMachine',
  rollbackMachineDeployment: 'rollbackMachineDeployment',
} as const;
export type OperateCommandName = (typeof OperateCommands)[keyof typeof OperateCommands];

export const operateCommandId = (name: OperateCommandName): string => `capi-dcs.${name}`;

/** Settings under `capi-dcs.` that the operate features read. */
export const OperateSettings = {
  /** Wait for the control plane to finish its rollout before the upgrade moves the workers. */
  upgradeWaitForControlPlane: 'upgrade.waitForControlPlane',
  /** Minutes the upgrade waits for the control plane before it gives up on the workers. */
  upgradeControlPlaneTimeoutMinutes: 'upgrade.controlPlaneTimeoutMinutes',
  /** Offer to write an upgrade into the workspace files that define the cluster. */
  upgradeWriteBack: 'upgrade.writeBack',
} as const;

/** Server-side apply's field manager for manifests the user applies. */
export const APPLY_FIELD_MANAGER = 'capi-dcs';
/**
 * The field manager of the targeted changes (upgrade, scale, restart, pause, rollback). They are merge patches:
 * a partial server-side apply under one manager would drop the fields an earlier partial apply set.
 */
export const OPERATE_FIELD_MANAGER = 'capi-dcs-operate';

/** Annotations we set on the objects we change. */
export const OperateAnnotations = {
  /** On a MachineDeployment or KubeadmControlPlane: the template name and version it had before our upgrade (JSON). */
  previous: 'capi-dcs.io/previous-infrastructure-ref',
  /** On a DCSMachineTemplate the upgrade created: the template it was copied from. */
  copiedFrom: 'capi-dcs.io/copied-from',
} as const;

/** URI scheme of the read-only live/result documents shown in the diff editor. */
export const DIFF_SCHEME = 'capi-dcs-diff';
