// Benchmark of capi-dcs-controller: a real API server (the lab management plane), the DCS
// simulator with zero task latency, and the controller bundled by esbuild and run as its own
// process. Creates N machines at once (bootstrap Secret + Machine + DCSMachine each, pools of up
// to 250 entries as the CRD allows) and reports: time until all are ready, peak controller RSS
// (VmHWM), Kubernetes API requests per machine (from the controller's metrics), DCS requests.
//
//   node --import tsx bench/controller.ts [--machines 1000] [--concurrency 32] [--delete] [--named-entries]
//
// --delete also times deleting them all; --named-entries gives pool entries a hostname and
// machineName (slower: see the flag). Env: BENCH_TIMELINE=1 prints progress and CPU per process
// every second; BENCH_LOG_LEVEL=debug and BENCH_CONTROLLER_LOG=file keep the controller's log.
// Other programs running on the same machine skew the figures: the report shows their CPU time.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { stringify } from 'yaml';
import { Informer } from '../src/controller/runtime/informer';
import { KubeClient } from '../src/controller/runtime/kubeClient';
import { jsonLogger } from '../src/controller/runtime/log';
import { sampleValue } from '../src/controller/runtime/metrics';
import type { DCSMachine } from '../src/shared/api/dcs.generated';
import { startManagementPlane } from '../src/lab/mgmtPlane';

const REPO = join(__dirname, '..');
const NS = 'bench';
const POOL_SIZE = 250;
const b64 = (s: string): string => Buffer.from(s).toString('base64');

const { values: flags } = parseArgs({
  options: {
    machines: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '32' },
    delete: { type: 'boolean', default: false },
    // Pool entries with hostname and machineName: the CRD's uniqueness rules on those fields
    // (CEL, quadratic in the entries) make every pool write cost ~1.5 s of API server CPU at 250 entries.
    'named-entries': { type: 'boolean', default: false },
  },
});
const MACHINES = Number(flags.machines);

function inventoryYaml(): string {
  return stringify({
    site: { id: 'SIM0001A', name: 'bench' },
    users: [{ name: 'bench', key: 'bench-Key-1', type: 'interconnect' }],
    auth: { tokenIdleSeconds: 1800, maxFailedLogins: 5, lockoutSeconds: 300 },
    tasks: { latencyMs: 0 },
    clusters: [{ name: 'cluster-a', drsEnabled: true, hosts: [1, 2, 3, 4].map((i) => ({ name: `CNA-0${i}`, ip: `127.0.10.${i}` })) }],
    datastores: [{ name: 'ds-big', capacityGB: 100_000_000, storageType: 'SAN' }],
    datastoreClusters: [],
    dvSwitches: [{ name: 'dvs-prod', portGroups: [{ name: 'pg-k8s', vlanId: 100 }] }],
    folders: [],
    templates: [{ name: 'alaudaos-bench', cluster: 'cluster-a', cpu: 4, memoryMB: 8192, guestTools: true, disks: [{ sizeGB: 80, datastore: 'ds-big' }], nics: [{ dvSwitch: 'dvs-prod', portGroup: 'pg-k8s' }] }],
  });
}

function startProcess(args: string[], env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return { child, output: () => out };
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs `count` tasks with at most `width` in flight. */
async function parallel(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < count; i = next++) await task(i);
  }));
}

/** CPU seconds (user + system) a process has used. */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat. */
function machineBusySeconds(): number {
  const cpu = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return (user + nice + system + irq + softirq + steal) / 100;
}

/** Per labelled series of a counter: how much it grew (series that did not grow are left out). */
function seriesDelta(before: string, after: string, name: string): Record<string, number> {
  const read = (text: string): Map<string, number> =>
    new Map(text.split('\n').filter((l) => l.startsWith(`${name}{`)).map((l) => [l.slice(name.length, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]));
  const was = read(before);
  return Object.fromEntries([...read(after)].map(([series, n]) => [series, n - (was.get(series) ?? 0)] as const).filter(([, n]) => n > 0));
}

function memoryOf(pid: number): { rssMB: number; hwmMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024 };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'capi-dcs-bench-'));
  const stops: (() => Promise<void> | void)[] = [];
  try {
    console.log(`[bench] ${MACHINES} DCSMachines, controller concurrency ${flags.concurrency}, ${flags['named-entries'] ? 'named' : 'unnamed'} pool entries`);
    const bundle = join(work, 'controller.js');
    await build({
      entryPoints: [join(REPO, 'src/controller/main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'warning',
      define: { 'import.meta.url': 'importMetaUrl' }, banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    });
    const plane = await startManagementPlane({ crds: true });
    stops.push(() => plane.stop());
    writeFileSync(join(work, 'inventory.yaml'), inventoryYaml());
    const sim = startProcess(['--import', 'tsx', 'src/simulator/main.ts', '--port', '0', '--inventory', join(work, 'inventory.yaml'), '--latency-ms', '0', '--log-level', 'warn']);
    stops.push(() => void process.kill(-(sim.child.pid ?? 0), 'SIGTERM'));
    const simUrl = await waitFor(() => /"url":"([^"]+)"/.exec(sim.output())?.[1], 'the simulator', 30_000);

    const api = await KubeClient.create({ kubeconfig: plane.kubeconfigPath, qps: 5000, burst: 5000 });
    stops.push(() => api.close());
    const post = (path: string, body: unknown): Promise<{ metadata: { uid: string } }> => api.request('POST', path, { body });
    const dcsPath = `/apis/infrastructure.cluster.x-k8s.io/v1beta1/namespaces/${NS}`;
    const capiPath = `/apis/cluster.x-k8s.io/v1beta2/namespaces/${NS}`;
    const labels = { 'cluster.x-k8s.io/cluster-name': 'bench' };
    await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const cluster = await post(`${capiPath}/clusters`, {
      apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'bench', namespace: NS },
      spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DCSCluster', name: 'bench' } },
    });
    await api.mergePatch(`${capiPath}/clusters/bench/status`, { status: { initialization: { infrastructureProvisioned: true } } });
    await post(`/api/v1/namespaces/${NS}/secrets`, {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bench-dcs', namespace: NS }, type: 'Opaque',
      data: { authUser: b64('bench'), authKey: b64('bench-Key-1'), endpoint: b64(simUrl), site: b64('SIM0001A') },
    });
    await post(`${dcsPath}/dcsclusters`, {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSCluster',
      metadata: { name: 'bench', namespace: NS, labels, ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', name: 'bench', uid: cluster.metadata.uid }] },
      spec: { controlPlaneLoadBalancer: { type: 'external', host: '127.1.0.1', port: 6443 }, credentialSecretRef: { name: 'bench-dcs' }, networkType: 'kube-ovn' },
    });
    const pools = Math.ceil(MACHINES / POOL_SIZE);
    for (let p = 0; p < pools; p++) {
      const entries = Array.from({ length: Math.min(POOL_SIZE, MACHINES - p * POOL_SIZE) }, (_, i) => {
        const n = p * POOL_SIZE + i;
        const ip = `127.2.${Math.floor(n / 250)}.${(n % 250) + 2}`;
        const node = `bench-node-${String(n).padStart(4, '0')}`;
        return flags['named-entries'] ? { ip, mask: '16', gateway: '127.2.0.1', hostname: node, machineName: node } : { ip, mask: '16', gateway: '127.2.0.1' };
      });
      await post(`${dcsPath}/dcsiphostnamepools`, { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSIpHostnamePool', metadata: { name: `bench-pool-${p}`, namespace: NS }, spec: { pool: entries } });
    }

    const controller = startProcess([
      '--enable-source-maps', bundle, '--kubeconfig', plane.controllerKubeconfigPath, '--namespace', NS,
      '--health-addr', '127.0.0.1:0', '--metrics-addr', '127.0.0.1:0', '--concurrency', flags.concurrency, '--log-level', process.env.BENCH_LOG_LEVEL ?? 'info',
    ]);
    const controllerPid = controller.child.pid ?? 0;
    stops.push(() => void process.kill(-controllerPid, 'SIGTERM'));
    const metricsAddr = await waitFor(() => /"msg":"serving metrics","address":"([^"]+)"/.exec(controller.output())?.[1], 'the controller', 30_000).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${controller.output()}`);
    });
    await waitFor(async () => ((await api.get<{ status?: { ready?: boolean } }>(`${dcsPath}/dcsclusters/bench`)).status?.ready ? true : undefined), 'DCSCluster ready', 30_000);

    const silent = jsonLogger(() => undefined, 'error');
    const watched = new Informer<DCSMachine>(api, { group: 'infrastructure.cluster.x-k8s.io', version: 'v1beta1', plural: 'dcsmachines', kind: 'DCSMachine' }, NS, silent);
    const readyAt = new Map<string, number>();
    const onChange = (m: DCSMachine): void => {
      if (m.status?.ready === true && !readyAt.has(m.metadata.name ?? '')) readyAt.set(m.metadata.name ?? '', Date.now());
    };
    watched.addHandlers({ onAdd: onChange, onUpdate: (_o, m) => onChange(m) });
    watched.start();
    stops.push(() => watched.stop());
    await watched.waitForSync();

    const before = await (await fetch(`http://${metricsAddr}/metrics`)).text();
    const processes = { controller: controllerPid, simulator: sim.child.pid ?? 0, kubeApiserver: plane.pids.kubeApiserver, etcd: plane.pids.etcd, bench: process.pid };
    const cpuBefore = Object.fromEntries(Object.entries(processes).map(([k, pid]) => [k, cpuSecondsOf(pid)]));
    const busyBefore = machineBusySeconds();
    const started = Date.now();
    const createdAt = new Map<string, number>();
    let peakRssMB = 0;
    const sampler = setInterval(() => (peakRssMB = Math.max(peakRssMB, memoryOf(controllerPid).rssMB)), 200);
    // BENCH_TIMELINE=1: progress and CPU use per process, every second.
    let lastCpu = cpuBefore;
    const timeline = process.env.BENCH_TIMELINE
      ? setInterval(() => {
          const now = Object.fromEntries(Object.entries(processes).map(([k, pid]) => [k, cpuSecondsOf(pid)]));
          const used = Object.entries(now).map(([k, v]) => `${k}=${Math.round((v - (lastCpu[k] ?? v)) * 100)}%`).join(' ');
          lastCpu = now;
          console.log(`[t+${((Date.now() - started) / 1000).toFixed(0)}s] created=${createdAt.size} ready=${readyAt.size} ${used}`);
        }, 1000)
      : undefined;
    await parallel(MACHINES, 48, async (i) => {
      const name = `bench-${String(i).padStart(4, '0')}`;
      await post(`/api/v1/namespaces/${NS}/secrets`, {
        apiVersion: 'v1', kind: 'Secret', metadata: { name: `${name}-bootstrap`, namespace: NS, labels }, type: 'cluster.x-k8s.io/secret',
        data: { value: b64(JSON.stringify({ ignition: { version: '3.4.0' }, providerId: 'PROVIDER_ID', nodeIp: 'NODE_IP' })), format: b64('ignition') },
      });
      const machine = await post(`${capiPath}/machines`, {
        apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Machine', metadata: { name, namespace: NS, labels },
        spec: { clusterName: 'bench', bootstrap: { dataSecretName: `${name}-bootstrap` }, infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DCSMachine', name } },
      });
      await post(`${dcsPath}/dcsmachines`, {
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSMachine',
        metadata: { name, namespace: NS, labels, ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Machine', name, uid: machine.metadata.uid, controller: true }] },
        spec: { vmTemplateName: 'alaudaos-bench', ipHostPoolRef: { name: `bench-pool-${Math.floor(i / POOL_SIZE)}` }, vmConfig: { dcsMachineCpuSpec: { quantity: 2 }, dcsMachineMemorySpec: { quantity: 4096 } } },
      });
      createdAt.set(name, Date.now());
    });
    const allCreated = Date.now();
    await waitFor(() => (readyAt.size >= MACHINES ? true : undefined), `${MACHINES} machines ready (${readyAt.size} so far)`, 600_000);
    const allReady = Date.now();
    clearInterval(sampler);
    clearInterval(timeline);
    const after = await (await fetch(`http://${metricsAddr}/metrics`)).text();
    const memory = memoryOf(controllerPid);
    const delta = (name: string, labels?: Record<string, string>): number => (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
    const latencies = [...readyAt.entries()].map(([n, t]) => t - (createdAt.get(n) ?? started)).sort((a, b) => a - b);
    const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
    const apiTotal = delta('capi_dcs_kube_api_requests_total');
    const apiSeries = seriesDelta(before, after, 'capi_dcs_kube_api_requests_total');
    console.log(JSON.stringify({
      machines: MACHINES,
      createSeconds: (allCreated - started) / 1000,
      allReadySeconds: (allReady - started) / 1000,
      readyLatencyMs: { p50: pct(50), p95: pct(95), max: pct(100) },
      controllerPeakRssMB: Math.round(Math.max(peakRssMB, memory.hwmMB)),
      controllerVmHWMMB: Math.round(memory.hwmMB),
      kubeApiRequests: apiTotal,
      kubeApiRequestsPerMachine: Number((apiTotal / MACHINES).toFixed(2)),
      kubeApiRequestsBySeries: apiSeries,
      dcsRequestsPerMachine: Number((delta('capi_dcs_dcs_api_requests_total') / MACHINES).toFixed(2)),
      reconciles: delta('capi_dcs_reconcile_total', { controller: 'dcsmachine', result: 'success' }) + delta('capi_dcs_reconcile_total', { controller: 'dcsmachine', result: 'requeue_after' }),
      reconcileErrors: delta('capi_dcs_reconcile_errors_total'),
      kubeApiMeanMs: Number(((delta('capi_dcs_kube_api_request_seconds_total') / Math.max(1, apiTotal - delta('capi_dcs_kube_api_requests_total', { verb: 'watch' }))) * 1000).toFixed(1)),
      dcsMeanMs: Number(((delta('capi_dcs_dcs_api_request_seconds_total') / Math.max(1, delta('capi_dcs_dcs_api_requests_total'))) * 1000).toFixed(1)),
      reconcileMeanMs: Number(((delta('capi_dcs_reconcile_duration_seconds_total', { controller: 'dcsmachine' }) / Math.max(1, delta('capi_dcs_reconcile_total'))) * 1000).toFixed(1)),
      cpuSeconds: Object.fromEntries(Object.entries(processes).map(([k, pid]) => [k, Number((cpuSecondsOf(pid) - (cpuBefore[k] ?? 0)).toFixed(1))])),
      // Other programs on this machine compete for the same cores and skew every figure above.
      otherProcessesCpuSeconds: Number(
        (machineBusySeconds() - busyBefore - Object.entries(processes).reduce((n, [k, pid]) => n + cpuSecondsOf(pid) - (cpuBefore[k] ?? 0), 0)).toFixed(1),
      ),
      cores: availableParallelism(),
      loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    }, null, 2));

    if (flags.delete) {
      const deleteStarted = Date.now();
      await parallel(MACHINES, 48, async (i) => {
        await api.request('DELETE', `${dcsPath}/dcsmachines/bench-${String(i).padStart(4, '0')}`);
      });
      await waitFor(() => (watched.size === 0 ? true : undefined), 'every DCSMachine deleted', 600_000);
      console.log(JSON.stringify({ allDeletedSeconds: (Date.now() - deleteStarted) / 1000, controllerVmHWMMB: Math.round(memoryOf(controllerPid).hwmMB) }));
    }
    if (process.env.BENCH_CONTROLLER_LOG) writeFileSync(process.env.BENCH_CONTROLLER_LOG, controller.output());
    const errors = controller.output().split('\n').filter((l) => l.includes('"level":"error"'));
    if (errors.length > 0) console.log(`[bench] controller errors (${errors.length}), first: ${errors[0] ?? ''}`);
  } finally {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch {
        // Best effort: the plane's stop() still runs.
      }
    }
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
