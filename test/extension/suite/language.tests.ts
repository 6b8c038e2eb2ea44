import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor, type Harness } from './harness';

function diagnosticsFrom(uri: vscode.Uri): vscode.Diagnostic[] | undefined {
  const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'capi-dcs');
  return ours.length > 0 ? ours : undefined;
}

/** The new manifest snippet is a whole, consistent cluster: it must carry no problem but notes. */
export function registerSnippetTests(h: Harness): void {
  h.test('the whole-cluster snippet has no error and no warning', async () => {
    await vscode.commands.executeCommand('capi-dcs.newClusterManifest');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    // Wait until the server has seen the snippet (the kcp-single-replica note), then look at the rest.
    const diagnostics = await waitFor('diagnostics of the snippet', () => diagnosticsFrom(editor.document.uri));
    const serious = diagnostics.filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(serious.map((d) => d.message), []);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
}

export function registerLanguageTests(h: Harness): void {
  h.test('a YAML syntax error in a manifest is reported with its range', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: [broken\n',
    });
    await vscode.window.showTextDocument(doc);
    const diagnostics = await waitFor('a yaml-syntax diagnostic', () => {
      const syntax = diagnosticsFrom(doc.uri)?.filter((d) => d.code === 'yaml-syntax');
      return syntax?.length ? syntax : undefined;
    });
    const first = diagnostics[0];
    assert.ok(first);
    assert.ok(first.range.start.line >= 3, `expected the error on the broken line, got line ${first.range.start.line}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  h.test('YAML that is not a Kubernetes manifest is left alone', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'name: [broken\n' });
    await vscode.window.showTextDocument(doc);
    // Give the server a moment by round-tripping a manifest we know it answers, then check the other file.
    const probe = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'apiVersion: v1\nkind: Secret\nmetadata: {name: [x\n' });
    await waitFor('the probe diagnostic', () => diagnosticsFrom(probe.uri));
    // An untitled URI can be reused from a closed manifest: wait for this document's own (empty) result.
    await waitFor('no capi-dcs diagnostics on plain YAML', () => (diagnosticsFrom(doc.uri) === undefined ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  h.test('document symbols list one entry per object', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: b\n',
    });
    const symbols = await waitFor('document symbols', async () => {
      const found = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', doc.uri);
      return found && found.length > 0 ? found : undefined;
    });
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['Namespace a', 'Cluster b'],
    );
  });
}
