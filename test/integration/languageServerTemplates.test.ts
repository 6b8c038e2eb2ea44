// The language server with the capiVersion and variables settings, Helm chart templates and YAML merge keys,
// as a real process over LSP.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import { cluster, POOLS, TEMPLATES } from '../fixtures/engine-cluster';
import { LspClient } from '../helpers/lspClient';

// Worker references named from ${CLUSTER_NAME}; the pool's mask a quoted placeholder (a string once rendered).
const TEMPLATE = `apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata: {name: md, namespace: ns}
spec:
  clusterName: c
  replicas: 1
  selector: {matchLabels: {}}
  template:
    spec:
      clusterName: c
      version: v1.34.2
      bootstrap: {dataSecretName: boot}
      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DCSMachineTemplate, name: "\${CLUSTER_NAME}-md-0"}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: DCSMachineTemplate
metadata: {name: a-md-0, namespace: ns}
spec:
  template:
    spec: {vmTemplateName: t, ipHostPoolRef: {name: p}}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: DCSIpHostnamePool
metadata: {name: p, namespace: ns}
spec:
  pool:
  - {ip: "10.0.0.2", mask: "\${MASK:=24}", gateway: "10.0.0.1", hostname: h1, machineName: m1}
`;

describe('language server: capiVersion and variables settings, Helm templates, merge keys', () => {
  let workspace: string;
  let client: LspClient;
  const uriOf = (name: string) => pathToFileURL(join(workspace, name)).toString();

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'capi-dcs-lsp-templates-'));
    writeFileSync(join(workspace, 'pools.yaml'), POOLS);
    writeFileSync(join(workspace, 'templates.yaml'), TEMPLATES);
    client = await LspClient.start(workspace, { capiVersion: 'v1beta1', variables: { CLUSTER_NAME: 'a', MASK: '16' } });
  });

  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('validates a template as rendered with the variables setting: quoted values stay strings, references resolve', async () => {
    const uri = uriOf('template.yaml');
    await client.open(uri, TEMPLATE);
    const codes = (await client.diagnosticsFor(uri)).map((d) => `${String(d.code)}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
    assert.ok(!codes.some((c) => c.startsWith('schema-type')), codes.join('\n'));
    assert.ok(!codes.some((c) => c.startsWith('ref-not-found') && c.includes('DCSMachineTemplate')), codes.join('\n'));
  });

  it('creates a missing CAPI object in the preferred version', async () => {
    const text = cluster({ kcpReplicas: 3 }).replace('KubeadmConfigTemplate, name: demo-wk-v1', 'KubeadmConfigTemplate, name: demo-wk-v9');
    const uri = uriOf('cluster.yaml');
    await client.open(uri, text);
    // Only the config template is missing once the workspace files are read (the machine templates are on disk).
    const isMissingConfig = (d: { code?: unknown; message: unknown }) => d.code === 'ref-not-found' && JSON.stringify(d.message).includes('KubeadmConfigTemplate');
    const missing = (await client.diagnosticsFor(uri, (d) => d.some(isMissingConfig))).filter(isMissingConfig);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: missing[0]?.range, context: { diagnostics: missing } });
    assert.equal(actions[0]?.title, 'Create KubeadmConfigTemplate demo-wk-v9 in this file');
    assert.match(actions[0].edit?.changes?.[uri]?.[0]?.newText ?? '', /apiVersion: bootstrap\.cluster\.x-k8s\.io\/v1beta1\nkind: KubeadmConfigTemplate/);
  });

  it('preselects the preferred apiVersion once the kind is written', async () => {
    const text = 'kind: Cluster\napiVersion: \n';
    const uri = uriOf('new.yaml');
    await client.open(uri, text);
    await client.diagnosticsFor(uri);
    const result = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 12 } });
    const items = Array.isArray(result) ? result : result.items;
    assert.deepEqual(items.filter((i) => i.preselect).map((i) => i.label), ['cluster.x-k8s.io/v1beta1']);
  });

  it('skips a Helm chart template quietly and reads merge keys', async () => {
    const helm = uriOf('chart/templates/cluster.yaml');
    await client.open(helm, 'apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  {{- if .Values.paused }}\n  paused: true\n  {{- end }}\n');
    assert.deepEqual(await client.diagnosticsFor(helm), []);
    const merge = uriOf('merge.yaml');
    await client.open(merge, 'apiVersion: v1\nkind: ConfigMap\ndata:\n  <<: &common {a: b}\nmetadata:\n  name: c\n  namespace: ns\n  annotations:\n    <<: *common\n');
    assert.deepEqual(await client.diagnosticsFor(merge), []);
  });
});
