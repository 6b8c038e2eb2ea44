// Runs Cluster API's own managers (core, kubeadm bootstrap, kubeadm control plane) as local processes
// against a management plane: admin kubeconfig, leader election off, health and metrics on loopback,
// webhooks served on 127.0.0.1 with a certificate of the lab's own CA. The API server is pointed at
// them: CAPI's CRDs get a conversion webhook (and the contract labels upstream adds with kustomize),
// CAPI's admission webhook manifests are registered with URL client configs.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, parseAllDocuments } from 'yaml';
import { ensureCapiBinaries, type CapiProgram, type EnsuredCapiBinaries } from './capiBinaries';
import { capiModuleDir } from './capiModule';
import { makeServingCerts } from './certs';
import { readCrds, yamlFilesIn } from './crds';
import { createDataDir } from './dataDirs';
import { LabError, PortInUseError, StartupError } from './errors';
import { kubeHttpClient, serverSideApply, statusMessage, type KubeHttp } from './kubeHttp';
import { readKubeconfigAccess } from './kubeconfig';
import { LabRun } from './labRun';
import { freePort } from './ports';
import { logTail, startServer, type ServerProcess } from './processes';
import { capiToolsModuleDir } from './projectPaths';

export type CapiManagerName = Exclude<CapiProgram, 'clusterctl'>;

/** Each manager and the folder of the CAPI module with its CRDs and webhook manifests. */
const MANAGERS: readonly { readonly name: CapiManagerName; readonly folder: string }[] = [
  { name: 'capi-manager', folder: 'core' },
  { name: 'kubeadm-bootstrap-manager', folder: 'bootstrap/kubeadm' },
  { name: 'kubeadm-control-plane-manager', folder: 'controlplane/kubeadm' },
];

/** Ignition: the bootstrap format of DCS machines (alpha in CAPI, off by default). */
export const DEFAULT_FEATURE_GATES = 'KubeadmBootstrapFormatIgnition=true';

const READY_TIMEOUT_MS = 120_000;
const POLL_MS = 250;
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const ADMISSION_PATH = '/apis/admissionregistration.k8s.io/v1';
/** Names of the webhook configurations we register start with this (upstream's names collide across managers). */
const WEBHOOK_CONFIG_PREFIX = 'capi-dcs-lab-';

export interface CapiManagersOptions {
  /** Admin kubeconfig of the management plane (embedded certificates, as the lab writes them). */
  readonly kubeconfig: string;
  /** Folder for certificates and logs; default a fresh `${tmpdir}/capi-dcs-mgmt-*`. Removed by stop(). */
  readonly dataDir?: string;
  readonly featureGates?: string;
  /** More flags for every manager (for example `--sync-period=1m`). */
  readonly extraArgs?: readonly string[];
  readonly readyTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface RunningCapiManager {
  readonly name: CapiManagerName;
  readonly pid: number;
  readonly logPath: string;
  readonly webhookUrl: string;
  readonly healthUrl: string;
  readonly metricsUrl: string;
}

export interface CapiManagers {
  readonly managers: readonly RunningCapiManager[];
  readonly dataDir: string;
  readonly timings: {
    /** Time this call spent building the managers (0 when cached). */
    readonly buildMs: number;
    /** From the call (after any build) until every manager answered /readyz. */
    readonly readyMs: number;
  };
  /** Unregisters the webhooks (when the API server still answers), ends the managers by PID, removes the folder. */
  stop(): Promise<void>;
}

interface Ports {
  readonly webhook: number;
  readonly health: number;
  readonly diagnostics: number;
}

/** Free ports can be taken between picking and binding; start again with new ones this often. */
const PORT_RACE_ATTEMPTS = 3;

export async function startCapiManagers(options: CapiManagersOptions): Promise<CapiManagers> {
  const log = options.log ?? (() => undefined);
  const binaries = await ensureCapiBinaries({ only: MANAGERS.map((m) => m.name), log });
  const buildMs = binaries.built.reduce((sum, b) => sum + b.buildMs, 0);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, binaries.paths, buildMs, log);
    } catch (err) {
      if (!(err instanceof PortInUseError) || attempt >= PORT_RACE_ATTEMPTS) throw err;
      log(`[capi] ${err.message} Retrying with other free ports.`);
    }
  }
}

async function startOnce(
  options: CapiManagersOptions,
  binaries: EnsuredCapiBinaries['paths'],
  buildMs: number,
  log: (line: string) => void,
): Promise<CapiManagers> {
  const started = Date.now();
  const access = await readKubeconfigAccess(options.kubeconfig);
  const run = new LabRun(await createDataDir(options.dataDir, tmpdir(), log));
  const http = run.trackClient(kubeHttpClient(access.serverUrl, access.tls));
  let registered = false;
  const converted: string[] = [];
  const unregister = async (): Promise<void> => {
    if (!registered) return;
    // The API server may be gone already (it is stopped after us), so failures are fine here.
    await unregisterWebhooks(http, converted).catch(() => undefined);
  };
  try {
    const [moduleDir, certs, ports] = await Promise.all([
      capiModuleDir({ moduleDir: capiToolsModuleDir() }),
      makeServingCerts(run.dataDir, 'capi-dcs-lab-webhooks'),
      pickPorts(MANAGERS.length),
    ]);
    const caBundle = Buffer.from(await readFile(certs.caCertPath, 'utf8')).toString('base64');
    registered = true;
    for (const [i, manager] of MANAGERS.entries()) {
      const url = `https://127.0.0.1:${portsOf(ports, i).webhook}`;
      converted.push(...(await registerConversion(http, join(moduleDir, manager.folder), url, caBundle)));
      await registerAdmission(http, join(moduleDir, manager.folder), manager.name, url, caBundle);
    }
    const running: { manager: RunningCapiManager; proc: ServerProcess }[] = [];
    for (const [i, manager] of MANAGERS.entries()) {
      const p = portsOf(ports, i);
      const binary = binaries[manager.name];
      if (binary === undefined) throw new LabError(`${manager.name} was not built`);
      const args = [
        `--kubeconfig=${options.kubeconfig}`,
        '--leader-elect=false',
        `--webhook-port=${p.webhook}`,
        // makeServingCerts names the pair tls.crt/tls.key, the managers' default file names.
        `--webhook-cert-dir=${dirname(certs.serving.certPath)}`,
        `--health-addr=127.0.0.1:${p.health}`,
        `--diagnostics-address=127.0.0.1:${p.diagnostics}`,
        '--insecure-diagnostics',
        `--feature-gates=${options.featureGates ?? DEFAULT_FEATURE_GATES}`,
        ...(options.extraArgs ?? []),
      ];
      const proc = await run.track(await startServer(manager.name, binary, args, join(run.dataDir, `${manager.name}.log`)));
      running.push({
        proc,
        manager: {
          name: manager.name,
          pid: proc.pid,
          logPath: proc.logPath,
          webhookUrl: `https://127.0.0.1:${p.webhook}`,
          healthUrl: `http://127.0.0.1:${p.health}`,
          metricsUrl: `http://127.0.0.1:${p.diagnostics}/metrics`,
        },
      });
    }
    const timeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
    await Promise.all(running.map(({ proc, manager }) => waitReady(proc, manager.healthUrl, timeoutMs)));
    const readyMs = Date.now() - started;
    log(`[capi] ${MANAGERS.map((m) => m.name).join(', ')} ready after ${(readyMs / 1000).toFixed(1)} s`);
    return {
      managers: running.map((r) => r.manager),
      dataDir: run.dataDir,
      timings: { buildMs, readyMs },
      stop: async () => {
        await unregister();
        await run.stop();
      },
    };
  } catch (err) {
    await unregister();
    await run.stop();
    throw err;
  }
}

/** 3 distinct free ports per manager (the kernel may hand a released port out again, so dedupe). */
async function pickPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count * 3) ports.add(await freePort());
  return [...ports];
}

function portsOf(ports: readonly number[], index: number): Ports {
  const [webhook, health, diagnostics] = ports.slice(index * 3, index * 3 + 3);
  if (webhook === undefined || health === undefined || diagnostics === undefined) throw new Error('not enough ports');
  return { webhook, health, diagnostics };
}

/**
 * Points every multi-version CRD of a manager at its /convert endpoint, and adds the contract labels
 * that upstream's kustomization adds (core reads them to find a referenced template's API version).
 */
async function registerConversion(http: KubeHttp, folder: string, webhookUrl: string, caBundle: string): Promise<string[]> {
  const labels = await kustomizeLabels(join(folder, 'config', 'crd', 'kustomization.yaml'));
  const crds = await readCrds(await yamlFilesIn(join(folder, 'config', 'crd', 'bases')));
  if (crds.length === 0) throw new LabError(`no CRDs in ${folder}/config/crd/bases`);
  const converted: string[] = [];
  for (const crd of crds) {
    const multiVersion = crd.spec.versions.filter((v) => v.served).length > 1;
    const patch = {
      metadata: { labels },
      spec: multiVersion
        ? { conversion: { strategy: 'Webhook', webhook: { clientConfig: { url: `${webhookUrl}/convert`, caBundle }, conversionReviewVersions: ['v1', 'v1beta1'] } } }
        : {},
    };
    const res = await http.request('PATCH', `${CRD_PATH}/${crd.metadata.name}`, { contentType: 'application/merge-patch+json', data: JSON.stringify(patch) });
    if (res.status !== 200) throw new LabError(`patching CRD ${crd.metadata.name} failed: HTTP ${res.status} ${statusMessage(res.body)}`);
    if (multiVersion) converted.push(crd.metadata.name);
  }
  return converted;
}

/** `labels[].pairs` of a kustomization.yaml (none when the file has none). */
async function kustomizeLabels(path: string): Promise<Record<string, string>> {
  const doc = parse(await readFile(path, 'utf8')) as { labels?: { pairs?: Record<string, string> }[] } | null;
  return Object.assign({}, ...(doc?.labels ?? []).map((l) => l.pairs ?? {})) as Record<string, string>;
}

interface WebhookConfiguration {
  readonly apiVersion: string;
  readonly kind: 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration';
  readonly metadata: { name: string };
  readonly webhooks: { clientConfig: { service?: { path?: string }; url?: string; caBundle?: string } }[];
}

/** CAPI's generated webhook manifests, renamed per manager and pointed at the manager's URL. */
async function registerAdmission(http: KubeHttp, folder: string, manager: CapiManagerName, webhookUrl: string, caBundle: string): Promise<void> {
  const file = join(folder, 'config', 'webhook', 'manifests.yaml');
  for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
    const config = doc.toJS() as WebhookConfiguration | null;
    if (config?.kind !== 'MutatingWebhookConfiguration' && config?.kind !== 'ValidatingWebhookConfiguration') continue;
    const name = `${WEBHOOK_CONFIG_PREFIX}${manager}-${config.kind === 'MutatingWebhookConfiguration' ? 'mutating' : 'validating'}`;
    const webhooks = config.webhooks.map((w) => {
      const path = w.clientConfig.service?.path;
      if (path === undefined) throw new LabError(`${file}: a webhook without clientConfig.service.path`);
      return { ...w, clientConfig: { url: `${webhookUrl}${path}`, caBundle } };
    });
    const plural = config.kind === 'MutatingWebhookConfiguration' ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations';
    await serverSideApply(http, `${ADMISSION_PATH}/${plural}/${name}`, { ...config, metadata: { name }, webhooks });
  }
}

/** Deletes the webhook configurations and conversion webhooks we registered, so the API server does not call stopped managers. */
async function unregisterWebhooks(http: KubeHttp, convertedCrds: readonly string[]): Promise<void> {
  const noConversion = JSON.stringify({ spec: { conversion: { strategy: 'None', webhook: null } } });
  for (const name of convertedCrds) {
    await http.request('PATCH', `${CRD_PATH}/${name}`, { contentType: 'application/merge-patch+json', data: noConversion });
  }
  for (const manager of MANAGERS) {
    await http.request('DELETE', `${ADMISSION_PATH}/mutatingwebhookconfigurations/${WEBHOOK_CONFIG_PREFIX}${manager.name}-mutating`);
    await http.request('DELETE', `${ADMISSION_PATH}/validatingwebhookconfigurations/${WEBHOOK_CONFIG_PREFIX}${manager.name}-validating`);
  }
}

/** Polls the manager's /readyz (it includes the webhook server's "started" check). */
async function waitReady(proc: ServerProcess, healthUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.hasExited()) {
      const tail = await logTail(proc.logPath, 40);
      const clash = /127\.0\.0\.1:(\d+)[^\n]*address already in use/.exec(tail);
      if (clash) throw new PortInUseError(Number(clash[1]), proc.name);
      throw new StartupError(`${proc.name} exited with code ${String(await proc.exited)} while starting.`, proc.logPath, tail);
    }
    const ok = await fetch(`${healthUrl}/readyz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new StartupError(`${proc.name} did not become ready within ${timeoutMs / 1000} s.`, proc.logPath, await logTail(proc.logPath, 40));
    await sleep(POLL_MS);
  }
}
