// The health (/healthz, /readyz) and metrics (/metrics) endpoints: plain HTTP on a host:port
// from the flags (127.0.0.1 by default; port 0 picks a free one, reported in the log).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Endpoint {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

export type Routes = Readonly<Record<string, () => Endpoint>>;

export interface RunningServer {
  readonly address: string;
  close(): Promise<void>;
}

/** "127.0.0.1:8081" or ":8081" (127.0.0.1). */
export function parseHostPort(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  const host = colon > 0 ? value.slice(0, colon).replace(/^\[|\]$/g, '') : '127.0.0.1';
  const port = Number(colon >= 0 ? value.slice(colon + 1) : value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`"${value}" is not host:port`);
  return { host, port };
}

export function serveEndpoints(addr: string, routes: Routes): Promise<RunningServer> {
  const { host, port } = parseHostPort(addr);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes[path];
    if (req.method !== 'GET' || !route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    const reply = route();
    res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'text/plain; charset=utf-8' }).end(reply.body);
  });
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const bound = server.address() as AddressInfo;
      resolve({
        address: `${bound.address}:${bound.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
