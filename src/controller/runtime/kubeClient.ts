// The controller's Kubernetes API client: JSON over one keep-alive HTTPS agent built from a
// kubeconfig (client-node's KubeConfig reads it and resolves certificates, tokens and exec
// plugins), a client-side rate limit, a per-request deadline, and a counter of every request
// (verb, resource, code) for the metrics endpoint. Watches stream newline-delimited JSON events.

import { KubeConfig } from '@kubernetes/client-node';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { loadKubeConfig } from '../../shared/kubeconfig';
import { kubeErrorFrom } from './kubeErrors';
import { TokenBucket } from './tokenBucket';

export interface KubeClientOptions {
  /** Kubeconfig file; default $KUBECONFIG or ~/.kube/config (merged as kubectl does), else in-cluster. */
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Client-side limit on non-watch requests. */
  readonly qps: number;
  readonly burst: number;
  readonly timeoutMs?: number;
  readonly onRequest?: (verb: string, resource: string, code: number, seconds: number) => void;
}

export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: unknown;
}

type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface RequestInit {
  readonly query?: Query;
  readonly body?: unknown;
  readonly contentType?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_SOCKETS = 64;

export class KubeClient {
  private headers: Record<string, string> = {};
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly limiter: TokenBucket;
  readonly server: URL;

  private constructor(
    private readonly kc: KubeConfig,
    tls: RequestOptions,
    private readonly options: KubeClientOptions,
  ) {
    const server = kc.getCurrentCluster()?.server;
    if (!server) throw new Error(`kubeconfig context "${kc.getCurrentContext()}" names no cluster server`);
    this.server = new URL(server);
    const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS };
    this.agent =
      this.server.protocol === 'http:'
        ? new HttpAgent(agentOptions)
        : new HttpsAgent({ ...agentOptions, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.rejectUnauthorized, servername: tls.servername });
    this.limiter = new TokenBucket(options.qps, options.burst);
  }

  static async create(options: KubeClientOptions): Promise<KubeClient> {
    // No kubeconfig file at all: the pod's service account (client-node's in-cluster rules).
    let kc = loadKubeConfig(options.kubeconfig);
    if (!kc) {
      kc = new KubeConfig();
      kc.loadFromDefault();
    }
    if (options.context) kc.setCurrentContext(options.context);
    const tls: RequestOptions = {};
    await kc.applyToHTTPSOptions(tls);
    const client = new KubeClient(kc, tls, options);
    client.headers = headersOf(tls);
    return client;
  }

  /** The identity the kubeconfig names (for log lines; never a credential). */
  get userName(): string {
    return this.kc.getCurrentUser()?.name ?? '';
  }

  async request<T = unknown>(method: string, path: string, init: RequestInit = {}): Promise<T> {
    await this.limiter.take();
    const started = performance.now();
    let reply = await this.send(method, path, init);
    if (reply.status === 401) {
      await this.refreshAuth(); // exec plugins and token files rotate credentials
      reply = await this.send(method, path, init);
    }
    this.options.onRequest?.(verbOf(method, path), resourceOf(path), reply.status, (performance.now() - started) / 1000);
    if (reply.status < 200 || reply.status > 299) throw kubeErrorFrom(`${method} ${path.split('?')[0] ?? path}`, reply.status, reply.body);
    return (reply.body === '' ? undefined : JSON.parse(reply.body)) as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  mergePatch<T>(path: string, patch: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body: patch, contentType: 'application/merge-patch+json' });
  }

  /**
   * Streams a watch; resolves when the server ends it (timeoutSeconds), rejects on a transport
   * error or a non-200 reply. Aborting the signal ends it quietly.
   */
  watch(path: string, query: Query, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    const idleMs = (Number(query.timeoutSeconds ?? 300) + 90) * 1000;
    return new Promise<void>((resolve, reject) => {
      const url = this.url(path, { ...query, watch: true });
      const req = this.transport(url, { method: 'GET', agent: this.agent, headers: { ...this.headers, Accept: 'application/json' }, signal }, (res) => {
        this.options.onRequest?.('watch', resourceOf(path), res.statusCode ?? 0, 0);
        if (res.statusCode !== 200) {
          readAll(res).then((body) => reject(kubeErrorFrom(`WATCH ${path}`, res.statusCode ?? 0, body)), reject);
          return;
        }
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let newline = buffered.indexOf('\n');
          try {
            while (newline >= 0) {
              const line = buffered.slice(0, newline).trim();
              buffered = buffered.slice(newline + 1);
              if (line !== '') onEvent(JSON.parse(line) as WatchEvent);
              newline = buffered.indexOf('\n');
            }
          } catch (err: unknown) {
            // A handler refused the stream (e.g. 410 Gone inside an ERROR event): end it here.
            reject(err instanceof Error ? err : new Error(String(err)));
            req.destroy();
          }
        });
        res.on('end', () => resolve());
        res.on('error', (err) => (signal.aborted ? resolve() : reject(err)));
      });
      req.setTimeout(idleMs, () => req.destroy(new Error(`WATCH ${path}: no data for ${idleMs} ms`)));
      req.on('error', (err) => (signal.aborted ? resolve() : reject(err)));
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private async refreshAuth(): Promise<void> {
    const tls: RequestOptions = {};
    await this.kc.applyToHTTPSOptions(tls);
    this.headers = headersOf(tls);
  }

  private send(method: string, path: string, init: RequestInit): Promise<{ status: number; body: string }> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const headers: Record<string, string> = { ...this.headers, Accept: 'application/json' };
    let payload: string | undefined;
    if (init.body !== undefined) {
      payload = JSON.stringify(init.body);
      headers['Content-Type'] = init.contentType ?? 'application/json';
    }
    return new Promise((resolve, reject) => {
      const req = this.transport(this.url(path, init.query), { method, agent: this.agent, headers }, (res) => {
        readAll(res).then((body) => resolve({ status: res.statusCode ?? 0, body }), reject);
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no reply within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  private url(path: string, query?: Query): URL {
    const url = new URL(path, this.server);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }

  private transport(url: URL, options: RequestOptions, onResponse: (res: IncomingMessage) => void): ReturnType<typeof httpRequest> {
    return url.protocol === 'http:' ? httpRequest(url, options, onResponse) : httpsRequest(url, options, onResponse);
  }
}

function headersOf(options: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.headers ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') headers[key] = String(value);
  }
  if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
  return headers;
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** `secrets`, `dcsmachines/status`, ... from an API path. */
export function resourceOf(path: string): string {
  const parts = (path.split('?')[0] ?? '').split('/').filter((p) => p !== '');
  let rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const [resource = '', , sub] = rest;
  return sub ? `${resource}/${sub}` : resource;
}

function verbOf(method: string, path: string): string {
  const parts = (path.split('?')[0] ?? '').split('/').filter((p) => p !== '');
  let rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  switch (method) {
    case 'GET':
      return rest.length === 1 ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    default:
      return method.toLowerCase();
  }
}
