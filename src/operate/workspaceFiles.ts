// The workspace side of the upgrade write-back: read the YAML files (unsaved editor text included), and
// apply text edits to them as one WorkspaceEdit, then save, so the change is ready to commit.
import * as vscode from 'vscode';
import { looksLikeKubernetesYaml } from '../../server/engine/manifest';
import type { FileEdits, WorkspaceFile } from './workspaceWriteBack';

const MAX_FILES = 5_000;
const EXCLUDE = '{**/node_modules/**,**/.git/**}';

export async function readWorkspaceYaml(token?: vscode.CancellationToken): Promise<WorkspaceFile[]> {
  const uris = await vscode.workspace.findFiles('**/*.{yaml,yml}', EXCLUDE, MAX_FILES, token);
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
  const out: WorkspaceFile[] = [];
  for (const uri of uris) {
    if (token?.isCancellationRequested) return [];
    const text = open.get(uri.toString())?.getText() ?? new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    if (looksLikeKubernetesYaml(text)) out.push({ uri: uri.toString(), text });
  }
  return out;
}

/** Applies the edits and saves the files; returns the files changed. */
export async function writeEdits(files: readonly FileEdits[]): Promise<vscode.Uri[]> {
  const edit = new vscode.WorkspaceEdit();
  const docs: vscode.TextDocument[] = [];
  for (const file of files) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(file.uri));
    docs.push(doc);
    for (const e of file.edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code did not apply the edits to the workspace files');
  for (const doc of docs) await doc.save();
  return docs.map((d) => d.uri);
}
