// The one kubeconfig loader of the extension, the language server, the CLI and the controller: the files
// kubectl would read, merged the way kubectl merges them.
import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

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
export function loadKubeConfig(explicitPath?: string, env: NodeJS.ProcessEnv = process.env): KubeConfig | undefined {
  if (explicitPath && !existsSync(explicitPath)) throw new Error(`kubeconfig ${explicitPath} does not exist`);
  const files = kubeconfigFiles(explicitPath, env);
  if (files.length === 0) return undefined;
  return mergeKubeConfigs(
    files.map((file) => {
      const kc = new KubeConfig();
      kc.loadFromFile(file); // also resolves relative certificate paths against the file's folder
      return kc;
    }),
  );
}

/**
 * kubectl's merge of a $KUBECONFIG list: the first file that names a cluster, user or context wins for that
 * name, and the first file that sets current-context wins. (client-node's mergeConfig throws on a name
 * seen twice and lets the last current-context win.)
 */
export function mergeKubeConfigs(configs: readonly KubeConfig[]): KubeConfig {
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: firstPerName(configs.flatMap((kc) => kc.getClusters())),
    users: firstPerName(configs.flatMap((kc) => kc.getUsers())),
    contexts: firstPerName(configs.flatMap((kc) => kc.getContexts())),
    // A file without current-context leaves it undefined, whatever the declared type says.
    currentContext: configs.map((kc) => kc.getCurrentContext() as string | undefined).find((name) => !!name) ?? '',
  });
  return merged;
}

function firstPerName<T extends { readonly name: string }>(entries: readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const entry of entries) if (!byName.has(entry.name)) byName.set(entry.name, entry);
  return [...byName.values()];
}
