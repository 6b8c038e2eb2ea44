import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './ctx';
import { ClusterExplorer } from './explorer/provider';
import { startLanguageClient } from './language/client';
import { Views } from './shared/ids';

/** What activate() returns: a small API for other extensions and for the extension-host tests. */
export interface CapiDcsApi {
  readonly languageServerReady: Promise<boolean>;
}

export function activate(extension: vscode.ExtensionContext): CapiDcsApi {
  const ctx = new Ctx(extension);
  extension.subscriptions.push(ctx);

  const explorer = new ClusterExplorer(ctx);
  ctx.own(vscode.window.createTreeView(Views.clusters, { treeDataProvider: explorer, showCollapseAll: true }));
  registerCommands(ctx, { explorer });
  ctx.own(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (ctx.config.affects(e, 'kubeconfig')) explorer.refresh();
    }),
  );

  const languageServerReady = startLanguageClient(ctx).then(
    () => true,
    (error: unknown) => {
      ctx.log.error('The language server did not start', error);
      void vscode.window.showErrorMessage('CAPI DCS: the language server did not start.', 'Open Log').then((choice) => {
        if (choice) ctx.log.show();
      });
      return false;
    },
  );

  ctx.log.info(`CAPI DCS ${(extension.extension.packageJSON as { version: string }).version} activated in VS Code ${vscode.version}`);
  return { languageServerReady };
}

export function deactivate(): void {
  // Everything is owned by Ctx, which VS Code disposes through the extension's subscriptions.
}
