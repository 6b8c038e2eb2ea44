// Installs CustomResourceDefinitions with server-side apply and waits until the server serves them.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseAllDocuments } from 'yaml';
import { LabError } from './errors';
import { serverSideApply, statusMessage, type KubeHttp } from './kubeHttp';

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const APPLY_CONCURRENCY = 4;
const POLL_MS = 200;

interface CrdObject {
  readonly kind: 'CustomResourceDefinition';
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly plural: string };
    readonly versions: readonly { readonly name: string; readonly served: boolean }[];
  };
}

interface CrdStatusItem {
  readonly metadata: { readonly name: string };
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string; readonly message?: string }[] };
}

/** Every *.yaml in `dir`, sorted; none when the folder does not exist. */
export async function yamlFilesIn(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort().map((n) => join(dir, n));
}

/** The CRDs in the given YAML files (other documents are ignored). */
export async function readCrds(files: readonly string[]): Promise<CrdObject[]> {
  const crds: CrdObject[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      if (doc.errors.length > 0) throw new LabError(`${file}: invalid YAML: ${doc.errors[0]?.message ?? ''}`);
      const value: unknown = doc.toJS();
      if (isCrd(value)) crds.push(value);
    }
  }
  return crds;
}

/**
 * Applies the CRDs and resolves once each is Established and its resources answer a list in every served
 * version (right after Established the server may still say "storage is (re)initializing").
 */
export async function installCrds(http: KubeHttp, crds: readonly CrdObject[], timeoutMs: number): Promise<void> {
  const queue = [...crds];
  const worker = async (): Promise<void> => {
    for (let crd = queue.shift(); crd; crd = queue.shift()) await serverSideApply(http, `${CRD_PATH}/${crd.metadata.name}`, crd);
  };
  await Promise.all(Array.from({ length: APPLY_CONCURRENCY }, worker));
  const deadline = Date.now() + timeoutMs;
  await waitEstablished(http, crds.map((c) => c.metadata.name), timeoutMs);
  await waitServed(http, crds, deadline);
}

async function waitServed(http: KubeHttp, crds: readonly CrdObject[], deadline: number): Promise<void> {
  const paths = crds.flatMap((crd) =>
    crd.spec.versions.filter((v) => v.served).map((v) => `/apis/${crd.spec.group}/${v.name}/${crd.spec.names.plural}?limit=1`),
  );
  for (const path of paths) {
    for (;;) {
      const res = await http.request('GET', path);
      if (res.status === 200) break;
      if (Date.now() > deadline) throw new LabError(`${path} is not served: HTTP ${res.status} ${statusMessage(res.body)}`);
      await sleep(POLL_MS);
    }
  }
}

export async function waitEstablished(http: KubeHttp, names: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...names];
  let lastProblem = '';
  while (pending.length > 0) {
    const res = await http.request('GET', CRD_PATH);
    if (res.status !== 200) {
      lastProblem = `HTTP ${res.status} ${statusMessage(res.body)}`;
    } else {
      const items = (JSON.parse(res.body) as { items: CrdStatusItem[] }).items;
      const established = new Set(items.filter(isEstablished).map((i) => i.metadata.name));
      pending = pending.filter((n) => !established.has(n));
    }
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      throw new LabError(`CRDs not Established after ${timeoutMs} ms: ${pending.join(', ')} ${lastProblem}`.trim());
    }
    await sleep(POLL_MS);
  }
}

function isEstablished(item: CrdStatusItem): boolean {
  return (item.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

function isCrd(value: unknown): value is CrdObject {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, metadata, spec } = value as { kind?: unknown; metadata?: { name?: unknown }; spec?: Partial<CrdObject['spec']> };
  return (
    kind === 'CustomResourceDefinition' &&
    typeof metadata?.name === 'string' &&
    typeof spec?.group === 'string' &&
    typeof spec.names?.plural === 'string' &&
    Array.isArray(spec.versions)
  );
}
