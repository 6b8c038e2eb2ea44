// Assembles the cluster explorer: session (kubeconfig + informers), tree view, rollout status bar and
// notifications, and the describe / live YAML documents. Owned by the extension's Ctx.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { loadKubeConfig } from '../kube/kubeconfig';
import { Schemes, Views } from '../shared/ids';
import { DescribeDocuments, LiveObjectDocuments } from './documents';
import { ClusterExplorer } from './provider';
import { RolloutWatch } from './rolloutWatch';
import { ExplorerSession } from './session';
import { ExplorerSettings } from './settings';
import { isElement } from './targets';
import type { Element } from './tree';

export class Explorer implements vscode.Disposable {
  readonly settings = new ExplorerSettings();
  readonly session: ExplorerSession;
  readonly rollouts: RolloutWatch;
  readonly provider: ClusterExplorer;
  readonly view: vscode.TreeView<Element>;
  private readonly disposables: { dispose(): unknown }[] = [];

  constructor(ctx: Ctx) {
    this.session = new ExplorerSession({
      loadKubeConfig: () => loadKubeConfig(ctx.config.kubeconfig),
      shownContexts: () => this.settings.contexts,
      log: (level, message) => {
        if (level === 'warn') ctx.log.warn(message);
        else ctx.log.info(message);
      },
    });
    this.rollouts = new RolloutWatch(this.session, this.settings.rolloutStuckMs, (message) => {
      ctx.log.info(message);
    });
    this.provider = new ClusterExplorer(this.session, (key) => this.rollouts.isStuck(key));
    this.view = vscode.window.createTreeView(Views.clusters, { treeDataProvider: this.provider, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.provider,
      this.rollouts,
      this.rollouts.onDidChangeStuck(() => {
        this.provider.refresh();
      }),
      registerDocuments(Schemes.describe, new DescribeDocuments(this.session)),
      registerDocuments(Schemes.live, new LiveObjectDocuments(this.session)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (this.settings.affectsContexts(e)) this.session.reload();
        if (this.settings.affectsRollouts(e)) this.rollouts.setStuckAfter(this.settings.rolloutStuckMs);
      }),
    );
  }

  /** Refresh: a context element lists that context again; anything else re-reads the kubeconfig and lists everything. */
  refresh(arg?: unknown): void {
    if (isElement(arg) && arg.type === 'context') this.session.refresh(arg.context);
    else this.session.refresh();
  }

  /** The element a palette command should act on: the argument, else the tree's selection. */
  target(arg: unknown): Element | undefined {
    if (isElement(arg)) return arg;
    return this.view.selection[0];
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
    this.session.dispose();
  }
}

function registerDocuments(scheme: string, provider: vscode.TextDocumentContentProvider & { dispose(): void }): { dispose(): void } {
  const registration = vscode.workspace.registerTextDocumentContentProvider(scheme, provider);
  return {
    dispose: () => {
      registration.dispose();
      provider.dispose();
    },
  };
}
