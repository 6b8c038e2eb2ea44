// .capi-dcs.yaml in a real VS Code: the client watches it and sends only the settings the user set, so the
// file applies, changes on disk are seen, an explicit setting overrides one key, and a broken file is shown.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { cluster } from '../../fixtures/engine-cluster';
import { waitFor, type Harness } from './harness';

const severityOf = (uri: vscode.Uri, code: string) =>
  vscode.languages.getDiagnostics(uri).find((d) => d.source === 'capi-dcs' && d.code === code)?.severity;

export function registerConfigFileTests(h: Harness): void {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const config = vscode.Uri.file(join(folder, '.capi-dcs.yaml'));
  // Two control-plane machines (kcp-replicas-odd) and a worker template nobody defines (ref-not-found).
  const manifest = vscode.Uri.file(join(folder, 'config-file-test-cluster.yaml'));
  const has = (code: string, severity: vscode.DiagnosticSeverity | undefined) => () => (severityOf(manifest, code) === severity ? true : undefined);

  h.test('.capi-dcs.yaml: a change on disk applies to the open manifests', async () => {
    writeFileSync(manifest.fsPath, cluster({ kcpReplicas: 2, mdInfraName: 'config-file-test-missing' }).replaceAll('namespace: ns', 'namespace: config-file-test'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(manifest));
    await waitFor('kcp-replicas-odd by default', has('kcp-replicas-odd', vscode.DiagnosticSeverity.Error), 60_000);
    writeFileSync(config.fsPath, 'rules:\n  kcp-replicas-odd: warning\n  ref-not-found: off\n');
    await waitFor('kcp-replicas-odd as a warning', has('kcp-replicas-odd', vscode.DiagnosticSeverity.Warning), 30_000);
    await waitFor('ref-not-found off', has('ref-not-found', undefined));
  }, 90_000);

  h.test('.capi-dcs.yaml: a setting set in VS Code overrides one key of it', async () => {
    await vscode.workspace.getConfiguration('capi-dcs').update('rules', { 'kcp-replicas-odd': 'hint' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('kcp-replicas-odd as a hint', has('kcp-replicas-odd', vscode.DiagnosticSeverity.Hint), 30_000);
      if (severityOf(manifest, 'ref-not-found') !== undefined) throw new Error('ref-not-found should stay off, as the file says');
    } finally {
      await vscode.workspace.getConfiguration('capi-dcs').update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
  }, 40_000);

  h.test('.capi-dcs.yaml: a broken file is reported on itself and the defaults apply', async () => {
    try {
      writeFileSync(config.fsPath, 'rules: [kcp-replicas-odd\n');
      await waitFor('yaml-syntax on .capi-dcs.yaml', () => (vscode.languages.getDiagnostics(config).some((d) => d.code === 'yaml-syntax') ? true : undefined), 30_000);
      await waitFor('ref-not-found back', has('ref-not-found', vscode.DiagnosticSeverity.Warning), 30_000);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(config.fsPath, { force: true });
      rmSync(manifest.fsPath, { force: true });
    }
  }, 70_000);
}
