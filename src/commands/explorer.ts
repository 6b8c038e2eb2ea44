// Explorer commands: thin adapters from a tree element (or the tree's selection) to the explorer's parts.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { describeUri, liveUri } from '../explorer/documents';
import type { Explorer } from '../explorer/explorer';
import { clusterTargetOf, liveTargetOf, type ClusterTarget } from '../explorer/targets';
import { revealInWorkspace } from './revealInWorkspace';

const SELECT_FIRST = 'Select an object in the Cluster API explorer first.';

export async function selectContexts(explorer: Explorer): Promise<void> {
  const all = explorer.session.allContexts();
  if (all.length === 0) {
    void vscode.window.showInformationMessage('No kubeconfig contexts found. Set capi-dcs.kubeconfig or $KUBECONFIG.');
    return;
  }
  const chosen = new Set(explorer.settings.contexts);
  const picked = await vscode.window.showQuickPick(
    all.map((c) => ({ label: c.name, description: c.server ?? c.cluster, detail: c.isCurrent ? 'current context' : undefined, picked: chosen.size === 0 || chosen.has(c.name) })),
    { canPickMany: true, title: 'Management clusters to show', placeHolder: 'Nothing or everything selected shows every context' },
  );
  if (!picked) return;
  const names = picked.length === all.length ? [] : picked.map((p) => p.label);
  await explorer.settings.setContexts(names);
}

export async function openLiveObject(explorer: Explorer, arg: unknown): Promise<void> {
  const element = explorer.target(arg);
  const target = element ? liveTargetOf(element) : undefined;
  if (!target) {
    void vscode.window.showInformationMessage(SELECT_FIRST);
    return;
  }
  const doc = await vscode.workspace.openTextDocument(liveUri(target));
  await vscode.window.showTextDocument(doc, { preview: true });
}

export async function copyName(explorer: Explorer, arg: unknown): Promise<void> {
  const element = explorer.target(arg);
  const target = element ? liveTargetOf(element) : undefined;
  if (!target) {
    void vscode.window.showInformationMessage(SELECT_FIRST);
    return;
  }
  await vscode.env.clipboard.writeText(target.name);
  vscode.window.setStatusBarMessage(`Copied ${target.name}`, 3000);
}

export async function describeCluster(explorer: Explorer, arg: unknown): Promise<void> {
  const target = isClusterTarget(arg) ? arg : await pickCluster(explorer, arg);
  if (!target) return;
  const doc = await vscode.workspace.openTextDocument(describeUri(target));
  await vscode.window.showTextDocument(doc, { preview: false });
}

export async function revealObject(ctx: Ctx, explorer: Explorer, arg: unknown): Promise<void> {
  const element = explorer.target(arg);
  const target = element ? liveTargetOf(element) : undefined;
  if (!target) {
    void vscode.window.showInformationMessage(SELECT_FIRST);
    return;
  }
  await revealInWorkspace(ctx, target);
}

function isClusterTarget(value: unknown): value is ClusterTarget {
  const v = value as Partial<ClusterTarget> | null | undefined;
  return typeof v?.context === 'string' && typeof v.namespace === 'string' && typeof v.name === 'string' && !('type' in (v as object));
}

async function pickCluster(explorer: Explorer, arg: unknown): Promise<ClusterTarget | undefined> {
  const element = explorer.target(arg);
  const fromElement = element ? clusterTargetOf(element) : undefined;
  if (fromElement) return fromElement;
  const items = explorer.session.connectedContexts().flatMap((context) =>
    (explorer.session.view(context)?.model?.clusters ?? []).map((c) => ({ label: c.name, description: `${c.ref.namespace} · ${context}`, target: { context, namespace: c.ref.namespace, name: c.name } })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No clusters loaded yet: expand a management cluster in the Cluster API explorer.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: 'Describe which cluster?' }))?.target;
}
