import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CapiDcsApi } from '../../../src/extension';
import { EXTENSION_ID } from '../../../src/shared/ids';
import type { Harness } from './harness';

export function registerActivationTests(h: Harness): void {
  h.test('the extension is present and activates', async () => {
    const ext = vscode.extensions.getExtension<CapiDcsApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(await api.languageServerReady, true, 'the language server should start');
  });

  h.test('every command in package.json is registered', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const declared = (ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map(
      (c) => c.command,
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(declared.length >= 3);
    for (const id of declared) assert.ok(registered.has(id), `${id} is declared but not registered`);
  });

  h.test('New DCS Cluster Manifest opens a YAML editor with a whole cluster', async () => {
    await vscode.commands.executeCommand('capi-dcs.newClusterManifest');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor should be open');
    assert.equal(editor.document.languageId, 'yaml');
    const text = editor.document.getText();
    for (const kind of ['DCSCluster', 'DCSMachineTemplate', 'DCSIpHostnamePool', 'KubeadmControlPlane', 'MachineDeployment', 'kind: Cluster']) {
      assert.ok(text.includes(kind), `the new manifest should contain ${kind}`);
    }
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
}
