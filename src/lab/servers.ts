// Starts etcd and kube-apiserver on 127.0.0.1 with the lab's flags and waits until each answers.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LabCerts } from './certs';
import { PortInUseError, StartupError } from './errors';
import type { KubeHttp } from './kubeHttp';
import { logTail, startServer, type ServerProcess } from './processes';

export interface LabPorts {
  readonly apiServer: number;
  readonly etcdClient: number;
  readonly etcdPeer: number;
}

const POLL_MS = 100;
/** Configuration only: the lab runs no Services, so nothing ever connects to this range. */
const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';

export async function startEtcd(binary: string, dataDir: string, ports: LabPorts): Promise<ServerProcess> {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return startServer('etcd', binary, [
    '--name', 'lab',
    '--data-dir', join(dataDir, 'etcd'),
    '--listen-client-urls', client,
    '--advertise-client-urls', client,
    '--listen-peer-urls', peer,
    '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `lab=${peer}`,
    '--log-level', 'warn',
    '--unsafe-no-fsync', // a throwaway store: speed over durability
  ], join(dataDir, 'etcd.log'));
}

/** What the API server needs of a PKI: the lab's own, or a workload cluster's from its bootstrap data. */
export type ApiServerCerts = Pick<LabCerts, 'caCertPath' | 'serving' | 'serviceAccountKeyPath' | 'serviceAccountPublicKeyPath'>;

/** `address`: the loopback IP to serve on (a workload cluster's control-plane endpoint host). */
export async function startKubeApiserver(binary: string, dataDir: string, certs: ApiServerCerts, ports: LabPorts, address = '127.0.0.1'): Promise<ServerProcess> {
  return startServer('kube-apiserver', binary, [
    '--etcd-servers', `http://127.0.0.1:${ports.etcdClient}`,
    '--bind-address', address,
    '--advertise-address', address,
    '--secure-port', String(ports.apiServer),
    '--cert-dir', join(dataDir, 'apiserver-certs'),
    '--tls-cert-file', certs.serving.certPath,
    '--tls-private-key-file', certs.serving.keyPath,
    '--client-ca-file', certs.caCertPath,
    '--authorization-mode', 'RBAC',
    '--service-account-issuer', 'https://kubernetes.default.svc',
    '--service-account-key-file', certs.serviceAccountPublicKeyPath,
    '--service-account-signing-key-file', certs.serviceAccountKeyPath,
    '--service-cluster-ip-range', SERVICE_CLUSTER_IP_RANGE,
    '--profiling=false',
  ], join(dataDir, 'kube-apiserver.log'));
}

/** Polls etcd's /health until it reports healthy. */
export async function waitEtcdHealthy(etcd: ServerProcess, ports: LabPorts, timeoutMs: number): Promise<void> {
  await waitFor(etcd, ports, timeoutMs, 'etcd did not become healthy', async () => {
    const res = await fetch(`http://127.0.0.1:${ports.etcdClient}/health`, { signal: AbortSignal.timeout(2_000) });
    return res.ok && ((await res.json()) as { health?: unknown }).health === 'true';
  });
}

/** Polls /readyz (as the admin) until the API server says ok: all post-start hooks have run. */
export async function waitApiServerReady(apiserver: ServerProcess, ports: LabPorts, http: KubeHttp, timeoutMs: number): Promise<void> {
  await waitFor(apiserver, ports, timeoutMs, 'kube-apiserver did not become ready', async () => {
    const res = await http.request('GET', '/readyz');
    return res.status === 200 && res.body.trim() === 'ok';
  });
}

async function waitFor(
  proc: ServerProcess,
  ports: LabPorts,
  timeoutMs: number,
  failure: string,
  isReady: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.hasExited()) throw await exitError(proc, ports);
    if (await isReady().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new StartupError(`${failure} within ${timeoutMs / 1000} s.`, proc.logPath, await logTail(proc.logPath));
    }
    await sleep(POLL_MS);
  }
}

/** A server that exited early: a port clash gets its own error, anything else the log's end. */
async function exitError(proc: ServerProcess, ports: LabPorts): Promise<Error> {
  const tail = await logTail(proc.logPath, 40);
  const clash = /127\.0\.0\.1:(\d+)[^\n]*address already in use/.exec(tail);
  if (clash) {
    const port = Number(clash[1]);
    const purpose = { [ports.apiServer]: 'kube-apiserver', [ports.etcdClient]: 'etcd client', [ports.etcdPeer]: 'etcd peer' }[port];
    return new PortInUseError(port, purpose ?? proc.name);
  }
  return new StartupError(`${proc.name} exited with code ${String(await proc.exited)} while starting.`, proc.logPath, tail);
}
