// The schemas against a real kube-apiserver with the Cluster API and DCS CRDs installed: every example
// is accepted, every invalid case the CRDs can express is rejected naming the catalog's field path,
// and a catalog read from the cluster equals the bundled one.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { loadBundledCatalog } from '../../src/shared/schema/bundled';
import type { CatalogEntry, SchemaCatalog } from '../../src/shared/schema/catalog';
import { substituteVariables } from '../../src/shared/schema/clusterctlTemplate';
import { catalogFromCluster } from '../../src/shared/schema/fromCluster';
import { ManifestValidator } from '../../src/shared/schema/validate';
import { capiSchemaDir, ExampleFiles, exampleObjects, exampleText, parseObjects, TEMPLATE_VALUES, type KubeObject } from '../fixtures/schemas/examples';
import { invalidCases } from '../fixtures/schemas/invalidCases';

const NAMESPACE = 'cpaas-system';
const CORE_PLURALS: Readonly<Record<string, string>> = { Namespace: 'namespaces', Secret: 'secrets', ConfigMap: 'configmaps' };

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: {
    metadata?: { resourceVersion?: string };
    message?: string;
    details?: { causes?: { field?: string; message?: string }[] };
  };
}

function kubeClient(kubeconfigPath: string): (method: string, path: string, body?: unknown) => Promise<Answer> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const server = kc.getCurrentCluster()?.server ?? '';
  return async (method, path, body) => {
    const options = { method, headers: { Accept: 'application/json', 'Content-Type': 'application/json' } };
    await kc.applyToHTTPSOptions(options);
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, server), options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Answer['json'] = {};
          try {
            json = JSON.parse(text) as Answer['json'];
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  };
}

function collectionPath(catalog: SchemaCatalog, object: KubeObject): string {
  const entry: CatalogEntry | undefined = catalog.getEntry(object.apiVersion, object.kind);
  assert.ok(entry, `no catalog entry for ${object.apiVersion} ${object.kind}`);
  const base = entry.group === '' ? `/api/${entry.version}` : `/apis/${entry.group}/${entry.version}`;
  const plural = entry.plural ?? CORE_PLURALS[entry.kind] ?? '';
  return entry.namespaced ? `${base}/namespaces/${object.metadata.namespace ?? NAMESPACE}/${plural}` : `${base}/${plural}`;
}

const DRY_RUN = '?dryRun=All&fieldValidation=Strict';

/**
 * True when the server's Status names the field: as a cause's field, or in a message as `path:` or
 * `"path"` (strict decoding errors have no causes; list-level CEL rules name the item in the message).
 */
function namesPath(status: Answer['json'], path: string): boolean {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const inText = (text: string | undefined): boolean => new RegExp(`(^|[\\s"[])${escaped}(:|")`).test(text ?? '');
  return inText(status.message) || (status.details?.causes ?? []).some((c) => c.field === path || inText(c.message));
}

describe('schemas on a real API server', () => {
  let plane: ManagementPlane | undefined;
  let call: ReturnType<typeof kubeClient>;
  let catalog: SchemaCatalog;
  let kubeconfigPath = '';

  before(async () => {
    plane = await startManagementPlane({ crds: true });
    kubeconfigPath = plane.kubeconfigPath;
    call = kubeClient(kubeconfigPath);
    catalog = loadBundledCatalog(capiSchemaDir());
    const created = await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    assert.equal(created.status, 201, created.text);
  });

  after(async () => {
    await plane?.stop();
  });

  async function dryRunCreate(object: KubeObject): Promise<Answer> {
    return call('POST', collectionPath(catalog, object) + DRY_RUN, object);
  }

  for (const file of [ExampleFiles.v1beta1, ExampleFiles.v1beta2]) {
    it(`accepts every object of ${file}`, async () => {
      for (const object of exampleObjects(file)) {
        const answer = await dryRunCreate(object);
        if (object.kind === 'Namespace') assert.equal(answer.status, 409, answer.text); // exists already: name taken, body fine
        else assert.equal(answer.status, 201, `${object.kind} ${object.metadata.name}: ${answer.text}`);
      }
    });
  }

  it('accepts every object of the rendered cluster template', async () => {
    const rendered = substituteVariables(exampleText(ExampleFiles.template), TEMPLATE_VALUES);
    assert.deepEqual(rendered.missing, []);
    for (const object of parseObjects(rendered.text)) {
      const answer = await dryRunCreate(object);
      assert.equal(answer.status, 201, `${object.kind} ${object.metadata.name}: ${answer.text}`);
    }
  });

  for (const c of invalidCases.filter((x) => x.crd)) {
    it(`rejects at ${c.path}: ${c.name}`, async () => {
      let answer: Answer;
      if (c.before) {
        const created = await call('POST', collectionPath(catalog, c.before), c.before);
        assert.equal(created.status, 201, `the stored object must be valid: ${created.text}`);
        const resourceVersion = created.json.metadata?.resourceVersion;
        const itemPath = `${collectionPath(catalog, c.object)}/${c.object.metadata.name}`;
        const changed = { ...c.object, metadata: { ...c.object.metadata, resourceVersion } };
        answer = await call('PUT', itemPath + DRY_RUN, changed);
        await call('DELETE', itemPath);
      } else {
        answer = await dryRunCreate(c.object);
      }
      assert.ok(answer.status === 422 || answer.status === 400, `expected a rejection, got HTTP ${String(answer.status)}: ${answer.text}`);
      assert.ok(namesPath(answer.json, c.path), `the server's error does not name ${c.path}: ${answer.text}`);
      const validator = new ManifestValidator(catalog);
      const problems = c.before ? validator.validateUpdate(c.before, c.object) : validator.validate(c.object);
      assert.ok(problems.some((p) => p.path === c.path && p.ruleId === c.ruleId), `catalog: ${JSON.stringify(problems)}`);
    });
  }

  it('reads the same catalog entries from the cluster as the bundled catalog has', async () => {
    const live = await catalogFromCluster(kubeconfigPath);
    const shared = catalog.entries().filter((e) => e.origin !== 'core');
    assert.ok(shared.length >= 24, `bundled Cluster API and DCS entries: ${String(shared.length)}`);
    for (const entry of shared) {
      const fromCluster = live.getEntry(entry.apiVersion, entry.kind);
      assert.ok(fromCluster, `the cluster has no ${entry.apiVersion} ${entry.kind}`);
      assert.equal(fromCluster.origin, 'cluster');
      assert.deepEqual(live.getSchema(entry.apiVersion, entry.kind), catalog.getSchema(entry.apiVersion, entry.kind), `${entry.apiVersion} ${entry.kind}`);
    }
  });
});
