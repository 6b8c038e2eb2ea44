// A catalog from a live management cluster: the CRDs it has installed, converted exactly like the
// bundled ones, so manifests are checked against the versions the cluster really runs.
import type { KubeConfig } from '@kubernetes/client-node';
import { isClusterApiGroup } from '../gvk';
import { loadKubeConfig } from '../kubeconfig';
import { kubeGet, KubeHttpError } from '../kubeGet';
import { coreEntries } from './bundled';
import { entriesFromCrd, SchemaCatalog } from './catalog';
import { isCustomResourceDefinition, type CustomResourceDefinition } from './crd';

const CRD_LIST_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const PAGE_SIZE = 200;
const REQUEST_TIMEOUT_MS = 30_000;

export interface ClusterCatalogOptions {
  /** Kubeconfig context; default the file's current context. */
  readonly context?: string;
  /** Which CRD groups to read; default the Cluster API groups (DCS included). */
  readonly includeGroup?: (group: string) => boolean;
  readonly signal?: AbortSignal;
}

export class ClusterReadError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'ClusterReadError';
  }
}

async function getJson(kc: KubeConfig, path: string, signal: AbortSignal | undefined): Promise<unknown> {
  if (!kc.getCurrentCluster()?.server) throw new ClusterReadError('the kubeconfig has no current cluster');
  let body: string;
  try {
    body = await kubeGet(kc, path, { timeoutMs: REQUEST_TIMEOUT_MS, signal });
  } catch (error) {
    if (error instanceof KubeHttpError) throw new ClusterReadError(`GET ${path}: HTTP ${String(error.status)}`, error.status);
    throw error;
  }
  try {
    return JSON.parse(body);
  } catch {
    throw new ClusterReadError(`GET ${path}: the answer is not JSON`);
  }
}

/** Every installed CRD of the selected groups, in wire format. No kubeconfigPath: $KUBECONFIG, then ~/.kube/config. */
export async function readClusterCrds(kubeconfigPath: string | undefined, options: ClusterCatalogOptions = {}): Promise<CustomResourceDefinition[]> {
  const kc = loadKubeConfig(kubeconfigPath);
  if (!kc) throw new ClusterReadError('no kubeconfig found ($KUBECONFIG, ~/.kube/config)');
  if (options.context !== undefined) kc.setCurrentContext(options.context);
  const include = options.includeGroup ?? isClusterApiGroup;
  const crds: CustomResourceDefinition[] = [];
  let next = '';
  do {
    const query = `?limit=${String(PAGE_SIZE)}${next ? `&continue=${encodeURIComponent(next)}` : ''}`;
    const page = (await getJson(kc, CRD_LIST_PATH + query, options.signal)) as { items?: unknown[]; metadata?: { continue?: string } };
    for (const item of page.items ?? []) if (isCustomResourceDefinition(item) && include(item.spec.group)) crds.push(item);
    next = page.metadata?.continue ?? '';
  } while (next);
  return crds;
}

/**
 * The catalog of a live cluster: core kinds (bundled; the cluster serves their schemas elsewhere) plus
 * every installed CRD of the selected groups.
 */
export async function catalogFromCluster(kubeconfigPath: string | undefined, options: ClusterCatalogOptions = {}): Promise<SchemaCatalog> {
  const crds = await readClusterCrds(kubeconfigPath, options);
  return new SchemaCatalog([...coreEntries(), ...crds.flatMap((crd) => entriesFromCrd(crd, 'cluster'))]);
}
