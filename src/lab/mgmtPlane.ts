// A real local management plane: etcd and kube-apiserver built from the pinned releases, on 127.0.0.1,
// with its own PKI, an admin and a least-privilege controller kubeconfig, and the CAPI and DCS CRDs.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries, type BinaryPaths } from './binaries';
import { capiCrdFiles, capiModuleDir } from './capiModule';
import { CONTROLLER_USER, ADMIN_USER, makeLabCerts, readPair, type LabCerts } from './certs';
import { grantControllerRole } from './controllerRbac';
import { installCrds, readCrds, yamlFilesIn } from './crds';
import { cleanStaleDataDirs, createDataDir } from './dataDirs';
import { LabError, PortInUseError } from './errors';
import { kubeHttpClient, type KubeHttp } from './kubeHttp';
import { writeKubeconfig } from './kubeconfig';
import { LabRun } from './labRun';
import { choosePort, freePort } from './ports';
import { controllerRolePath, dcsCrdDir } from './projectPaths';
import { startEtcd, startKubeApiserver, waitApiServerReady, waitEtcdHealthy, type LabPorts } from './servers';

export interface ManagementPlaneOptions {
  /** Install the CAPI CRDs (core, kubeadm bootstrap and control plane) and every CRD in schemas/crds/. Default true. */
  readonly crds?: boolean;
  /** More folders whose *.yaml CRDs are installed with the others (tests use it for throwaway CRDs). */
  readonly extraCrdDirs?: readonly string[];
  /** Data folder; default a fresh `${tmpdir}/capi-dcs-mgmt-*`. Removed by stop(). */
  readonly dataDir?: string;
  readonly log?: (line: string) => void;
  /** Fixed ports; each one left out is picked free. */
  readonly apiServerPort?: number;
  readonly etcdClientPort?: number;
  readonly etcdPeerPort?: number;
}

export interface ManagementPlane {
  /** Admin (system:masters). */
  readonly kubeconfigPath: string;
  /** The DCS controller's user, bound to the ClusterRole in config/rbac/controller-role.yaml. */
  readonly controllerKubeconfigPath: string;
  readonly serverUrl: string;
  readonly dataDir: string;
  readonly pids: { readonly kubeApiserver: number; readonly etcd: number };
  readonly timings: {
    /** Time spent building binaries (0 when cached). */
    readonly buildMs: number;
    /** From the call to /readyz ok, and to every CRD Established (build time not included). */
    readonly readyMs: number;
    readonly crdsEstablishedMs: number;
  };
  /** Ends exactly the processes this plane started (kube-apiserver, then etcd) and removes the data folder. */
  stop(): Promise<void>;
}

const ETCD_READY_TIMEOUT_MS = 30_000;
const APISERVER_READY_TIMEOUT_MS = 90_000;
const CRDS_ESTABLISHED_TIMEOUT_MS = 60_000;
/** Free ports can be taken between picking and binding; start again with new ones this often. */
const PORT_RACE_ATTEMPTS = 3;

export async function startManagementPlane(options: ManagementPlaneOptions = {}): Promise<ManagementPlane> {
  const log = options.log ?? (() => undefined);
  const called = Date.now();
  await cleanStaleDataDirs(tmpdir(), log);
  const binaries = await ensureBinaries({ log });
  const origin = called + binaries.buildMs;
  const requestedPorts: (number | undefined)[] = [options.apiServerPort, options.etcdClientPort, options.etcdPeerPort];
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, binaries, log, origin, binaries.buildMs);
    } catch (err) {
      // Only a port we picked ourselves can be picked again; a port the caller asked for stays taken.
      if (!(err instanceof PortInUseError) || requestedPorts.includes(err.port) || attempt >= PORT_RACE_ATTEMPTS) throw err;
      log(`[mgmt-plane] ${err.message} Retrying with other free ports.`);
    }
  }
}

async function startOnce(
  options: ManagementPlaneOptions,
  binaries: BinaryPaths,
  log: (line: string) => void,
  started: number,
  buildMs: number,
): Promise<ManagementPlane> {
  const ports = await choosePorts(options);
  const run = new LabRun(await createDataDir(options.dataDir, tmpdir(), log));
  const { dataDir } = run;
  const seconds = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  try {
    // Resolving the CAPI module runs `go`; do it while the servers start.
    const capiDir = options.crds === false ? undefined : capiModuleDir();
    capiDir?.catch(() => undefined); // awaited below; avoids an unhandled rejection if startup fails first
    const certs = await makeLabCerts(dataDir);
    const etcd = await run.track(await startEtcd(binaries.etcd, dataDir, ports));
    await waitEtcdHealthy(etcd, ports, ETCD_READY_TIMEOUT_MS);
    const apiserver = await run.track(await startKubeApiserver(binaries.kubeApiserver, dataDir, certs, ports));

    const serverUrl = `https://127.0.0.1:${ports.apiServer}`;
    const caPem = await readFile(certs.caCertPath, 'utf8');
    const admin = await readPair(certs.admin);
    const http = run.trackClient(kubeHttpClient(serverUrl, { ca: caPem, cert: admin.cert, key: admin.key }));
    await waitApiServerReady(apiserver, ports, http, APISERVER_READY_TIMEOUT_MS);
    const readyMs = Date.now() - started;
    log(`[mgmt-plane] kube-apiserver ready at ${serverUrl} after ${seconds()}`);

    const kubeconfigs = await writeKubeconfigs(dataDir, serverUrl, caPem, certs);
    await grantControllerRole(http, controllerRolePath(), CONTROLLER_USER.commonName);
    if (capiDir) {
      const count = await installLabCrds(http, await capiDir, options.extraCrdDirs ?? []);
      log(`[mgmt-plane] ${count} CRDs Established after ${seconds()}`);
    }
    return {
      ...kubeconfigs,
      serverUrl,
      dataDir,
      pids: { kubeApiserver: apiserver.pid, etcd: etcd.pid },
      timings: { buildMs, readyMs, crdsEstablishedMs: Date.now() - started },
      stop: () => run.stop(),
    };
  } catch (err) {
    await run.stop();
    throw err;
  }
}

/** CAPI's CRDs from the module cache, the DCS CRDs from schemas/crds/, then any extra folders. */
async function installLabCrds(http: KubeHttp, capiDir: string, extraDirs: readonly string[]): Promise<number> {
  const files = await capiCrdFiles(capiDir);
  for (const dir of [dcsCrdDir(), ...extraDirs]) files.push(...(await yamlFilesIn(dir)));
  const crds = await readCrds(files);
  await installCrds(http, crds, CRDS_ESTABLISHED_TIMEOUT_MS);
  return crds.length;
}

async function choosePorts(options: ManagementPlaneOptions): Promise<LabPorts> {
  const requested = [options.apiServerPort, options.etcdClientPort, options.etcdPeerPort].filter((p) => p !== undefined);
  if (new Set(requested).size !== requested.length) throw new LabError(`The lab needs three different ports; got ${requested.join(', ')}.`);
  const taken = new Set(requested);
  const pick = async (port: number | undefined, purpose: string): Promise<number> => {
    if (port !== undefined) return choosePort(port, purpose);
    let free = await freePort();
    while (taken.has(free)) free = await freePort(); // the kernel may hand a released port out again
    taken.add(free);
    return free;
  };
  return {
    apiServer: await pick(options.apiServerPort, 'kube-apiserver'),
    etcdClient: await pick(options.etcdClientPort, 'etcd client'),
    etcdPeer: await pick(options.etcdPeerPort, 'etcd peer'),
  };
}

async function writeKubeconfigs(dataDir: string, serverUrl: string, caPem: string, certs: LabCerts): Promise<{ kubeconfigPath: string; controllerKubeconfigPath: string }> {
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  const controllerKubeconfigPath = join(dataDir, 'controller.kubeconfig');
  const admin = await readPair(certs.admin);
  const controller = await readPair(certs.controller);
  await writeKubeconfig(kubeconfigPath, serverUrl, caPem, { userName: ADMIN_USER.commonName, certPem: admin.cert, keyPem: admin.key });
  await writeKubeconfig(controllerKubeconfigPath, serverUrl, caPem, { userName: CONTROLLER_USER.commonName, certPem: controller.cert, keyPem: controller.key });
  return { kubeconfigPath, controllerKubeconfigPath };
}
