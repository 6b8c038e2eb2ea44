import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface ContextSummary {
  readonly name: string;
  readonly cluster: string;
  readonly server: string | undefined;
  readonly isCurrent: boolean;
}

/** The kubeconfig files to read: an explicit path, else $KUBECONFIG's list, else ~/.kube/config. */
export function kubeconfigFiles(explicitPath?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (explicitPath) return [explicitPath];
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  return (fromEnv.length > 0 ? fromEnv : [join(homedir(), '.kube', 'config')]).filter((p) => existsSync(p));
}

/**
 * Loads and merges the kubeconfig files, or returns undefined when there are none.
 * (client-node's loadFromDefault would invent a localhost context instead.)
 * Throws with the parser's message when a file is not a valid kubeconfig.
 */
export function loadKubeConfig(explicitPath?: string): KubeConfig | undefined {
  const files = kubeconfigFiles(explicitPath);
  if (explicitPath && !existsSync(explicitPath)) throw new Error(`kubeconfig ${explicitPath} does not exist`);
  if (files.length === 0) return undefined;
  const kc = new KubeConfig();
  kc.loadFromFile(files[0] ?? '');
  for (const file of files.slice(1)) {
    const more = new KubeConfig();
    more.loadFromFile(file);
    kc.mergeConfig(more);
  }
  return kc;
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
