// Installs what the DCS provider needs into a management cluster: the DCS CRDs (schemas/crds/) and the
// controller's ClusterRole (config/rbac/), with server-side apply through any kubeconfig's credentials.
// "Start DCS Provider" and the demo's --kubeconfig mode both use it. The objects go out as the JSON read
// from the files: client-node's typed serializer drops a CRD schema's x-kubernetes-list-type, and the
// server then rejects the DCS CRDs' transition rules ("oldSelf cannot be used on the uncorrelatable portion").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadAll } from 'js-yaml';
import { ApiFailure } from '../operate/apiErrors';
import { kubeClient, sendJson, type KubeClient } from '../operate/kubeClient';
import { ObjectApi, type KubeObject } from '../operate/objectApi';

const CRD_DIR = join('schemas', 'crds');
const CONTROLLER_ROLE = join('config', 'rbac', 'controller-role.yaml');
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const POLL_MS = 200;

/** The fields of a CRD this module reads. */
interface Crd {
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string; readonly plural: string };
    readonly versions: readonly { readonly name: string; readonly served: boolean }[];
  };
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] };
}

function crdsOf(objects: readonly KubeObject[]): Crd[] {
  return objects.filter((o) => o.kind === 'CustomResourceDefinition') as unknown as Crd[];
}

/** The DCS CRDs and the controller's ClusterRole, read from `root` (the extension's folder or the checkout). */
export function dcsInstallObjects(root: string): KubeObject[] {
  const files = [...readdirSync(join(root, CRD_DIR)).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(root, CRD_DIR, f)), join(root, CONTROLLER_ROLE)];
  return files.flatMap((file) => loadAll(readFileSync(file, 'utf8')).filter((o): o is KubeObject => typeof o === 'object' && o !== null && 'kind' in o));
}

/** Kinds the DCS CRDs define ("DCSCluster", ...), so a caller can tell them from Cluster API's. */
export function dcsKinds(root: string): Set<string> {
  return new Set(crdsOf(dcsInstallObjects(root)).map((c) => c.spec.names.kind));
}

async function listCrds(client: KubeClient): Promise<Crd[]> {
  return ((await sendJson(client, { method: 'GET', path: CRD_PATH })) as { items: Crd[] }).items;
}

/**
 * Applies the DCS CRDs and the controller's ClusterRole, then waits until every CRD is Established and its
 * kinds answer a list (right after Established the server may still be initialising their storage).
 */
export async function installDcs(kc: KubeConfig, root: string, fieldManager: string, timeoutMs = 60_000): Promise<void> {
  const client = kubeClient(kc);
  const api = new ObjectApi(client);
  const objects = dcsInstallObjects(root);
  for (const object of objects) await api.apply(object, { fieldManager, force: true });
  const crds = crdsOf(objects);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const established = new Set((await listCrds(client)).filter((c) => c.status?.conditions?.some((k) => k.type === 'Established' && k.status === 'True')).map((c) => c.metadata.name));
    const pending = crds.map((c) => c.metadata.name).filter((n) => !established.has(n));
    if (pending.length === 0) break;
    if (Date.now() > deadline) throw new Error(`CRDs not Established after ${timeoutMs} ms: ${pending.join(', ')}`);
    await sleep(POLL_MS);
  }
  for (const crd of crds) {
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const path = `/apis/${crd.spec.group}/${version.name}/${crd.spec.names.plural}`;
      for (;;) {
        const served = await sendJson(client, { method: 'GET', path, query: { limit: '1' } }).then(
          () => true,
          (error: unknown) => {
            if (!(error instanceof ApiFailure) || Date.now() > deadline) throw error;
            return false;
          },
        );
        if (served) break;
        await sleep(POLL_MS);
      }
    }
  }
}

/** "Kind (group/version)" of each Cluster API kind (groups *.x-k8s.io) among `objects` the cluster does not serve. */
export async function unservedKinds(kc: KubeConfig, objects: readonly { readonly apiVersion?: string; readonly kind?: string }[]): Promise<string[]> {
  const crds = await listCrds(kubeClient(kc));
  const missing = new Set<string>();
  for (const object of objects) {
    const [group, version] = (object.apiVersion ?? '').split('/');
    if (!group?.endsWith('x-k8s.io') || !version) continue;
    const served = crds.some((c) => c.spec.group === group && c.spec.names.kind === object.kind && c.spec.versions.some((v) => v.name === version && v.served));
    if (!served) missing.add(`${object.kind ?? ''} (${group}/${version})`);
  }
  return [...missing];
}
