import { KubeConfig } from '@kubernetes/client-node';

// The loader is shared with the language server, the CLI and the controller.
export { kubeconfigFiles, loadKubeConfig } from '../shared/kubeconfig';

export interface ContextSummary {
  readonly name: string;
  readonly cluster: string;
  readonly server: string | undefined;
  readonly isCurrent: boolean;
}

export function listContexts(kc: KubeConfig): ContextSummary[] {
  const current = kc.getCurrentContext();
  return kc.getContexts().map((c) => ({
    name: c.name,
    cluster: c.cluster,
    server: kc.getCluster(c.cluster)?.server,
    isCurrent: c.name === current,
  }));
}

/** A KubeConfig that talks to one context of `kc` (its cluster, user and namespace), whatever kc's current context. */
export function contextKubeConfig(kc: KubeConfig, contextName: string): KubeConfig {
  if (!kc.getContextObject(contextName)) throw new Error(`context ${contextName} is not in the kubeconfig`);
  const one = new KubeConfig();
  one.loadFromOptions({ clusters: kc.getClusters(), users: kc.getUsers(), contexts: kc.getContexts(), currentContext: contextName });
  return one;
}

/**
 * Identifies what a context points at (server, CA, user entry), so a reload can tell whether a running
 * connection must be rebuilt. Used for comparison only: never logged or shown.
 */
export function contextFingerprint(kc: KubeConfig, contextName: string): string {
  const context = kc.getContextObject(contextName);
  if (!context) return '';
  return JSON.stringify([context, kc.getCluster(context.cluster), kc.getUser(context.user)]);
}
