// The language server reads .capi-dcs.yaml at the workspace root, as the lint command does: it applies
// it, re-reads it when it changes, lets explicit VS Code settings override it per key, reports a broken
// file on the file itself (falling back to the defaults), and validates and completes it from its schema.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, FileChangeType, type CompletionItem, type Diagnostic } from 'vscode-languageserver-protocol';
import { cluster, POOLS, TEMPLATES } from '../fixtures/engine-cluster';
import { LspClient } from '../helpers/lspClient';

describe('language server and .capi-dcs.yaml', () => {
  let workspace: string;
  let client: LspClient;
  const uriOf = (name: string) => pathToFileURL(join(workspace, name)).toString();
  const configUri = () => uriOf('.capi-dcs.yaml');
  // Two control-plane machines (kcp-replicas-odd, error) and a missing worker template (ref-not-found, warning).
  const clusterText = cluster({ kcpReplicas: 2, mdInfraName: 'demo-wk-v2' });
  let firstDiagnostics: Diagnostic[] = [];
  const severityOf = (diagnostics: Diagnostic[], code: string) => diagnostics.find((d) => d.code === code)?.severity;
  const messageOf = (d: Diagnostic | undefined) => (typeof d?.message === 'object' ? d.message.value : (d?.message ?? ''));

  async function writeConfig(text: string): Promise<void> {
    writeFileSync(join(workspace, '.capi-dcs.yaml'), text);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri(), type: FileChangeType.Changed }] });
  }

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'capi-dcs-lsp-config-'));
    writeFileSync(join(workspace, 'pools.yaml'), POOLS);
    writeFileSync(join(workspace, 'templates.yaml'), TEMPLATES);
    writeFileSync(join(workspace, '.capi-dcs.yaml'), 'rules:\n  kcp-replicas-odd: off\n');
    client = await LspClient.start(workspace);
    // Opened at once, before the server can have read the folder: its first diagnostics must follow the file.
    await client.open(uriOf('cluster.yaml'), clusterText);
    firstDiagnostics = await client.diagnosticsFor(uriOf('cluster.yaml'));
  });

  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('applies the file found at the workspace root when it starts, from the first diagnostics on', async () => {
    assert.equal(severityOf(firstDiagnostics, 'kcp-replicas-odd'), undefined, JSON.stringify(firstDiagnostics.map((d) => d.code)));
    const diagnostics = await client.diagnosticsFor(uriOf('cluster.yaml'), (d) => d.some((x) => x.code === 'ref-not-found'));
    assert.equal(severityOf(diagnostics, 'kcp-replicas-odd'), undefined, JSON.stringify(diagnostics.map((d) => d.code)));
  });

  it('re-reads the file when it changes and validates the open documents again', async () => {
    await writeConfig('rules:\n  kcp-replicas-odd: warning\n  ref-not-found: off\n');
    const diagnostics = await client.diagnosticsFor(uriOf('cluster.yaml'), (d) => severityOf(d, 'ref-not-found') === undefined && severityOf(d, 'kcp-replicas-odd') !== undefined);
    assert.equal(severityOf(diagnostics, 'kcp-replicas-odd'), DiagnosticSeverity.Warning);
  });

  it('settings set in VS Code override the file per key; the file decides the others', async () => {
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { 'capi-dcs': { rules: { 'kcp-replicas-odd': 'hint' } } } });
    const diagnostics = await client.diagnosticsFor(uriOf('cluster.yaml'), (d) => severityOf(d, 'kcp-replicas-odd') === DiagnosticSeverity.Hint);
    // ref-not-found stays off: only the key set in VS Code changed.
    assert.equal(severityOf(diagnostics, 'ref-not-found'), undefined);
  });

  it('a broken file gets a diagnostic on itself and the defaults apply until it is fixed', async () => {
    await writeConfig('rules:\n  ref-not-found: [off\n');
    const onFile = await client.diagnosticsFor(configUri(), (d) => d.length > 0);
    assert.equal(onFile[0]?.code, 'yaml-syntax');
    assert.match(messageOf(onFile[0]), /this file is ignored until it is fixed/);
    const diagnostics = await client.diagnosticsFor(uriOf('cluster.yaml'), (d) => severityOf(d, 'ref-not-found') !== undefined);
    assert.equal(severityOf(diagnostics, 'ref-not-found'), DiagnosticSeverity.Warning);
    assert.equal(severityOf(diagnostics, 'kcp-replicas-odd'), DiagnosticSeverity.Hint, 'the VS Code setting still applies');

    await writeConfig('rules:\n  ref-not-found: off\n');
    assert.deepEqual(await client.diagnosticsFor(configUri(), (d) => d.length === 0), []);
    await client.diagnosticsFor(uriOf('cluster.yaml'), (d) => severityOf(d, 'ref-not-found') === undefined);
  });

  it('checks the open file against its JSON schema, at the offending value', async () => {
    const text = 'rules:\n  kcp-replicas-odd: fatal\ncapiVersion: v1beta3\n';
    await client.open(configUri(), text);
    const diagnostics = await client.diagnosticsFor(configUri(), (d) => d.length === 2);
    const byCode = diagnostics.map((d) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();
    assert.deepEqual(byCode, ['schema-enum 1:20-1:25', 'schema-enum 2:13-2:20']);
    assert.match(messageOf(diagnostics.find((d) => d.range.start.line === 1)), /must be one of "error", "warning", "info", "hint", "off"; got "fatal"/);
  });

  it('completes keys, rule ids and severities from the schema', async () => {
    const labels = async (text: string, line: number, character: number) => {
      await client.change(configUri(), text);
      const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: configUri() }, position: { line, character } });
      return items.map((i) => i.label);
    };
    assert.deepEqual((await labels('capiVersion: v1beta2\n', 1, 0)).sort(), ['files', 'kubeconfig', 'rules', 'validation', 'variables']);
    const ruleIds = await labels('rules:\n  \n', 1, 2);
    assert.ok(ruleIds.includes('template-edited-in-place') && ruleIds.includes('pool-exhausted'), ruleIds.join(', '));
    assert.deepEqual(await labels('rules:\n  pool-exhausted: \n', 1, 18), ['error', 'warning', 'info', 'hint', 'off']);
  });
});
