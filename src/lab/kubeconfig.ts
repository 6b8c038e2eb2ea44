// Writes self-contained kubeconfig files (certificates embedded) for the lab's users.
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

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
