// Writes self-contained kubeconfig files (certificates embedded) for the lab's users, and reads them back.
import { readFile, writeFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { LabError } from './errors';
import type { TlsMaterial } from './kubeHttp';

export interface KubeconfigUser {
  readonly userName: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export const LAB_CONTEXT_NAME = 'capi-dcs-lab';

export function kubeconfigText(serverUrl: string, caPem: string, user: KubeconfigUser): string {
  const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: LAB_CONTEXT_NAME, cluster: { server: serverUrl, 'certificate-authority-data': b64(caPem) } }],
    users: [{ name: user.userName, user: { 'client-certificate-data': b64(user.certPem), 'client-key-data': b64(user.keyPem) } }],
    contexts: [{ name: LAB_CONTEXT_NAME, context: { cluster: LAB_CONTEXT_NAME, user: user.userName } }],
    'current-context': LAB_CONTEXT_NAME,
  });
}

/** Mode 0600: the file holds a private key. */
export async function writeKubeconfig(path: string, serverUrl: string, caPem: string, user: KubeconfigUser): Promise<void> {
  await writeFile(path, kubeconfigText(serverUrl, caPem, user), { mode: 0o600 });
}

interface KubeconfigFile {
  readonly 'current-context'?: string;
  readonly contexts?: readonly { readonly name: string; readonly context: { readonly cluster: string; readonly user: string } }[];
  readonly clusters?: readonly { readonly name: string; readonly cluster: { readonly server: string; readonly 'certificate-authority-data'?: string } }[];
  readonly users?: readonly { readonly name: string; readonly user: { readonly 'client-certificate-data'?: string; readonly 'client-key-data'?: string } }[];
}

/** Server URL and TLS material of the current context of a kubeconfig with embedded certificates (as the lab writes them). */
export async function readKubeconfigAccess(path: string): Promise<{ serverUrl: string; tls: TlsMaterial }> {
  const file = parse(await readFile(path, 'utf8')) as KubeconfigFile;
  const context = file.contexts?.find((c) => c.name === file['current-context'])?.context;
  const cluster = file.clusters?.find((c) => c.name === context?.cluster)?.cluster;
  const user = file.users?.find((u) => u.name === context?.user)?.user;
  const ca = cluster?.['certificate-authority-data'];
  const cert = user?.['client-certificate-data'];
  const key = user?.['client-key-data'];
  if (!cluster || !ca || !cert || !key) {
    throw new LabError(`${path}: the current context needs a server with certificate-authority-data and a user with client-certificate-data and client-key-data`);
  }
  const text = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
  return { serverUrl: cluster.server, tls: { ca: text(ca), cert: text(cert), key: text(key) } };
}
