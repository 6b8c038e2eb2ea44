// The language server as a real process, spoken to over LSP (stdio).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, DocumentSymbol, FoldingRange, Hover, Location } from 'vscode-languageserver-protocol';
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
    // A git repository: committed files are the baseline that template-edited-in-place compares with.
    const git = (...args: string[]) => assert.equal(spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd: workspace }).status, 0, `git ${args.join(' ')}`);
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'baseline');
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

  function positionOf(text: string, needle: string, delta = 0, last = false) {
    const offset = (last ? text.lastIndexOf(needle) : text.indexOf(needle)) + delta;
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
  }

  it('goes to the definition of a referenced template in another file', async () => {
    const text = cluster({ kcpReplicas: 3 });
    const uri = uriOf('nav.yaml');
    await client.open(uri, text);
    await client.diagnosticsFor(uri);
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(text, 'name: demo-wk-v1}', 8, true) });
    assert.equal(locations.length, 1);
    assert.equal(locations[0]?.uri, uriOf('templates.yaml'));
    assert.equal(locations[0].range.start.line, TEMPLATES.split('\n').findIndex((l) => l.includes('name: demo-wk-v1')));
  });

  it('hovers a reference with a summary of its target', async () => {
    const text = cluster({ kcpReplicas: 3 });
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uriOf('nav.yaml') }, position: positionOf(text, 'name: demo-wk-v1}', 8, true) });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\*\*DCSMachineTemplate demo-wk-v1\*\*/);
    assert.match(value, /defined in `templates\.yaml`/);
    assert.match(value, /VM template: `alaudaos-v4\.3\.2-x86`/);
  });

  it('completes the names a reference may point to', async () => {
    const text = cluster({ kcpReplicas: 3 }).replace('kind: DCSMachineTemplate, name: demo-wk-v1}', 'kind: DCSMachineTemplate, name: d}');
    const uri = uriOf('complete.yaml');
    await client.open(uri, text);
    await client.diagnosticsFor(uri);
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: positionOf(text, 'name: d}', 7, true) });
    // demo-wk-v2 comes from templates-v2.yaml, opened by an earlier test; each name is offered once.
    assert.deepEqual(items.map((i) => i.label).sort(), ['demo-cp-v1', 'demo-wk-v1', 'demo-wk-v2']);
  });

  it('finds the references to a template from its definition', async () => {
    await client.open(uriOf('templates.yaml'), TEMPLATES);
    await client.diagnosticsFor(uriOf('templates.yaml'));
    const locations = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uriOf('templates.yaml') },
      position: positionOf(TEMPLATES, 'name: demo-wk-v1', 8),
      context: { includeDeclaration: false },
    });
    // nav.yaml (opened above) points its MachineDeployment at demo-wk-v1; cluster.yaml was moved to demo-wk-v2.
    const navText = cluster({ kcpReplicas: 3 });
    const inNav = locations.filter((l) => l.uri === uriOf('nav.yaml'));
    assert.equal(inNav.length, 1, JSON.stringify(locations));
    const line = navText.split('\n')[inNav[0]?.range.start.line ?? -1] ?? '';
    assert.equal(line.slice(inNav[0]?.range.start.character, inNav[0]?.range.end.character), 'demo-wk-v1');
    assert.ok(!locations.some((l) => l.uri === uriOf('cluster.yaml')), 'cluster.yaml no longer references demo-wk-v1');
  });

  it('folds each document and each indented block', async () => {
    const text = cluster({ kcpReplicas: 3 });
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: uriOf('nav.yaml') } });
    const lines = text.split('\n');
    const markers = lines.flatMap((l, i) => (l.startsWith('---') ? [i] : []));
    for (const start of [0, ...markers]) assert.ok(ranges.some((r) => r.startLine === start), `a fold for the document at line ${start}`);
    const spec = lines.findIndex((l, i) => i > (markers.at(-1) ?? 0) && l === 'spec:');
    assert.ok(ranges.some((r) => r.startLine === spec && r.endLine > spec), `the MachineDeployment's spec folds (line ${spec})`);
  });

  it('offers to copy an edited template under a new name and repoint its references', async () => {
    const uri = uriOf('templates.yaml');
    // The worker template (the second document) boots a new VM template; the control plane's stays as it is.
    const at = TEMPLATES.lastIndexOf('alaudaos-v4.3.2-x86');
    const edited = `${TEMPLATES.slice(0, at)}alaudaos-v4.4.0-x86${TEMPLATES.slice(at + 'alaudaos-v4.3.2-x86'.length)}`;
    await client.change(uri, edited);
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'template-edited-in-place'));
    const problem = diagnostics.filter((d) => d.code === 'template-edited-in-place');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: problem[0]?.range, context: { diagnostics: problem } });
    const copy = actions.find((a) => a.title.startsWith('Keep demo-wk-v1 unchanged'));
    assert.ok(copy, JSON.stringify(actions.map((a) => a.title)));
    const changes = copy.edit?.changes ?? {};
    // One edit restores the old spec under the old name and appends the edited one under the new name; the
    // reference in nav.yaml moves to the new name (cluster.yaml points at demo-wk-v2 by now).
    const navEdits = changes[uriOf('nav.yaml')] ?? [];
    assert.equal(navEdits.length, 1, JSON.stringify(changes));
    const newName = navEdits[0]?.newText ?? '';
    assert.match(newName, /^demo-wk-v\d+$/);
    assert.notEqual(newName, 'demo-wk-v1');
    const [restore] = changes[uri] ?? [];
    assert.ok(restore?.newText.includes('alaudaos-v4.3.2-x86') && restore.newText.includes('alaudaos-v4.4.0-x86') && restore.newText.includes(`name: ${newName}`), JSON.stringify(restore));
    await client.change(uri, TEMPLATES);
  });

  it('offers a quick fix that creates a missing referenced object', async () => {
    const text = cluster({ kcpReplicas: 3, mdInfraName: 'demo-wk-v7' });
    const uri = uriOf('fix.yaml');
    await client.open(uri, text);
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'ref-not-found'));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]?.range,
      context: { diagnostics: diagnostics.filter((d) => d.code === 'ref-not-found') },
    });
    assert.equal(actions[0]?.title, 'Create DCSMachineTemplate demo-wk-v7 in this file');
    const edit = actions[0].edit?.changes?.[uri]?.[0];
    assert.match(edit?.newText ?? '', /kind: DCSMachineTemplate\nmetadata:\n {2}name: demo-wk-v7/);
  });
});
