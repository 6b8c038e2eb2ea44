// Read-only documents under the capi-dcs-diff scheme, shown side by side in VS Code's diff editor: the live
// objects on the left, what the server's dry run says they become on the right.
import * as vscode from 'vscode';
import { DIFF_SCHEME } from './ids';

/** Diffs kept for reopening; older ones are dropped (their tabs show an empty document). */
const KEEP = 20;

export class DiffDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;
  private next = 1;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  /** Opens the diff editor on two texts; `name` becomes part of the file names (and picks YAML colouring). */
  async show(title: string, name: string, left: string, right: string): Promise<void> {
    const id = this.next++;
    const safe = name.replace(/[^\w.-]+/g, '-');
    const leftUri = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${id}/live/${safe}.yaml` });
    const rightUri = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${id}/result/${safe}.yaml` });
    this.texts.set(leftUri.path, left);
    this.texts.set(rightUri.path, right);
    for (const key of [...this.texts.keys()].slice(0, Math.max(0, this.texts.size - KEEP * 2))) this.texts.delete(key);
    await vscode.commands.executeCommand('vscode.diff', leftUri, rightUri, title, { preview: true, preserveFocus: false });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.texts.clear();
  }
}
