// The cluster explorer inside a real VS Code, with the two-context fixture kubeconfig whose servers
// (127.0.0.1:1 and :2) refuse connections: the tree, settings, commands and documents must cope.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CapiDcsApi } from '../../../src/extension';
import { EXTENSION_ID, Schemes } from '../../../src/shared/ids';
import type { Element } from '../../../src/explorer/tree';
import { waitFor, type Harness } from './harness';

async function api(): Promise<CapiDcsApi> {
  const ext = vscode.extensions.getExtension<CapiDcsApi>(EXTENSION_ID);
  assert.ok(ext);
  return ext.activate();
}

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** A tree element for a Cluster the commands can act on (as the context menu passes it). */
function clusterElement(namespace: string, name: string): Element {
  const ref = { kind: 'Cluster', apiVersion: 'cluster.x-k8s.io/v1beta2', namespace, name } as const;
  return {
    type: 'cluster',
    context: 'kind-capi-mgmt',
    cluster: {
      id: `Cluster/${namespace}/${name}`, ref, name, health: 'unknown', conditions: [], phase: undefined, version: undefined, paused: false, ready: undefined,
      infrastructureProvisioned: undefined, controlPlaneInitialized: undefined, controlPlane: undefined, deployments: [], otherMachines: [], infrastructure: { cluster: undefined, pools: [] },
    },
  };
}

export function registerExplorerTests(h: Harness): void {
  h.test('explorer: lists the kubeconfig contexts, current context first-class', async () => {
    const { explorer } = await api();
    const roots = explorer.provider.getChildren();
    const items = roots.map((r) => explorer.provider.getTreeItem(r));
    assert.deepEqual(items.map(label), ['lab-admin', 'kind-capi-mgmt']);
    assert.equal(items[0]?.collapsibleState, vscode.TreeItemCollapsibleState.Expanded, 'the current context opens by itself');
    assert.equal(items[1]?.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(items[0].contextValue, 'managementCluster');
  });

  h.test('explorer: an unreachable management cluster shows an item, not an error', async () => {
    const { explorer } = await api();
    const root = explorer.provider.getChildren().find((e): e is Extract<Element, { type: 'context' }> => e.type === 'context' && e.context === 'kind-capi-mgmt');
    assert.ok(root);
    explorer.provider.getChildren(root); // expanding connects
    const message = await waitFor('the unreachable item', () => {
      const first = explorer.provider.getChildren(root)[0];
      return first?.type === 'message' && first.label.startsWith('Unreachable') ? first : undefined;
    });
    const item = explorer.provider.getTreeItem(message);
    assert.match(String(item.description), /connection refused/);
    assert.match(String(explorer.provider.getTreeItem(root).description), /127\.0\.0\.1:2 · unreachable/);
  });

  h.test('explorer: Select Management Clusters narrows the tree through its setting', async () => {
    const { explorer } = await api();
    const config = vscode.workspace.getConfiguration('capi-dcs');
    await config.update('explorer.contexts', ['kind-capi-mgmt'], vscode.ConfigurationTarget.Global);
    try {
      await waitFor('one context', () => (explorer.provider.getChildren().length === 1 ? true : undefined));
      const only = explorer.provider.getChildren()[0];
      assert.equal(only?.type === 'context' ? only.context : '', 'kind-capi-mgmt');
    } finally {
      await config.update('explorer.contexts', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('both contexts again', () => (explorer.provider.getChildren().length === 2 ? true : undefined));
  });

  h.test('explorer: describe and live YAML open read-only documents that explain a missing cluster', async () => {
    await api();
    await vscode.commands.executeCommand('capi-dcs.describeCluster', { context: 'kind-capi-mgmt', namespace: 'fleet', name: 'demo' });
    const describe = vscode.window.activeTextEditor?.document;
    assert.equal(describe?.uri.scheme, Schemes.describe);
    assert.match(describe.getText(), /Cluster fleet\/demo in kind-capi-mgmt: (the management cluster is unreachable|still loading|no such Cluster)/);
    const live = clusterElement('fleet', 'demo');
    await vscode.commands.executeCommand('capi-dcs.openLiveObject', live);
    const yaml = vscode.window.activeTextEditor?.document;
    assert.equal(yaml?.uri.scheme, Schemes.live);
    assert.equal(yaml.languageId, 'yaml');
    assert.match(yaml.getText(), /gone or not loaded yet/);
    await vscode.commands.executeCommand('capi-dcs.copyName', live);
    assert.equal(await vscode.env.clipboard.readText(), 'demo');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  h.test('explorer: Reveal Defining File opens the workspace manifest of a live object', async () => {
    await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run with a workspace folder');
    // A file of this test's own, so fixtures added later cannot make the match ambiguous.
    const file = vscode.Uri.joinPath(folder.uri, 'explorer-reveal-test.yaml');
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: reveal}\n---\napiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: reveal-target\n  namespace: reveal\n';
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    try {
      await vscode.commands.executeCommand('capi-dcs.revealInWorkspace', clusterElement('reveal', 'reveal-target'));
      const editor = await waitFor('the manifest editor', () => (vscode.window.activeTextEditor?.document.uri.path.endsWith('/explorer-reveal-test.yaml') ? vscode.window.activeTextEditor : undefined));
      assert.equal(editor.selection.active.line, 4, 'the cursor on the Cluster document, not the Namespace');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });

  h.test('explorer: no rollouts, no status-bar item', async () => {
    const { explorer } = await api();
    assert.equal(explorer.rollouts.statusText, undefined);
  });
}
