// The main job in one command (scripts/demo.sh runs it after building): a local management plane, the DCS
// simulator, the example cluster applied, the DCS controller, and code-server with the extension, already
// connected. Ctrl-C stops everything it started, by PID; a run after a crash cleans up what it left.
//   node out/bin/demo.js [--kubeconfig FILE [--context NAME]] [--no-code-server] [--port N] [--capi]
// --capi also runs Cluster API's own managers (built once per machine) against the local management plane,
// so the example cluster gets real Machines and the DCS controller provisions their VMs, and the workload
// emulator does kubeadm's part on the booted VMs (a workload API at the endpoint, Nodes), so Machines
// reach Running; KCP stays at its first machine (its etcd checks need a kubelet, see workloadEmulator.ts).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startCodeServer } from './codeServer';
import { startCapiManagers } from './capiManagers';
import { applyObjects, EXAMPLE_FILE, exampleForSimulator, kubeadmFilesSecret, manifestObjects, SIMULATOR_USER } from './exampleCluster';
import { startManagementPlane } from './mgmtPlane';
import { isAlive, processExecutable, stopStrayProcess } from './processes';
import { projectRoot } from './projectPaths';
import { startWorkloadEmulator } from './workloadEmulator';

const PREFIX = 'capi-dcs-demo-';
const RECORD = 'demo.json';

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

/** Ends what an earlier demo left behind when it died without its Ctrl-C handler. */
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
    for (const child of record.children) {
      if (isAlive(child) && processExecutable(child) === process.execPath) await stopStrayProcess(child, 5000);
    }
    rmSync(dir, { recursive: true, force: true });
    print(`[demo] cleaned up after an earlier run that crashed (${dir})`);
  }
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
  const started = Date.now();
  await cleanStaleDemos();
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  const children: number[] = [];
  const record = () => {
    writeFileSync(join(dir, RECORD), JSON.stringify({ pid: process.pid, children }));
  };
  record();
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
    if (!kubeconfig) {
      print('[demo] starting the local management plane (kube-apiserver + etcd, CAPI and DCS CRDs)');
      const plane = await startManagementPlane({ log: print });
      stops.push(() => plane.stop());
      kubeconfig = plane.kubeconfigPath;
      controllerKubeconfig = plane.controllerKubeconfigPath;
      print(`[demo] management plane ready in ${(plane.timings.crdsEstablishedMs / 1000).toFixed(1)} s${plane.timings.buildMs > 0 ? ` (built in ${(plane.timings.buildMs / 1000).toFixed(0)} s first)` : ''}`);
      if (args.capi) {
        print('[demo] starting the Cluster API managers (core, kubeadm bootstrap, kubeadm control plane)');
        const managers = await startCapiManagers({ kubeconfig: plane.kubeconfigPath, log: print });
        stops.push(() => managers.stop());
      }
    }

    const sim = startProgram(join(root, 'dist', 'simulator.js'), ['--port', '0', '--state', join(dir, 'dcs-simulator.json')], join(dir, 'simulator.log'));
    children.push(sim.pid);
    record();
    stops.push(() => stopStrayProcess(sim.pid, 5000));
    const simUrl = (JSON.parse(await sim.firstLine) as { url: string }).url;
    print(`[demo] DCS simulator at ${simUrl} (user ${SIMULATOR_USER.name})`);
    if (args.capi) {
      const emulator = startWorkloadEmulator({ simulatorUrl: simUrl, log: print });
      stops.push(() => emulator.stop());
    }

    const example = exampleForSimulator(simUrl);
    const objects = manifestObjects(args.capi ? `${example}\n---\n${kubeadmFilesSecret('cpaas-system')}` : example);
    await applyObjects(kubeconfig, args.context, objects, print);

    const controllerScript = join(root, 'dist', 'controller.js');
    if (existsSync(controllerScript) && controllerKubeconfig) {
      const controllerArgs = ['--kubeconfig', controllerKubeconfig, ...(args.context ? ['--context', args.context] : []), '--health-addr', '127.0.0.1:0', '--metrics-addr', '0'];
      const controller = spawn(process.execPath, [controllerScript, ...controllerArgs], { detached: true, stdio: 'ignore' });
      children.push(controller.pid ?? 0);
      record();
      stops.push(() => stopStrayProcess(controller.pid ?? 0, 10_000));
      print(`[demo] DCS controller running (pid ${String(controller.pid)})`);
    }

    const workspace = join(dir, 'workspace');
    cpSync(join(root, 'demo', 'workspace'), workspace, { recursive: true });
    cpSync(join(root, EXAMPLE_FILE), join(workspace, 'dcs-cluster.yaml'));
    cpSync(join(root, 'schemas', 'examples', 'cluster-template.yaml'), join(workspace, 'cluster-template.yaml'));
    if (args.codeServer) {
      const vscode = await startCodeServer({
        vsixPath: join(root, 'out', 'capi-dcs.vsix'),
        port: args.port,
        baseDir: join(dir, 'code-server'),
        settings: { 'capi-dcs.kubeconfig': kubeconfig },
      });
      children.push(vscode.process.pid);
      record();
      stops.push(() => vscode.stop());
      print(`[demo] ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      print(`[demo] open ${vscode.windowUrl(workspace)}`);
    } else {
      print(`[demo] ready in ${((Date.now() - started) / 1000).toFixed(1)} s (no code-server)`);
      print(`[demo] in your VS Code: set "capi-dcs.kubeconfig": "${kubeconfig}" and open ${workspace}`);
    }
    print('[demo] try: open the Cluster API (DCS) view; open dcs-cluster.yaml and break a field (networkType: calico);');
    print('[demo]      hover a reference and go to its definition (F12); open broken-pool.yaml; run "CAPI DCS: New DCS Cluster Manifest".');
    print(`[demo] KUBECONFIG=${kubeconfig}   (Ctrl-C stops everything)`);
  } catch (error) {
    print(`[demo] failed: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

void main();
