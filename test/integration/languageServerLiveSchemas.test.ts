// The language server validating against the CRDs installed in a real management cluster.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CompletionItem } from 'vscode-languageserver-protocol';
import { applyObjects, EXAMPLE_FILE, manifestObjects } from '../../src/lab/exampleCluster';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { projectRoot } from '../../src/lab/projectPaths';
import { LspClient } from '../helpers/lspClient';

// A kind that exists only in this cluster: the bundled catalog knows nothing of it.
const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: dcswidgets.infrastructure.cluster.x-k8s.io}
spec:
  group: infrastructure.cluster.x-k8s.io
  names: {kind: DCSWidget, listKind: DCSWidgetList, plural: dcswidgets, singular: dcswidget}
  scope: Namespaced
  versions:
  - name: v1beta1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1}
`;

// Two references whose names are being typed; one machine template is defined here, the others are in the cluster.
const REFERENCES = `apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata: {name: md, namespace: cpaas-system}
spec:
  clusterName: lab-b
  template:
    spec:
      clusterName: lab-b
      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DCSMachineTemplate, name: l}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: DCSMachineTemplate
metadata: {name: local-wk, namespace: cpaas-system}
spec: {template: {spec: {}}}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: DCSCluster
metadata: {name: lab-b, namespace: cpaas-system}
spec: {credentialSecretRef: {name: d}}
`;

/** Completion labels (and their details) right after `marker`'s last character. */
async function completeAfter(client: LspClient, uri: string, marker: string): Promise<CompletionItem[]> {
  const lines = REFERENCES.split('\n');
  const line = lines.findIndex((l) => l.includes(marker));
  const character = (lines[line] ?? '').indexOf(marker) + marker.length;
  return client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
}

const WIDGET = 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: DCSWidget\nmetadata: {name: w, namespace: ns}\nspec: {}\n';

describe('language server with schemas from a live management cluster', () => {
  let plane: ManagementPlane;
  let crdDir: string;

  before(async () => {
    crdDir = mkdtempSync(join(tmpdir(), 'capi-dcs-widget-crd-'));
    writeFileSync(join(crdDir, 'widget.yaml'), WIDGET_CRD);
    plane = await startManagementPlane({ crds: true, extraCrdDirs: [crdDir] });
  });

  after(async () => {
    await plane.stop();
    rmSync(crdDir, { recursive: true, force: true });
  });

  it('knows only the bundled kinds by default', async () => {
    const client = await LspClient.start(undefined);
    try {
      await client.open('file:///live/widget.yaml', WIDGET);
      const diagnostics = await client.diagnosticsFor('file:///live/widget.yaml', (d) => d.length > 0);
      assert.deepEqual(diagnostics.map((d) => d.code), ['unknown-kind']);
    } finally {
      await client.stop();
    }
  });

  it('validates a kind installed in the cluster with schemaSource "cluster"', async () => {
    const client = await LspClient.start(undefined, { validation: { schemaSource: 'cluster' }, kubeconfig: plane.kubeconfigPath });
    try {
      await client.open('file:///live/widget.yaml', WIDGET);
      const diagnostics = await client.diagnosticsFor('file:///live/widget.yaml', (d) => d.some((x) => x.code === 'schema-required'));
      assert.match(JSON.stringify(diagnostics), /size/);
    } finally {
      await client.stop();
    }
  });

  it('completes reference names with the objects of the management cluster', async () => {
    // The example's namespace, credentials Secret and machine templates, as the cluster runs them.
    const example = manifestObjects(readFileSync(join(projectRoot(), EXAMPLE_FILE), 'utf8'));
    await applyObjects(plane.kubeconfigPath, undefined, example.filter((o) => ['Namespace', 'Secret', 'DCSMachineTemplate'].includes(o.kind ?? '')), () => undefined);
    const uri = 'file:///live/references.yaml';
    const live = await LspClient.start(undefined, { validation: { schemaSource: 'cluster' }, kubeconfig: plane.kubeconfigPath });
    try {
      await live.open(uri, REFERENCES);
      await live.diagnosticsFor(uri);
      const templates = await completeAfter(live, uri, 'name: l');
      assert.deepEqual(templates.map((i) => i.label).sort(), ['lab-b-cp-k8s1345', 'lab-b-wk-k8s1345', 'local-wk']);
      assert.match(templates.find((i) => i.label === 'lab-b-cp-k8s1345')?.detail ?? '', /DCSMachineTemplate in the management cluster/);
      assert.match(templates.find((i) => i.label === 'local-wk')?.detail ?? '', /DCSMachineTemplate in references\.yaml/);
      // Secrets are listed by name only; the credentials Secret of the example is offered.
      const secrets = await completeAfter(live, uri, 'name: d');
      assert.deepEqual(secrets.map((i) => i.label), ['dcs-lab-b']);
    } finally {
      await live.stop();
    }
    // Without the cluster connection, only what the workspace defines.
    const local = await LspClient.start(undefined);
    try {
      await local.open(uri, REFERENCES);
      await local.diagnosticsFor(uri);
      assert.deepEqual((await completeAfter(local, uri, 'name: l')).map((i) => i.label), ['local-wk']);
    } finally {
      await local.stop();
    }
  });

  it('falls back to the bundled schemas, with a warning, when the cluster cannot be read', async () => {
    const client = await LspClient.start(undefined, { validation: { schemaSource: 'cluster' }, kubeconfig: join(crdDir, 'missing-kubeconfig') });
    try {
      await client.open('file:///live/widget.yaml', WIDGET);
      const diagnostics = await client.diagnosticsFor('file:///live/widget.yaml', (d) => d.length > 0);
      assert.deepEqual(diagnostics.map((d) => d.code), ['unknown-kind']);
      assert.match(client.messages.join('\n'), /cannot read the CRDs of the management cluster[\s\S]*bundled schemas/);
    } finally {
      await client.stop();
    }
  });
});
