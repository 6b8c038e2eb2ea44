// The language server as a real process, spoken to over LSP (stdio).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { DocumentSymbol } from 'vscode-languageserver-protocol';
import { cluster, POOLS, TEMPLATES } from '../fixtures/engine-cluster';
import { LspClient } from '../helpers/lspClient';

describe('language server over LSP', () => {
  let workspace: string;
  let client: LspClient;
  const uriOf = (name: string) => pathToFileURL(join(workspace, name)).toString();

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'capi-dcs-lsp-'));
    writeFileSync(join(workspace, 'pools.yaml'), POOLS);
    writeFileSync(join(workspace, 'templates.yaml'), TEMPLATES);
    client = await LspClient.start(workspace);
  });

  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('reports a syntax error with its exact range', async () => {
    const uri = uriOf('broken.yaml');
    await client.open(uri, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n');
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
    assert.equal(diagnostics[0]?.code, 'yaml-syntax');
    assert.equal(diagnostics[0].source, 'capi-dcs');
  });

  it('ignores YAML that is not a Kubernetes manifest', async () => {
    const uri = uriOf('values.yaml');
    await client.open(uri, 'replicas: [broken\n');
    assert.deepEqual(await client.diagnosticsFor(uri), []);
  });

  it('resolves references across workspace files it has never opened', async () => {
    const uri = uriOf('cluster.yaml');
    await client.open(uri, cluster({ kcpReplicas: 3 }));
    assert.deepEqual(await client.diagnosticsFor(uri), []);
  });

  it('flags a reference to a missing template on the name, and clears it when the template appears', async () => {
    const uri = uriOf('cluster.yaml');
    const text = cluster({ kcpReplicas: 3, mdInfraName: 'demo-wk-v2' });
    await client.change(uri, text);
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
    const missing = diagnostics.find((d) => d.code === 'ref-not-found');
    assert.ok(missing, JSON.stringify(diagnostics));
    const line = text.split('\n')[missing.range.start.line] ?? '';
    assert.equal(line.slice(missing.range.start.character, missing.range.end.character), 'demo-wk-v2');

    await client.open(uriOf('templates-v2.yaml'), TEMPLATES.replace('name: demo-wk-v1', 'name: demo-wk-v2').replace(/---[\s\S]*?---\n/, ''));
    assert.deepEqual(await client.diagnosticsFor(uri, (d) => d.length === 0), []);
  });

  it('lists one symbol per object', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uriOf('cluster.yaml') } });
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['Secret demo-credentials', 'DCSCluster demo', 'KubeadmControlPlane demo-kcp', 'KubeadmConfigTemplate demo-wk-v1', 'Cluster demo', 'MachineDeployment demo-md-0'],
    );
  });
});
