// A small Kubernetes HTTP client for writes: any method, a body, query parameters, a deadline and an abort
// signal, with the kubeconfig's credentials. (src/kube/http.ts reads; client-node's clients take no signal.)
import type { KubeConfig } from '@kubernetes/client-node';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { ApiFailure } from './apiErrors';

export interface KubeRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** Overrides the client's deadline for this request. */
  readonly timeoutMs?: number;
}

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
}

/** Sends requests to one API server; the seam the tests replace with a recording fake. */
export interface KubeClient {
  /** The kubeconfig context this client talks to, for messages. */
  readonly context: string;
  /** The API server's URL, for messages; undefined when the context names none. */
  readonly server: string | undefined;
  send(request: KubeRequest): Promise<KubeResponse>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function kubeClient(kc: KubeConfig, timeoutMs = DEFAULT_TIMEOUT_MS): KubeClient {
  return {
    context: kc.getCurrentContext(),
    server: kc.getCurrentCluster()?.server,
    send: (request) => send(kc, request, request.timeoutMs ?? timeoutMs),
  };
}

async function send(kc: KubeConfig, request: KubeRequest, timeoutMs: number): Promise<KubeResponse> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error(`context ${kc.getCurrentContext()} names no cluster server`);
  const url = new URL(request.path, server);
  for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (request.contentType) headers['Content-Type'] = request.contentType;
  const options: RequestOptions = { method: request.method, headers };
  await kc.applyToHTTPSOptions(options);
  request.signal?.throwIfAborted();
  const transport = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise<KubeResponse>((resolve, reject) => {
    const req = transport(url, { ...options, timeout: timeoutMs, signal: request.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('timeout', () => {
      req.destroy(Object.assign(new Error(`${request.method} ${url.pathname}: no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

/** Sends and returns the parsed JSON body of a 2xx answer; anything else throws an ApiFailure. */
export async function sendJson(client: KubeClient, request: KubeRequest): Promise<unknown> {
  const response = await client.send(request);
  if (response.status < 200 || response.status > 299) throw ApiFailure.fromResponse(response.status, response.body);
  return response.body === '' ? undefined : (JSON.parse(response.body) as unknown);
}
