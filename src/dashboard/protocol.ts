// The messages between the dashboard panel (extension host) and its webview page (webview/dashboard).
// Types only: both sides import them, the page through its own browser build.

export interface MachineTile {
  readonly name: string;
  /** new: runs the owner's current spec; old: to be replaced; unknown: the server does not say. */
  readonly generation: 'new' | 'old' | 'unknown';
  readonly ready: boolean;
  readonly deleting: boolean;
  /** The Machine the rollout moves right now (being deleted or coming up). */
  readonly inMotion?: 'deleting' | 'creating';
  readonly phase: string;
  readonly version: string;
  readonly node: string;
  /** The first condition that is not as it should be: "InfrastructureReady False: quota exceeded". */
  readonly problem?: string;
}

export interface TimelineEntry {
  readonly machine: string;
  readonly event: 'created' | 'ready' | 'deleting' | 'deleted';
  /** ISO time of the event. */
  readonly at: string;
  /** created → ready, or deleting → deleted, in milliseconds; for a step still going, the time so far. */
  readonly durationMs?: number;
  readonly done: boolean;
}

export interface ConditionRow {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

export interface OwnerView {
  readonly id: string;
  readonly kind: 'KubeadmControlPlane' | 'MachineDeployment';
  readonly name: string;
  readonly version: string;
  readonly desired: number;
  readonly newMachines: number;
  readonly oldMachines: number;
  readonly ready: number;
  readonly percent: number;
  readonly rollingOut: boolean;
  readonly paused: boolean;
  readonly inMotion?: string;
  readonly blocking?: string;
  readonly machines: readonly MachineTile[];
  /** Conditions that are not in their good state: what holds the rollout. */
  readonly conditions: readonly ConditionRow[];
  readonly timeline: readonly TimelineEntry[];
}

export interface DashboardState {
  readonly context: string;
  readonly namespace: string;
  readonly cluster: string;
  /** False when the cluster is gone (deleted, or the context is no longer watched). */
  readonly found: boolean;
  readonly phase: string;
  readonly version: string;
  readonly paused: boolean;
  readonly connection: string;
  readonly owners: readonly OwnerView[];
  /** ISO time of this picture. */
  readonly at: string;
}

/** Extension → page. */
export type ToPage =
  | { readonly type: 'state'; readonly state: DashboardState }
  | { readonly type: 'schema'; readonly schema: unknown }
  | { readonly type: 'plan'; readonly yaml: string; readonly summary: string }
  | { readonly type: 'planError'; readonly message: string }
  | { readonly type: 'applied'; readonly message: string };

/** Page → extension. */
export type FromPage =
  | { readonly type: 'ready' }
  | { readonly type: 'planUpgrade' }
  | { readonly type: 'apply'; readonly yaml: string };
