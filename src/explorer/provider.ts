// The cluster explorer's TreeDataProvider: management clusters (kubeconfig contexts) at the root, each
// watched once expanded. It reads only the session's snapshots and refreshes one context at a time.
import * as vscode from 'vscode';
import { treeItem } from './items';
import type { ExplorerSession } from './session';
import { childrenOf, type Element } from './tree';

export class ClusterExplorer implements vscode.TreeDataProvider<Element>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Element | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Context elements keep their identity, so a change refreshes just that context's subtree. */
  private readonly roots = new Map<string, Element>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly session: ExplorerSession,
    private readonly isStuck: (key: string) => boolean,
  ) {
    this.subscription = session.onDidChange((context) => {
      const root = context === undefined ? undefined : this.roots.get(context);
      this.changed.fire(root);
    });
  }

  /** Re-renders everything (e.g. after a stuck rollout changed its icon). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(parent?: Element): Element[] {
    if (parent) return childrenOf(this.session, parent);
    const state = this.session.state;
    // No kubeconfig at all: the view's welcome content explains what to do.
    if (state.kind === 'none') return [];
    if (state.kind === 'invalid') {
      return [{ type: 'message', context: '', id: 'kubeconfig-invalid', label: 'Kubeconfig not readable', detail: state.message, tooltip: state.message, tone: 'error' }];
    }
    if (state.contexts.length === 0) return [{ type: 'message', context: '', id: 'no-contexts', label: 'No contexts in the kubeconfig', tone: 'info' }];
    return state.contexts.map((c) => {
      let root = this.roots.get(c.name);
      if (!root) {
        root = { type: 'context', context: c.name };
        this.roots.set(c.name, root);
      }
      return root;
    });
  }

  getTreeItem(element: Element): vscode.TreeItem {
    return treeItem(element, { view: (name) => this.session.view(name), stuck: this.isStuck, now: Date.now() });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
