// Rollouts where people look: a status-bar item with the active rollouts, and one notification when a
// rollout finishes or gets stuck (no progress for capi-dcs.explorer.rolloutStuckMinutes).
import * as vscode from 'vscode';
import { commandId, Commands, Views } from '../shared/ids';
import { rolloutKey } from './items';
import { md } from './labels';
import { inMotionText, progressSummary } from './progress';
import { RolloutTracker, type RolloutEvent, type TrackedRollout } from './rolloutTracker';
import type { ExplorerSession } from './session';
import type { ClusterTarget } from './targets';


/** How often stalls are checked when nothing else happens. */
const TICK_MS = 5_000;

export class RolloutWatch implements vscode.Disposable {
  private readonly tracker: RolloutTracker;
  private readonly item = vscode.window.createStatusBarItem('capi-dcs.rollouts', vscode.StatusBarAlignment.Left, 20);
  private readonly timer: NodeJS.Timeout;
  private readonly subscription: { dispose(): void };
  private readonly lastByContext = new Map<string, TrackedRollout[]>();
  /** The Cluster each rollout belongs to, for the notification's "Describe Cluster" action. */
  private readonly subjects = new Map<string, ClusterTarget>();
  private readonly stuckChanged = new vscode.EventEmitter<void>();
  /** Fires when a rollout becomes stuck or stops being stuck (its tree icon changes). */
  readonly onDidChangeStuck = this.stuckChanged.event;

  constructor(
    private readonly session: ExplorerSession,
    stuckAfterMs: number,
    private readonly log: (message: string) => void,
  ) {
    this.tracker = new RolloutTracker(stuckAfterMs);
    this.item.name = 'CAPI DCS rollouts';
    this.item.command = `${Views.clusters}.focus`;
    this.subscription = session.onDidChange(() => {
      this.update();
    });
    this.timer = setInterval(() => {
      this.update();
    }, TICK_MS);
  }

  setStuckAfter(ms: number): void {
    this.tracker.setStuckAfter(ms);
    this.update();
  }

  isStuck(key: string): boolean {
    return this.tracker.active().some((a) => a.stuck && a.rollout.key === key);
  }

  /** The status-bar text, for tests and the API. */
  get statusText(): string | undefined {
    return this.item.text === '' ? undefined : this.item.text;
  }

  private update(): void {
    const before = this.stuckKeys();
    const events = this.tracker.update(this.collect(), Date.now());
    for (const event of events) this.announce(event);
    this.render();
    if (this.stuckKeys() !== before) this.stuckChanged.fire();
  }

  private stuckKeys(): string {
    return this.tracker.active().filter((a) => a.stuck).map((a) => a.rollout.key).join('\n');
  }

  /** Every control plane and deployment of every watched context; a context that is (re)connecting keeps its last list. */
  private collect(): TrackedRollout[] {
    const all: TrackedRollout[] = [];
    for (const context of this.session.connectedContexts()) {
      const view = this.session.view(context);
      if (!view?.model || view.state === 'connecting') {
        all.push(...(this.lastByContext.get(context) ?? []));
        continue;
      }
      const list: TrackedRollout[] = [];
      for (const cluster of view.model.clusters) {
        for (const owner of [cluster.controlPlane, ...cluster.deployments]) {
          if (!owner) continue;
          const key = rolloutKey(context, owner);
          this.subjects.set(key, { context, namespace: cluster.ref.namespace, name: cluster.name });
          list.push({ key, label: `${owner.kind} ${owner.ref.namespace}/${owner.name} (${context})`, progress: owner.rollout });
        }
      }
      this.lastByContext.set(context, list);
      all.push(...list);
    }
    for (const context of [...this.lastByContext.keys()]) if (!this.session.connectedContexts().includes(context)) this.lastByContext.delete(context);
    const keys = new Set(all.map((r) => r.key));
    for (const key of [...this.subjects.keys()]) if (!keys.has(key)) this.subjects.delete(key);
    return all;
  }

  private announce(event: RolloutEvent): void {
    const { rollout } = event;
    const p = rollout.progress;
    switch (event.type) {
      case 'started':
        this.log(`rollout started: ${rollout.label}: ${progressSummary(p)}`);
        return;
      case 'finished':
        this.log(`rollout finished: ${rollout.label}`);
        void vscode.window.showInformationMessage(`Rollout finished: ${rollout.label}: ${p.desired}/${p.desired} machines up to date.`);
        return;
      case 'stuck': {
        const stalled = event.stalledForMs < 120_000 ? `${Math.round(event.stalledForMs / 1000)} s` : `${Math.round(event.stalledForMs / 60_000)} min`;
        const reason = p.blocking ?? 'No condition explains it.';
        this.log(`rollout stuck: ${rollout.label}: no progress for ${stalled}: ${reason}`);
        const subject = this.subjects.get(rollout.key);
        const actions = subject ? ['Describe Cluster'] : [];
        void vscode.window
          .showWarningMessage(`Rollout stuck: ${rollout.label} made no progress for ${stalled} (${progressSummary(p)}). ${reason}`, ...actions)
          .then((choice) => {
            if (choice && subject) void vscode.commands.executeCommand(commandId(Commands.describeCluster), subject);
          });
        return;
      }
    }
  }

  private render(): void {
    const active = this.tracker.active();
    if (active.length === 0) {
      this.item.text = '';
      this.item.hide();
      return;
    }
    const stuck = active.filter((a) => a.stuck).length;
    const noun = active.length === 1 ? 'rollout' : 'rollouts';
    this.item.text = stuck > 0 ? `$(warning) ${active.length} ${noun}, ${stuck} stuck` : `$(sync~spin) ${active.length} ${noun}`;
    const lines = active.map(({ rollout, stuck: isStuck }) => {
      const moving = inMotionText(rollout.progress);
      const current = moving ? ` · ${md(moving)}` : '';
      return `- ${isStuck ? '$(warning) ' : ''}${md(rollout.label)}: ${progressSummary(rollout.progress)}${current}`;
    });
    const tooltip = new vscode.MarkdownString(`**Active rollouts**\n\n${lines.join('\n')}`);
    tooltip.supportThemeIcons = true;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = stuck > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription.dispose();
    this.item.dispose();
    this.stuckChanged.dispose();
  }
}
