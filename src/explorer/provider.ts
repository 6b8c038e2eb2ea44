import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { listContexts, loadKubeConfig, type ContextSummary } from '../kube/kubeconfig';
import { describeError } from '../log';

type Node = { kind: 'context'; context: ContextSummary } | { kind: 'message'; text: string; detail?: string };

/** The cluster explorer: management clusters (kubeconfig contexts) at the root. */
export class ClusterExplorer implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    ctx.own(this.changed);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(parent?: Node): Node[] {
    if (parent) return [];
    try {
      const kc = loadKubeConfig(this.ctx.config.kubeconfig);
      // No kubeconfig at all: the view's welcome content explains what to do.
      if (!kc) return [];
      const contexts = listContexts(kc);
      if (contexts.length === 0) return [{ kind: 'message', text: 'No contexts in the kubeconfig' }];
      return contexts.map((context) => ({ kind: 'context', context }));
    } catch (error) {
      this.ctx.log.warn(`kubeconfig could not be read: ${describeError(error)}`);
      return [{ kind: 'message', text: 'Kubeconfig not readable', detail: 'See the CAPI DCS log' }];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.text);
      item.description = node.detail;
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    const { context } = node;
    const item = new vscode.TreeItem(context.name, vscode.TreeItemCollapsibleState.None);
    item.description = context.server ?? context.cluster;
    item.tooltip = new vscode.MarkdownString(
      `**${context.name}**${context.isCurrent ? ' (current)' : ''}\n\ncluster \`${context.cluster}\`\n\nserver \`${context.server ?? 'unknown'}\``,
    );
    item.iconPath = new vscode.ThemeIcon(context.isCurrent ? 'server-environment' : 'server');
    item.contextValue = 'managementCluster';
    return item;
  }
}
