// Small HTTP servers on 127.0.0.1 standing in for an API server in the operate unit tests, and an ObjectApi
// that talks to them through the real kube client.
import { KubeConfig } from '@kubernetes/client-node';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { kubeClient } from '../../src/operate/kubeClient';
import { ObjectApi } from '../../src/operate/objectApi';

/** An ObjectApi on `server` through kubeconfig context "lab-ctx". */
export function objectApiAt(server: string): ObjectApi {
  const kc = new KubeConfig();
  // client-node sends plain HTTP only with TLS checks off; there is no TLS on these loopback servers.
  kc.loadFromOptions({
    clusters: [{ name: 'lab', server, skipTLSVerify: true }],
    users: [{ name: 'nobody' }],
    contexts: [{ name: 'lab-ctx', cluster: 'lab', user: 'nobody' }],
    currentContext: 'lab-ctx',
  });
  return new ObjectApi(kubeClient(kc, 10_000));
}

/** Listens on a free loopback port; returns the server's URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** A loopback URL where nothing listens: the port was free a moment ago. */
export async function closedPort(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await stop(server);
  return url;
}
