import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { Ctx } from '../ctx';
import { CONFIG_FILE, LANGUAGE_SERVER_NAME } from '../shared/ids';
import { explicitSettings } from '../shared/settings';

/**
 * Only what the user set in some scope: a repository's .capi-dcs.yaml decides the rest, so a default
 * here does not hide the file's value.
 */
function editorSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('capi-dcs');
  const isSet = (key: string) => {
    const found = config.inspect(key);
    return [found?.globalValue, found?.workspaceValue, found?.workspaceFolderValue].some((v) => v !== undefined);
  };
  return explicitSettings(isSet, (key) => config.get(key));
}

/** Starts the language server (dist/server.js) over IPC for YAML documents. */
export async function startLanguageClient(ctx: Ctx): Promise<LanguageClient> {
  const module = ctx.extension.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: {
      configurationSection: 'capi-dcs',
      fileEvents: [
        ctx.own(vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}')),
        // A dot-file: named on its own so it is watched whatever the glob makes of leading dots.
        ctx.own(vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE}`)),
      ],
    },
    middleware: {
      workspace: {
        // Send the explicit settings instead of the whole section, defaults included.
        didChangeConfiguration: async () => {
          await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { 'capi-dcs': editorSettings() } });
        },
      },
    },
    initializationOptions: { settings: editorSettings() },
    diagnosticCollectionName: 'capi-dcs',
  };
  const client: LanguageClient = new LanguageClient('capi-dcs', LANGUAGE_SERVER_NAME, serverOptions, clientOptions);
  ctx.own(new vscode.Disposable(() => void client.stop()));
  await client.start();
  return client;
}
