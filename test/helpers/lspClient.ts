// Speaks LSP to a real language server process over stdio, as an editor would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const serverEntry = resolve(__dirname, '..', '..', 'server', 'server.ts');
/** The schema catalog's build output (npm run build writes it). */
const schemaDir = resolve(__dirname, '..', '..', 'dist', 'schemas');

export class LspClient {
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  /** Messages the server asked the editor to show. */
  readonly messages: string[] = [];

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
  ) {
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/configuration', () => []);
    // What an editor would show the user; tests read them from `messages`.
    connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      this.messages.push(params.message);
      return null;
    });
    connection.onNotification('window/showMessage', (params: { message: string }) => {
      this.messages.push(params.message);
    });
  }

  static async start(workspaceFolder: string | undefined, settings: Record<string, unknown> = {}): Promise<LspClient> {
    const child = spawn(process.execPath, ['--import', 'tsx', serverEntry, '--stdio'], { stdio: 'pipe', env: { ...process.env, CAPI_DCS_SCHEMA_DIR: schemaDir } });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection);
    connection.listen();
    const folders = workspaceFolder ? [{ uri: pathToFileURL(workspaceFolder).toString(), name: 'ws' }] : null;
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders?.[0]?.uri ?? null,
      workspaceFolders: folders,
      capabilities: { textDocument: { publishDiagnostics: {} } },
      initializationOptions: { settings },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  async change(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  async request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  /** The next diagnostics for `uri` that satisfy `accept` (the latest ones if they already do). */
  async diagnosticsFor(uri: string, accept: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 30_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.diagnostics.get(uri);
      if (current && current.version === this.versions.get(uri) && accept(current.diagnostics)) return current.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(current?.diagnostics.map((d) => d.code))}`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest('shutdown').catch(() => undefined);
    await this.connection.sendNotification('exit').catch(() => undefined);
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill('SIGTERM');
  }
}
