// The main job in one command (scripts/demo.sh runs it after building): a local management plane, the DCS
// simulator, the example cluster applied, the DCS controller, and code-server with the extension, already
// connected. Ctrl-C stops everything it started, by PID; a run after a crash cleans up what it left.
// With --kubeconfig it installs the DCS CRDs and the controller's ClusterRole into that cluster and stops
// before changing anything when the cluster lacks Cluster API (the example's Cluster, KubeadmControlPlane
// and MachineDeployment need it, and the explorer shows clusters by their Cluster objects).
//   node out/bin/demo.js [--kubeconfig FILE [--context NAME]] [--no-code-server] [--port N] [--capi]
// --capi also runs Cluster API's own managers (built once per machine) against the local management plane,
// so the example cluster gets real Machines and the DCS controller provisions their VMs, and the workload
// emulator does kubeadm's part on the booted VMs (a workload API at the endpoint, Nodes), so Machines
// reach Running; KCP stays at its first machine (its etcd checks need a kubelet, see workloadEmulator.ts).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { KubernetesObject } from '@kubernetes/client-node';
import { dcsKinds, installDcs, unservedKinds } from '../kube/dcsInstall';
import { loadKubeConfig } from '../shared/kubeconfig';
import { startCodeServer } from './codeServer';
import { startCapiManagers } from './capiManagers';
import { applyObjects, EXAMPLE_FILE, exampleForSimulator, kubeadmFilesSecret, manifestObjects, SIMULATOR_USER } from './exampleCluster';
import { cleanStaleDataDirs } from './dataDirs';
import { startManagementPlane } from './mgmtPlane';
import { isAlive, processExecutable, stopStrayProcess } from './processes';
import { pinnedVersions, projectRoot } from './projectPaths';
import { startWorkloadEmulator } from './workloadEmulator';

const PREFIX = 'capi-dcs-demo-';
const RECORD = 'demo.json';
const FIELD_MANAGER = 'capi-dcs-demo';

interface Args {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly codeServer: boolean;
  readonly port: number;
  readonly capi: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: { kubeconfig?: string; context?: string; codeServer: boolean; port: number; capi: boolean } = { codeServer: true, port: 8080, capi: false };
  for (let i = 0; i < argv.length; i++) {
    const next = () => argv[++i] ?? '';
    switch (argv[i]) {
      case '--kubeconfig': args.kubeconfig = next(); break;
      case '--context': args.context = next(); break;
      case '--no-code-server': args.codeServer = false; break;
      case '--port': args.port = Number(next()); break;
      case '--capi': args.capi = true; break;
      default: throw new Error(`unknown argument ${argv[i] ?? ''}: demo [--kubeconfig FILE [--context NAME]] [--no-code-server] [--port N] [--capi]`);
    }
  }
  if (args.capi && args.kubeconfig) throw new Error('--capi runs the Cluster API managers against the local management plane; drop --kubeconfig');
  return args;
}

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Ends what an earlier demo left behind when it died without its Ctrl-C handler (its plane too). */
async function cleanStaleDemos(): Promise<void> {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(PREFIX))) {
    const dir = join(tmpdir(), name);
    let record: { pid: number; children: number[] };
    try {
      record = JSON.parse(readFileSync(join(dir, RECORD), 'utf8')) as typeof record;
    } catch {
      continue; // another demo is just starting, or not ours
    }
    if (isAlive(record.pid)) continue;
    const ended: number[] = [];
    for (const child of record.children) {
      if (isAlive(child) && processExecutable(child) === process.execPath) {
        await stopStrayProcess(child, 5000);
        ended.push(child);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    print(`[demo] cleaned up after an earlier run that crashed (${dir}; ended ${ended.length > 0 ? `pids ${ended.join(', ')}` : 'no process'})`);
  }
  // The local management plane of a crashed demo records its own servers; a --kubeconfig run would not start a plane that cleans them.
  await cleanStaleDataDirs(tmpdir(), print);
}

/**
 * Prepares an existing management cluster: stops before changing anything when it lacks Cluster API's kinds
 * (clusterctl init installs them), then installs the DCS CRDs and the controller's ClusterRole.
 */
async function prepareExistingCluster(kubeconfig: string, context: string | undefined, root: string, objects: readonly KubernetesObject[]): Promise<void> {
  const kc = loadKubeConfig(kubeconfig);
  if (!kc) throw new Error(`no kubeconfig at ${kubeconfig}`);
  if (context) {
    if (!kc.getContextObject(context)) throw new Error(`${kubeconfig} has no context ${context} (it has ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    kc.setCurrentContext(context);
  }
  const where = `context ${kc.getCurrentContext()}`;
  const dcs = dcsKinds(root);
  const missing = await unservedKinds(kc, objects.filter((o) => !dcs.has(o.kind ?? '')));
  if (missing.length > 0) {
    throw new Error(
      `${where} does not serve the Cluster API kinds the example needs: ${missing.join(', ')}. ` +
        `Run "clusterctl init --bootstrap kubeadm --control-plane kubeadm" against it (Cluster API ${pinnedVersions.clusterApi} or a release that serves these versions), then start the demo again. Nothing was changed in the cluster.`,
    );
  }
  await installDcs(kc, root, FIELD_MANAGER);
  print(`[demo] installed the DCS CRDs (Established) and the controller's ClusterRole into ${where}`);
}

/** The sample workspace: the example manifests, a clusterctl template, and settings that point the explorer at the cluster. */
function makeWorkspace(root: string, dir: string, settings: Record<string, unknown>): string {
  const workspace = join(dir, 'workspace');
  cpSync(join(root, 'demo', 'workspace'), workspace, { recursive: true });
  cpSync(join(root, EXAMPLE_FILE), join(workspace, 'dcs-cluster.yaml'));
  cpSync(join(root, 'schemas', 'examples', 'cluster-template.yaml'), join(workspace, 'cluster-template.yaml'));
  mkdirSync(join(workspace, '.vscode'));
  writeFileSync(join(workspace, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return workspace;
}

/** "ready in …" from the command's start (scripts/demo.sh exports it), cold when anything was built or installed. */
function readyLine(started: number, built: readonly string[], extra = ''): string {
  const since = process.env.CAPI_DCS_DEMO_STARTED ? 'since the command started' : 'since the demo program started';
  const how = built.length > 0 ? `cold: built/installed ${built.join(', ')}` : 'warm';
  return `[demo] ready in ${((Date.now() - started) / 1000).toFixed(1)} s ${since} (${how})${extra}`;
}

/** A bundled program of ours (simulator, controller) in its own process group; resolves its first stdout line. */
function startProgram(script: string, args: string[], logPath: string): { pid: number; firstLine: Promise<string> } {
  const child = spawn(process.execPath, [script, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = createInterface({ input: child.stdout });
  const log: string[] = [];
  child.stderr.on('data', (b: Buffer) => {
    log.push(b.toString());
    writeFileSync(logPath, log.join(''));
  });
  const firstLine = new Promise<string>((resolve, reject) => {
    out.once('line', resolve);
    child.once('exit', (code) => {
      reject(new Error(`${script} exited with ${String(code)}: ${log.join('').slice(-2000)}`));
    });
  });
  return { pid: child.pid ?? 0, firstLine };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = projectRoot();
  const started = Number(process.env.CAPI_DCS_DEMO_STARTED) || Date.now();
  // What scripts/demo.sh built or installed before starting this program (comma-separated).
  const built = (process.env.CAPI_DCS_DEMO_BUILT ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  await cleanStaleDemos();
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  const children: number[] = [];
  /** Everything started, by name and PID, for the "processes" line. */
  const processes: { name: string; pid: number }[] = [];
  const record = () => {
    writeFileSync(join(dir, RECORD), JSON.stringify({ pid: process.pid, children }));
  };
  record();
  /** A program of ours: recorded for the next run's crash clean-up, and named in the "processes" line. */
  const own = (name: string, pid: number) => {
    children.push(pid);
    processes.push({ name, pid });
    record();
  };
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    print('\n[demo] stopping');
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => { print(`[demo] ${String(e)}`); });
    rmSync(dir, { recursive: true, force: true });
    print('[demo] stopped: no process, port or folder of the demo is left');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    let kubeconfig = args.kubeconfig;
    let controllerKubeconfig = args.kubeconfig;
    const objectsFor = (simUrl: string) => manifestObjects(args.capi ? `${exampleForSimulator(simUrl)}\n---\n${kubeadmFilesSecret('cpaas-system')}` : exampleForSimulator(simUrl));
    if (!kubeconfig) {
      print('[demo] starting the local management plane (kube-apiserver + etcd, CAPI and DCS CRDs)');
      const plane = await startManagementPlane({ log: print });
      stops.push(() => plane.stop());
      processes.push({ name: 'etcd', pid: plane.pids.etcd }, { name: 'kube-apiserver', pid: plane.pids.kubeApiserver });
      kubeconfig = plane.kubeconfigPath;
      controllerKubeconfig = plane.controllerKubeconfigPath;
      if (plane.timings.buildMs > 0) built.push('kube-apiserver and etcd');
      print(`[demo] management plane ready in ${(plane.timings.crdsEstablishedMs / 1000).toFixed(1)} s${plane.timings.buildMs > 0 ? ` (built in ${(plane.timings.buildMs / 1000).toFixed(0)} s first)` : ''}`);
      print(`[demo] management plane data folder ${plane.dataDir}`);
      if (args.capi) {
        print('[demo] starting the Cluster API managers (core, kubeadm bootstrap, kubeadm control plane)');
        const managers = await startCapiManagers({ kubeconfig: plane.kubeconfigPath, log: print });
        stops.push(() => managers.stop());
        for (const m of managers.managers) processes.push({ name: m.name, pid: m.pid });
        if (managers.timings.buildMs > 0) built.push('the Cluster API managers');
      }
    } else {
      await prepareExistingCluster(kubeconfig, args.context, root, objectsFor('https://127.0.0.1:1'));
    }

    const sim = startProgram(join(root, 'dist', 'simulator.js'), ['--port', '0', '--state', join(dir, 'dcs-simulator.json')], join(dir, 'simulator.log'));
    own('simulator', sim.pid);
    stops.push(() => stopStrayProcess(sim.pid, 5000));
    const simUrl = (JSON.parse(await sim.firstLine) as { url: string }).url;
    print(`[demo] DCS simulator at ${simUrl} (user ${SIMULATOR_USER.name})`);
    if (args.capi) {
      const emulator = startWorkloadEmulator({ simulatorUrl: simUrl, log: print });
      stops.push(() => emulator.stop());
    }

    const objects = objectsFor(simUrl);
    await applyObjects(kubeconfig, args.context, objects, print);
    const clusterName = objects.find((o) => o.kind === 'Cluster')?.metadata?.name ?? 'the cluster';

    const controllerScript = join(root, 'dist', 'controller.js');
    if (existsSync(controllerScript) && controllerKubeconfig) {
      const controllerArgs = ['--kubeconfig', controllerKubeconfig, ...(args.context ? ['--context', args.context] : []), '--health-addr', '127.0.0.1:0', '--metrics-addr', '0'];
      const controller = spawn(process.execPath, [controllerScript, ...controllerArgs], { detached: true, stdio: 'ignore' });
      own('controller', controller.pid ?? 0);
      stops.push(() => stopStrayProcess(controller.pid ?? 0, 10_000));
      print(`[demo] DCS controller running (pid ${String(controller.pid)})`);
    }

    // The explorer follows these settings: the kubeconfig, and with --context only that management cluster.
    const settings: Record<string, unknown> = { 'capi-dcs.kubeconfig': kubeconfig, ...(args.context ? { 'capi-dcs.explorer.contexts': [args.context] } : {}) };
    const workspace = makeWorkspace(root, dir, settings);
    let open = `[demo] in your VS Code: open ${workspace} (its .vscode/settings.json sets ${Object.keys(settings).join(' and ')})`;
    if (args.codeServer) {
      const vscode = await startCodeServer({
        vsixPath: join(root, 'out', 'capi-dcs.vsix'),
        port: args.port,
        baseDir: join(dir, 'code-server'),
        settings,
      });
      own('code-server', vscode.process.pid);
      stops.push(() => vscode.stop());
      open = `[demo] open ${vscode.windowUrl(workspace)}`;
    }
    print(`[demo] processes: ${processes.map((p) => `${p.name} ${p.pid}`).join(', ')}`);
    print(readyLine(started, built, args.codeServer ? '' : ' (no code-server)'));
    print(open);
    print('[demo] try: open the Cluster API (DCS) view; open dcs-cluster.yaml and break a field (networkType: calico);');
    print('[demo]      hover a reference and go to its definition (F12); open broken-pool.yaml; run "CAPI DCS: New DCS Cluster Manifest";');
    print(`[demo]      run "CAPI DCS: Upgrade Cluster…" on ${clusterName} (right-click it in the Cluster API (DCS) view).`);
    print(`[demo] KUBECONFIG=${kubeconfig}${args.context ? ` (context ${args.context})` : ''}   (Ctrl-C stops everything)`);
  } catch (error) {
    print(`[demo] failed: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

void main();
