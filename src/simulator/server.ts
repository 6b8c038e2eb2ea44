// Puts a Simulator on HTTP (default) or HTTPS (`tls` given) on a loopback address. Reads each
// body (bounded), hands a plain request to the simulator, writes JSON back, logs one line.

import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { isLoopbackIPv4 } from './inventory';
import { loggablePath, type Logger } from './log';
import { MAX_UPLOAD_BYTES } from './mediaOps';
import type { SimReply, SimRequest } from './router';
import type { Simulator } from './simulator';

export interface ListenOptions {
  /** Must be a 127.x.y.z address. */
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024;

export class NotLoopbackError extends Error {
  constructor(host: string) {
    super(`refusing to listen on ${host}: the simulator binds 127.0.0.0/8 addresses only`);
    this.name = 'NotLoopbackError';
  }
}

/** Starts listening; `build` receives a getter for the final URL (needed for upload URLs). */
export async function listen(build: (baseUrl: () => string) => Simulator, options: ListenOptions, log: Logger): Promise<RunningServer> {
  if (!isLoopbackIPv4(options.host)) throw new NotLoopbackError(options.host);
  const where = { url: '' };
  const simulator = build(() => where.url);
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void serve(simulator, req, res, log);
  };
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler) : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  where.url = `${options.tls ? 'https' : 'http'}://${options.host}:${address.port}`;
  return {
    url: where.url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
        simulator.persist();
      }),
  };
}

async function serve(simulator: Simulator, req: http.IncomingMessage, res: http.ServerResponse, log: Logger): Promise<void> {
  const started = performance.now();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  let reply: SimReply;
  try {
    const body = await readBody(req);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const request: SimRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body };
    reply = simulator.handle(request);
  } catch (err: unknown) {
    reply = { status: 413, body: { errorCode: '10000400', errorDes: err instanceof Error ? err.message : 'bad request' } };
  }
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'Content-Type': 'application/json;charset=UTF-8', ...reply.headers });
  res.end(text);
  const errorCode = reply.status >= 400 && typeof reply.body === 'object' && reply.body !== null ? (reply.body as { errorCode?: string }).errorCode : undefined;
  log.info('request', {
    method: req.method,
    path: loggablePath(url.pathname),
    status: reply.status,
    ms: Math.round(performance.now() - started),
    errorCode,
  });
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`request body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
