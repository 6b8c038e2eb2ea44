// A workload cluster's API, as `kubeadm init` leaves it on the first control-plane VM: etcd and
// kube-apiserver (the lab's own binaries) serving at the cluster's controlPlaneEndpoint (a 127.x
// address), with a serving certificate signed by the cluster CA from the bootstrap data. So the
// kubeconfig Secret Cluster API writes (a client certificate of that CA) works against it.
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries } from './binaries';
import type { BootstrapPki } from './bootstrapData';
import { issueWithCa, readPair } from './certs';
import { createDataDir } from './dataDirs';
import { LabError } from './errors';
import { kubeHttpClient, type KubeHttp } from './kubeHttp';
import { LabRun } from './labRun';
import { freePort } from './ports';
import { startEtcd, startKubeApiserver, waitApiServerReady, waitEtcdHealthy, type LabPorts } from './servers';

export interface WorkloadApiServer {
  readonly url: string;
  /** A client as kubeadm's admin.conf (system:masters, a certificate of the cluster CA). */
  readonly http: KubeHttp;
  readonly pids: { readonly kubeApiserver: number; readonly etcd: number };
  /** From the call until /readyz answered ok. */
  readonly readyMs: number;
  stop(): Promise<void>;
}

const ETCD_READY_TIMEOUT_MS = 60_000;
const APISERVER_READY_TIMEOUT_MS = 120_000;

export async function startWorkloadApiServer(endpoint: { host: string; port: number }, pki: BootstrapPki, log: (line: string) => void): Promise<WorkloadApiServer> {
  if (!/^127\.\d+\.\d+\.\d+$/.test(endpoint.host)) throw new LabError(`the workload API endpoint ${endpoint.host} is not a 127.x address; the lab serves loopback only`);
  const started = Date.now();
  const binaries = await ensureBinaries({ log });
  const run = new LabRun(await createDataDir(undefined, tmpdir(), log));
  try {
    const dir = run.dataDir;
    const ca = { certPath: join(dir, 'ca.crt'), keyPath: join(dir, 'ca.key') };
    await writeFile(ca.certPath, pki.caCert);
    await writeFile(ca.keyPath, pki.caKey, { mode: 0o600 });
    const certs = {
      caCertPath: ca.certPath,
      serving: await issueWithCa(dir, 'apiserver', ca, '/CN=kube-apiserver', [endpoint.host, '127.0.0.1']),
      ...(await serviceAccountKeys(dir, pki)),
    };
    const admin = await readPair(await issueWithCa(dir, 'admin', ca, '/O=system:masters/CN=capi-dcs-workload-admin', []));
    const ports: LabPorts = { apiServer: endpoint.port, etcdClient: await freePort(), etcdPeer: await freePort() };
    if (ports.etcdClient === ports.etcdPeer) throw new LabError('the kernel handed out one port twice; try again');
    const etcd = await run.track(await startEtcd(binaries.etcd, dir, ports));
    await waitEtcdHealthy(etcd, ports, ETCD_READY_TIMEOUT_MS);
    const apiserver = await run.track(await startKubeApiserver(binaries.kubeApiserver, dir, certs, ports, endpoint.host));
    const url = `https://${endpoint.host}:${endpoint.port}`;
    const http = run.trackClient(kubeHttpClient(url, { ca: pki.caCert, cert: admin.cert, key: admin.key }));
    await waitApiServerReady(apiserver, ports, http, APISERVER_READY_TIMEOUT_MS);
    const readyMs = Date.now() - started;
    log(`[workload] kube-apiserver of ${endpoint.host}:${endpoint.port} ready after ${(readyMs / 1000).toFixed(1)} s`);
    return { url, http, pids: { kubeApiserver: apiserver.pid, etcd: etcd.pid }, readyMs, stop: () => run.stop() };
  } catch (err) {
    await run.stop();
    throw err;
  }
}

/** kubeadm's sa.key/sa.pub from the bootstrap data; a fresh pair when the data has none. */
async function serviceAccountKeys(dir: string, pki: BootstrapPki): Promise<{ serviceAccountKeyPath: string; serviceAccountPublicKeyPath: string }> {
  const paths = { serviceAccountKeyPath: join(dir, 'sa.key'), serviceAccountPublicKeyPath: join(dir, 'sa.pub') };
  let { saKey, saPub } = pki;
  if (saKey === undefined || saPub === undefined) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1', privateKeyEncoding: { type: 'sec1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    saKey = pair.privateKey;
    saPub = pair.publicKey;
  }
  await writeFile(paths.serviceAccountKeyPath, saKey, { mode: 0o600 });
  await writeFile(paths.serviceAccountPublicKeyPath, saPub);
  return paths;
}
