// Client-side helpers for the management-plane tests: real clients only, no fake of the API.
import { get, type RequestOptions } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';

export function loadKubeconfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/** GET with the kubeconfig's credentials and CA: the status and the body as text. */
export async function httpsGet(kc: KubeConfig, path: string): Promise<{ status: number; body: string }> {
  const options: RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    get(new URL(path, kc.getCurrentCluster()?.server), options, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    }).on('error', reject);
  });
}

/** Polls a condition with a deadline (tests never sleep a fixed time). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
