// Identifiers shared by the extension, the language server, the controller and the tests.
// No vscode import here: every part of the project may import this module.

export const EXTENSION_ID = 'capi-dcs.capi-dcs';
export const OUTPUT_CHANNEL_NAME = 'CAPI DCS';
export const LANGUAGE_SERVER_NAME = 'CAPI DCS Language Server';
/** A repository's capi-dcs configuration, read by the lint command and the language server. */
export const CONFIG_FILE = '.capi-dcs.yaml';

/** Command ids, without the `capi-dcs.` prefix that package.json and registration add. */
export const Commands = {
  showLog: 'showLog',
  refreshExplorer: 'refreshExplorer',
  newClusterManifest: 'newClusterManifest',
  selectContexts: 'selectContexts',
  openLiveObject: 'openLiveObject',
  revealInWorkspace: 'revealInWorkspace',
  copyName: 'copyName',
  describeCluster: 'describeCluster',
} as const;
export type CommandName = (typeof Commands)[keyof typeof Commands];

export const commandId = (name: CommandName): string => `capi-dcs.${name}`;

export const Views = {
  container: 'capi-dcs',
  clusters: 'capi-dcs.clusters',
} as const;

/** Settings under the `capi-dcs.` section. */
export const Settings = {
  kubeconfig: 'kubeconfig',
  validationEnable: 'validation.enable',
  traceServer: 'trace.server',
  /** Kubeconfig contexts the explorer shows; empty: every context. */
  explorerContexts: 'explorer.contexts',
  /** Minutes without progress after which a rollout counts as stuck. */
  explorerRolloutStuckMinutes: 'explorer.rolloutStuckMinutes',
} as const;

/** URI schemes of the explorer's read-only documents. */
export const Schemes = {
  describe: 'capi-dcs-describe',
  live: 'capi-dcs-live',
} as const;

/** `contextValue`s of explorer items; package.json menus match them with `viewItem =~ /.../`. */
export const ExplorerItems = {
  context: 'managementCluster',
  /** Any item backed by a live object (open YAML, reveal, copy name). */
  liveObject: 'liveObject',
  cluster: 'cluster',
  /** With `cluster`: whether its reconciliation is paused, so the menu offers Resume or Pause, not both. */
  paused: 'paused',
  running: 'running',
} as const;
