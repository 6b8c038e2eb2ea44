// Serves the browser playground (out/playground, written by scripts/build.mjs) as static files on
// 127.0.0.1: GET and HEAD of existing files only, with the page's Content-Security-Policy as a header too.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { projectRoot } from './projectPaths';

/** No remote resources: scripts and styles from this origin, workers from blob: copies of its own files. */
export const PLAYGROUND_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Monaco adds <style> elements at run time (themes, decorations); it has no nonce support for them.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  'worker-src blob:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.yaml': 'text/yaml; charset=utf-8',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

export function playgroundDir(): string {
  return join(projectRoot(), 'out', 'playground');
}

export interface Playground {
  readonly url: string;
  close(): Promise<void>;
}

export async function startPlayground(options: { port?: number; dir?: string } = {}): Promise<Playground> {
  const dir = options.dir ?? playgroundDir();
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`${dir} has no index.html: run npm run build first`);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    const ok = (req.method === 'GET' || req.method === 'HEAD') && file.startsWith(dir + sep) && existsSync(file) && statSync(file).isFile();
    if (!ok) {
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': PLAYGROUND_CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await listen(server, options.port ?? 0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        resolve();
      });
    }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
