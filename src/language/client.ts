import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { Ctx } from '../ctx';
import { LANGUAGE_SERVER_NAME } from '../shared/ids';

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
      fileEvents: ctx.own(vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}')),
    },
    initializationOptions: { settings: vscode.workspace.getConfiguration('capi-dcs') },
    diagnosticCollectionName: 'capi-dcs',
  };
  const client = new LanguageClient('capi-dcs', LANGUAGE_SERVER_NAME, serverOptions, clientOptions);
  ctx.own(new vscode.Disposable(() => void client.stop()));
  await client.start();
  return client;
}
