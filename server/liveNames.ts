// Names of the objects in a live management cluster, for completing a reference's name: the API server's
// discovery maps a kind to its resource, and a metadata-only list (never a Secret's data) gives the names.
// Answers are kept a short while, so typing a name asks the cluster once, not at every keystroke.
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../src/shared/kubeconfig';
import { kubeGetJson } from '../src/shared/kubeGet';

/** Completion must not hang on a slow cluster: past this, workspace names only. */
const REQUEST_TIMEOUT_MS = 2_000;
/** How long a list of names is reused. */
const FRESH_MS = 10_000;
/** Only metadata: names without the objects' content (a Secret's data stays on the server). */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json';

interface Resource {
  /** `/api/v1` or `/apis/<group>/<version>`. */
  readonly base: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

interface DiscoveryList {
  readonly resources?: readonly { name: string; kind: string; namespaced: boolean }[];
}

export class LiveNames {
  private readonly kc: KubeConfig;
  private readonly resources = new Map<string, Promise<Resource | undefined>>();
  private readonly lists = new Map<string, { at: number; names: Promise<string[]> }>();

  /** No kubeconfigPath: $KUBECONFIG, then ~/.kube/config. */
  constructor(kubeconfigPath: string | undefined, context: string | undefined) {
    const kc = loadKubeConfig(kubeconfigPath);
    if (!kc) throw new Error('no kubeconfig found');
    this.kc = kc;
    if (context) this.kc.setCurrentContext(context);
  }

  /** Where the cluster's objects come from, for the completion's detail. */
  get source(): string {
    return this.kc.getCurrentContext();
  }

  /** Names of the objects of `kind` in `group` and `namespace`; empty when the cluster has none or cannot say. */
  async names(group: string, kind: string, namespace: string): Promise<string[]> {
    const key = `${group}/${kind}/${namespace}`;
    const cached = this.lists.get(key);
    if (cached && performance.now() - cached.at < FRESH_MS) return cached.names;
    const names = this.list(group, kind, namespace).catch(() => []);
    this.lists.set(key, { at: performance.now(), names });
    return names;
  }

  private async list(group: string, kind: string, namespace: string): Promise<string[]> {
    const resource = await this.resource(group, kind);
    if (!resource) return [];
    const { base, plural } = resource;
    const path = resource.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}` : `${base}/${plural}`;
    const list = (await kubeGetJson(this.kc, path, { timeoutMs: REQUEST_TIMEOUT_MS, accept: METADATA_ONLY })) as { items?: { metadata?: { name?: unknown } }[] };
    return (list.items ?? []).map((i) => i.metadata?.name).filter((n): n is string => typeof n === 'string');
  }

  /** The resource path of a kind (in the group's preferred version), found once per kind. */
  private resource(group: string, kind: string): Promise<Resource | undefined> {
    const key = `${group}/${kind}`;
    let found = this.resources.get(key);
    if (!found) {
      found = this.discover(group, kind);
      // A failure is not remembered: the cluster may answer next time.
      found.catch(() => this.resources.delete(key));
      this.resources.set(key, found);
    }
    return found;
  }

  private async discover(group: string, kind: string): Promise<Resource | undefined> {
    let base = '/api/v1';
    if (group !== '') {
      const info = (await kubeGetJson(this.kc, `/apis/${group}`, { timeoutMs: REQUEST_TIMEOUT_MS })) as { preferredVersion?: { groupVersion?: string } };
      const groupVersion = info.preferredVersion?.groupVersion;
      if (!groupVersion) return undefined;
      base = `/apis/${groupVersion}`;
    }
    const list = (await kubeGetJson(this.kc, base, { timeoutMs: REQUEST_TIMEOUT_MS })) as DiscoveryList;
    const resource = list.resources?.find((r) => r.kind === kind && !r.name.includes('/'));
    return resource ? { base, plural: resource.name, namespaced: resource.namespaced } : undefined;
  }
}

/** A LiveNames for this kubeconfig and context, or undefined when the kubeconfig cannot be read. */
export function liveNames(kubeconfigPath: string | undefined, context: string | undefined): LiveNames | undefined {
  try {
    return new LiveNames(kubeconfigPath, context);
  } catch {
    return undefined;
  }
}
