// Free TCP ports on 127.0.0.1, and a clear error when a port the caller asked for is taken.
import { createServer } from 'node:net';
import { PortInUseError } from './errors';

const LOOPBACK = '127.0.0.1';

/** A port that nothing listens on right now (the kernel picks it; a small race remains until it is bound). */
export function freePort(host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Resolves if `port` can be bound on 127.0.0.1, else rejects with a PortInUseError naming its purpose. */
export function assertPortFree(port: number, purpose: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? new PortInUseError(port, purpose) : err);
    });
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      server.close(() => {
        resolve();
      });
    });
  });
}

/** The requested port after checking it is free, or a free one when none was requested. */
export async function choosePort(requested: number | undefined, purpose: string): Promise<number> {
  if (requested === undefined) return freePort();
  await assertPortFree(requested, purpose);
  return requested;
}
