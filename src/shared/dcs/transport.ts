// How the DCS client puts bytes on the wire. `fetchTransport` (global fetch) is the default;
// `nodeTransport` uses node:https so a private CA (DCS ships a self-signed certificate) can be
// trusted without touching process-wide settings, which fetch cannot do without undici.

import * as http from 'node:http';
import * as https from 'node:https';

export interface TransportRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly signal: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  header(name: string): string | undefined;
  readonly text: string;
}

export type DcsTransport = (request: TransportRequest) => Promise<TransportResponse>;

export const fetchTransport: DcsTransport = async (request) => {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
  });
  const text = await response.text();
  return { status: response.status, header: (name) => response.headers.get(name) ?? undefined, text };
};

export interface NodeTransportOptions {
  /** PEM CA bundle to trust for HTTPS endpoints. */
  readonly ca?: string | Buffer;
  /** Accept any certificate. Lab use only. */
  readonly insecureSkipVerify?: boolean;
}

export function nodeTransport(options: NodeTransportOptions = {}): DcsTransport {
  return (request) =>
    new Promise<TransportResponse>((resolve, reject) => {
      const url = new URL(request.url);
      const common = { method: request.method, headers: request.headers, signal: request.signal };
      const onResponse = (res: http.IncomingMessage): void => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const headers = res.headers;
          resolve({
            status: res.statusCode ?? 0,
            header: (name) => {
              const value = headers[name.toLowerCase()];
              return Array.isArray(value) ? value.join(', ') : value;
            },
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      };
      const req =
        url.protocol === 'https:'
          ? https.request(url, { ...common, ca: options.ca, rejectUnauthorized: options.insecureSkipVerify !== true }, onResponse)
          : http.request(url, common, onResponse);
      req.on('error', reject);
      req.end(request.body);
    });
}
