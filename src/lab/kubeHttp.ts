// A small HTTPS client for the lab's own API server calls (readiness, server-side apply), authenticated
// with a client certificate and verifying the server against the lab CA.
import { Agent, request } from 'node:https';
import { statusMessage } from '../shared/kubeGet';

export { statusMessage };

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
}

export interface KubeHttp {
  request(method: string, path: string, body?: { contentType: string; data: string }): Promise<KubeResponse>;
  close(): void;
}

export interface TlsMaterial {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

const REQUEST_TIMEOUT_MS = 30_000;
const FIELD_MANAGER = 'capi-dcs-lab';

export function kubeHttpClient(serverUrl: string, tls: TlsMaterial): KubeHttp {
  const agent = new Agent({ ca: tls.ca, cert: tls.cert, key: tls.key, keepAlive: true });
  return {
    request: (method, path, body) =>
      new Promise((resolve, reject) => {
        const headers: Record<string, string> = { Accept: 'application/json' };
        if (body) headers['Content-Type'] = body.contentType;
        const req = request(new URL(path, serverUrl), { method, agent, headers, timeout: REQUEST_TIMEOUT_MS }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
        req.on('error', reject);
        req.end(body?.data);
      }),
    close: () => {
      agent.destroy();
    },
  };
}

/** Server-side apply of one object at its resource path, taking ownership of conflicting fields. */
export async function serverSideApply(http: KubeHttp, resourcePath: string, object: unknown): Promise<void> {
  const query = `?fieldManager=${FIELD_MANAGER}&force=true`;
  const res = await http.request('PATCH', resourcePath + query, { contentType: 'application/apply-patch+yaml', data: JSON.stringify(object) });
  if (res.status < 200 || res.status > 299) {
    throw new Error(`server-side apply of ${resourcePath} failed: HTTP ${res.status} ${statusMessage(res.body)}`);
  }
}

