// Explorer benchmark against the real local API server: 200 clusters and 5,000 Machines.
//   node --import tsx bench/explorer.ts [--clusters 200] [--machines-per-cluster 25] [--updates 20]
// Measures: informers start -> fully loaded tree model; watch event -> updated model (single changes and a
// burst, coalesced); memory of informers + model. Creating the objects is not measured.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { snapshot } from '../src/explorer/model';
import { ModelCache } from '../src/explorer/modelCache';
import { ExplorerSession } from '../src/explorer/session';
import { childrenOf, type Element } from '../src/explorer/tree';
import { loadKubeConfig } from '../src/kube/kubeconfig';
import { startManagementPlane } from '../src/lab/mgmtPlane';
import { applyAll, applyStatus, ensureNamespace, loadKubeconfig, waitUntil } from '../test/integration/explorerLab';
import { clusterScenario, cond, type Obj } from '../test/unit/explorerFixtures';

const CONTEXT = 'capi-dcs-lab';
const NS = 'bench';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
function memory(): { rss: number; heap: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

function machineSet(ns: string, clusterName: string, md: string, replicas: number): Obj {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachineSet',
    metadata: { name: `${md}-abc12`, namespace: ns, labels: { 'cluster.x-k8s.io/cluster-name': clusterName, 'cluster.x-k8s.io/deployment-name': md }, annotations: { 'machinedeployment.clusters.x-k8s.io/revision': '2' } },
    spec: { clusterName, replicas, selector: { matchLabels: { pool: md } }, template: { metadata: { labels: { pool: md } }, spec: { clusterName, bootstrap: { dataSecretName: 'x' }, infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DCSMachineTemplate', name: md } } } },
  };
}

interface MeasureArgs {
  readonly kubeconfig: string;
  readonly clusters: number;
  readonly perCluster: number;
  readonly updates: number;
}

/** Parent: starts the plane, creates the objects, then measures in a fresh Node process (like an extension host). */
async function main(): Promise<void> {
  const clusters = arg('clusters', 200);
  const perCluster = arg('machines-per-cluster', 25);
  const updates = arg('updates', 20);
  const cp = 3;
  console.log(`[bench] ${clusters} clusters x ${perCluster} Machines = ${clusters * perCluster} Machines`);
  const plane = await startManagementPlane({ crds: true });
  try {
    const admin = loadKubeconfig(plane.kubeconfigPath);
    await ensureNamespace(admin, NS);
    const objects: Obj[] = [];
    for (let i = 0; i < clusters; i++) {
      const name = `c${String(i).padStart(3, '0')}`;
      objects.push(...clusterScenario(NS, name, { cp, workers: perCluster - cp, mdUpToDate: i % 10 === 0 ? 5 : perCluster - cp, ipBase: `127.${1 + Math.floor(i / 250)}.${i % 250}` }).objects);
      objects.push(machineSet(NS, name, `${name}-md-0`, perCluster - cp));
    }
    const created = Date.now();
    await applyAll(admin, objects, 48);
    console.log(`[bench] created ${objects.length} objects (+ status) in ${((Date.now() - created) / 1000).toFixed(1)} s (not part of the figures)`);
    const measure = JSON.stringify({ kubeconfig: plane.kubeconfigPath, clusters, perCluster, updates } satisfies MeasureArgs);
    // The measuring process runs this file bundled the way the extension is (esbuild, minified, no tsx
    // loader), so its memory is what the explorer costs in a bundled program.
    const bundle = join(__dirname, '..', 'out', 'bench', 'explorer.js');
    await build({ entryPoints: [__filename], outfile: bundle, bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, external: ['vscode', 'esbuild'], logLevel: 'warning' });
    const child = spawn(process.execPath, [bundle, '--measure', measure], { stdio: 'inherit' });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the measuring process exited with ${String(code)}`);
  } finally {
    await plane.stop();
  }
}

/** Child: only the explorer's informers and model live in this process. */
async function measure(args: MeasureArgs): Promise<void> {
  const { clusters, perCluster, updates } = args;
  const admin = loadKubeconfig(args.kubeconfig);
  // The Machines to change are rebuilt here from the same builders (only a few clusters' worth: the
  // process should hold little besides the explorer before it starts).
  const machinesOf = (i: number): Obj[] =>
    clusterScenario(NS, `c${String(i).padStart(3, '0')}`, { cp: 3, workers: perCluster - 3, ipBase: `127.${1 + Math.floor(i / 250)}.${i % 250}` }).objects.filter((o) => o.kind === 'Machine');
  const targets = Array.from({ length: updates }, (_, i) => machinesOf((i * 37) % clusters)[(i * 7) % perCluster]);
  const burst = Array.from({ length: Math.ceil(200 / perCluster) }, (_, i) => machinesOf(clusters - 1 - i)).flat().slice(0, 200);
  const before = memory();
  const started = Date.now();
  const session = new ExplorerSession({ loadKubeConfig: () => loadKubeConfig(args.kubeconfig), shownContexts: () => [] });
  let builds = 0;
  session.onDidChange(() => builds++);
  session.connect(CONTEXT);
  const machinesLoaded = (): boolean => session.view(CONTEXT)?.state === 'ready' && session.view(CONTEXT)?.model?.counts.Machine === clusters * perCluster
    && session.view(CONTEXT)?.model?.counts.DCSIpHostnamePool === clusters;
  await waitUntil('the fully loaded model', machinesLoaded, 120_000, 5);
  const loadMs = Date.now() - started;
  const loadBuilds = builds;
  const walkStarted = performance.now();
  let elements = 0;
  const walk = (e: Element): void => {
    elements++;
    for (const child of childrenOf(session, e)) walk(child);
  };
  walk({ type: 'context', context: CONTEXT });
  const walkMs = performance.now() - walkStarted;
  const counts: Readonly<Record<string, number>> = session.view(CONTEXT)?.model?.counts ?? {};
  const informerObjects = session.objects(CONTEXT);
  const timeSnapshots = (cache?: ModelCache): number[] => {
    const times: number[] = [];
    for (let i = 0; i < 10 && informerObjects; i++) {
      const t = performance.now();
      snapshot(informerObjects, {}, cache);
      times.push(performance.now() - t);
    }
    return times;
  };
  const coldSnapshots = timeSnapshots();
  const warmCache = new ModelCache();
  timeSnapshots(warmCache);
  const warmSnapshots = timeSnapshots(warmCache);
  const loaded = memory();

  // Single changes: a Machine becomes unavailable; time from the request to the model showing it. Half of
  // them follow a quiet spell (the throttle passes the event on at once), half come back to back (each waits
  // for the rest of the 100 ms window that the previous change opened).
  const quiet: number[] = [];
  const backToBack: number[] = [];
  const roundTrips: number[] = [];
  const machineIn = (name: string, clusterName: string): string | undefined => {
    const c = session.view(CONTEXT)?.model?.clusters.find((x) => x.name === clusterName);
    return [...(c?.controlPlane?.machines ?? []), ...(c?.deployments.flatMap((d) => d.machines) ?? [])].find((x) => x.name === name)?.phase;
  };
  for (let i = 0; i < updates; i++) {
    const m = targets[i];
    if (!m?.status) continue;
    const isQuiet = i % 2 === 0;
    if (isQuiet) await sleep(250);
    const status = { ...m.status, phase: 'Provisioning', conditions: [cond('Available', 'False', 'Bench', `update ${i}`), cond('UpToDate', 'True')] };
    const sent = performance.now();
    const write = applyStatus(admin, m, status).then(() => roundTrips.push(performance.now() - sent));
    await waitUntil(`update ${i}`, () => machineIn(m.metadata.name, m.metadata.labels['cluster.x-k8s.io/cluster-name'] ?? '') === 'Provisioning', 10_000, 1);
    (isQuiet ? quiet : backToBack).push(performance.now() - sent);
    await write;
  }
  const latencies = [...quiet, ...backToBack];

  // A burst: 200 Machines change at once; count model rebuilds (coalescing) and time to the last one.
  const buildsBefore = builds;
  const burstStarted = performance.now();
  await Promise.all(burst.map((m) => applyStatus(admin, m, { ...m.status, phase: 'Deleting' })));
  const writesDone = performance.now() - burstStarted;
  await waitUntil('the burst', () => burst.every((m) => machineIn(m.metadata.name, m.metadata.labels['cluster.x-k8s.io/cluster-name'] ?? '') === 'Deleting'), 30_000, 5);
  const burstMs = performance.now() - burstStarted;
  const burstBuilds = builds - buildsBefore;
  const after = memory();

  console.log('');
  console.log('=== explorer benchmark ===');
  console.log(`objects watched:           ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`fully loaded tree model:   ${loadMs} ms from InformerSet start, ${loadBuilds} model builds on the way (goal < 3000 ms)`);
  console.log(`snapshot() of everything:  cold median ${percentile(coldSnapshots, 50).toFixed(1)} ms; with the per-connection cache median ${percentile(warmSnapshots, 50).toFixed(1)} ms`);
  console.log(`walk of the whole tree:    ${elements} elements in ${walkMs.toFixed(1)} ms (every node expanded)`);
  console.log(`event -> updated model:    all ${latencies.length}: median ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms (goal < 200 ms; includes the write)`);
  console.log(`  after a quiet spell:     median ${percentile(quiet, 50).toFixed(0)} ms, max ${Math.max(...quiet).toFixed(0)} ms`);
  console.log(`  back to back:            median ${percentile(backToBack, 50).toFixed(0)} ms, max ${Math.max(...backToBack).toFixed(0)} ms (throttled to one model rebuild per 100 ms)`);
  console.log(`  of which the write:      median ${percentile(roundTrips, 50).toFixed(0)} ms`);
  console.log(`burst of ${burst.length} changes:      writes done after ${writesDone.toFixed(0)} ms, all in the model after ${burstMs.toFixed(0)} ms, ${burstBuilds} model rebuilds`);
  console.log(`memory (after GC):         before start heap ${mb(before.heap)}, RSS ${mb(before.rss)}; loaded heap ${mb(loaded.heap)}, RSS ${mb(loaded.rss)}; after the updates heap ${mb(after.heap)}, RSS ${mb(after.rss)} (goal < 200 MB)`);
  session.dispose();
}

const measureAt = process.argv.indexOf('--measure');
(measureAt >= 0 ? measure(JSON.parse(process.argv[measureAt + 1] ?? '{}') as MeasureArgs) : main()).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
