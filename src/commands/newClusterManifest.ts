import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

/** Opens an untitled YAML editor with the whole-cluster snippet, ready to fill in. */
export async function newClusterManifest(ctx: Ctx): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: '' });
  const editor = await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'yaml', name: 'DCS cluster (CAPI v1beta2)' });
  ctx.log.info(`new cluster manifest opened in ${editor.document.uri.toString()}`);
}
