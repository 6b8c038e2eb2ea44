// GET from a Kubernetes API server with the kubeconfig's credentials, a deadline and an abort signal.
// (client-node's generated clients have no per-request timeout; a list against a hung server must end.)
// Shared by the explorer's informers and the schema catalog read from a live cluster.
import type { KubeConfig } from '@kubernetes/client-node';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';

export interface GetOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly accept?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** A response outside 2xx, with the message of the Status object the API server sent. */
export class KubeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'KubeHttpError';
  }
}

/** The `message` of a Kubernetes Status body, or the body itself (shortened). */
export function statusMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const message = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).message : undefined;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: use the text
  }
  return body.length > 300 ? `${body.slice(0, 299)}…` : body;
}

export async function kubeGet(kc: KubeConfig, path: string, options: GetOptions = {}): Promise<string> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error(`context ${kc.getCurrentContext()} names no cluster server`);
  const url = new URL(path, server);
  const requestOptions: RequestOptions = { method: 'GET', headers: { Accept: options.accept ?? 'application/json' } };
  await kc.applyToHTTPSOptions(requestOptions); // CA, client certificate or token, as the kubeconfig says
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
