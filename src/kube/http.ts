// GET JSON from the API server with the kubeconfig's credentials, a deadline and an abort signal.
// (client-node's generated clients have no per-request timeout; a list against a hung server must end.)
import type { KubeConfig } from '@kubernetes/client-node';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { KubeHttpError, statusMessage } from './errors';

export interface GetOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly accept?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export async function kubeGet(kc: KubeConfig, path: string, options: GetOptions = {}): Promise<string> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error(`context ${kc.getCurrentContext()} names no cluster server`);
  const url = new URL(path, server);
  const requestOptions: RequestOptions = { method: 'GET', headers: { Accept: options.accept ?? 'application/json' } };
  await kc.applyToHTTPSOptions(requestOptions);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise<string>((resolve, reject) => {
    const req = send(url, { ...requestOptions, timeout: timeoutMs, signal: options.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(body);
        else reject(new KubeHttpError(status, statusMessage(body) || `HTTP ${status}`));
      });
    });
    req.on('timeout', () => {
      const error = Object.assign(new Error(`GET ${url.pathname}: no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
      req.destroy(error);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function kubeGetJson(kc: KubeConfig, path: string, options: GetOptions = {}): Promise<unknown> {
  return JSON.parse(await kubeGet(kc, path, options)) as unknown;
}
