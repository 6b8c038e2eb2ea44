// The language server validating against the CRDs installed in a real management cluster.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
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
