import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './ctx';
import { registerDashboard } from './dashboard/commands';
import { Explorer } from './explorer/explorer';
import { startLanguageClient } from './language/client';
import { registerOperateCommands } from './operate/commands';
import { registerProviderCommands } from './provider/providerCommands';

/** What activate() returns: a small API for other extensions and for the extension-host tests. */
export interface CapiDcsApi {
  readonly languageServerReady: Promise<boolean>;
  /** The cluster explorer's live state (read by the extension-host tests). */
  readonly explorer: Explorer;
}

export function activate(extension: vscode.ExtensionContext): CapiDcsApi {
  const ctx = new Ctx(extension);
  extension.subscriptions.push(ctx);

  const explorer = ctx.own(new Explorer(ctx));
  registerCommands(ctx, { explorer });
  registerDashboard(ctx, registerOperateCommands(ctx, { explorer }));
  registerProviderCommands(ctx);

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
  return { languageServerReady, explorer };
}

export function deactivate(): void {
  // Everything is owned by Ctx, which VS Code disposes through the extension's subscriptions.
}
