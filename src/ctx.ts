import * as vscode from 'vscode';
import { Config } from './config';
import { Log } from './log';

/** Everything the extension owns while active; disposed with the extension. */
export class Ctx implements vscode.Disposable {
  readonly config = new Config();
  readonly log = new Log();
  private readonly disposables: { dispose(): unknown }[] = [this.log];

  constructor(readonly extension: vscode.ExtensionContext) {}

  own<T extends { dispose(): unknown }>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
