// `npm run mgmt-plane [start|build] [--capi] [--clusterctl] [--port N] [--no-crds] [--data-dir DIR]`
//   build: build kube-apiserver and etcd once per machine and print the cold build time; with --capi also
//          clusterctl and CAPI's three managers, with --clusterctl also clusterctl.
//   start (default): start the management plane, print its kubeconfig and timings, run until Ctrl-C; with
//          --capi also CAPI's core, kubeadm bootstrap and kubeadm control-plane managers against it.
import { ensureBinaries } from './binaries';
import { ALL_CAPI_PROGRAMS, ensureCapiBinaries, type CapiProgram } from './capiBinaries';
import { startCapiManagers, type CapiManagers } from './capiManagers';
import { LabError } from './errors';
import { startManagementPlane, type ManagementPlaneOptions } from './mgmtPlane';

const USAGE = 'usage: mgmt-plane [start|build] [--capi] [--clusterctl] [--port N] [--no-crds] [--data-dir DIR]';

interface CliArgs {
  readonly command: 'start' | 'build';
  readonly options: ManagementPlaneOptions;
  /** CAPI programs to build (build), or whether to run the managers (start: any). */
  readonly capi: readonly CapiProgram[];
}

function parseArgs(argv: readonly string[]): CliArgs {
  let command: CliArgs['command'] = 'start';
  let capi: readonly CapiProgram[] = [];
  const options: { crds?: boolean; dataDir?: string; apiServerPort?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new LabError(`${arg ?? ''} needs a value. ${USAGE}`);
      return next;
    };
    if (arg === 'start' || arg === 'build') command = arg;
    else if (arg === '--capi') capi = ALL_CAPI_PROGRAMS;
    else if (arg === '--clusterctl') capi = capi.length > 0 ? capi : ['clusterctl'];
    else if (arg === '--no-crds') options.crds = false;
    else if (arg === '--data-dir') options.dataDir = value();
    else if (arg === '--port') options.apiServerPort = parsePort(value());
    else throw new LabError(`unknown argument "${arg ?? ''}". ${USAGE}`);
  }
  if (command === 'start' && capi.length > 0 && options.crds === false) throw new LabError(`--capi needs the CRDs; drop --no-crds. ${USAGE}`);
  return { command, options, capi };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new LabError(`--port: "${text}" is not a TCP port`);
  return port;
}

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function build(capi: readonly CapiProgram[]): Promise<void> {
  const binaries = await ensureBinaries({ log: print });
  if (!binaries.built) {
    const cold = binaries.record ? `; cold build time was ${(binaries.record.buildMs / 1000).toFixed(1)} s (${binaries.record.builtAt})` : '';
    print(`[build] already built: ${binaries.dir}${cold}`);
  }
  if (capi.length === 0) return;
  const capiBinaries = await ensureCapiBinaries({ only: capi, log: print });
  if (capiBinaries.built.length === 0) print(`[capi-build] already built: ${capiBinaries.dir}`);
}

async function start(options: ManagementPlaneOptions, capi: boolean): Promise<void> {
  // Ctrl-C while starting: exit at once; the plane's exit hook kills its servers and removes its folder.
  const abortStart = (): void => {
    print('\n[mgmt-plane] interrupted while starting');
    process.exit(130);
  };
  process.on('SIGINT', abortStart);
  process.on('SIGTERM', abortStart);
  const plane = await startManagementPlane({ ...options, log: print });
  let managers: CapiManagers | undefined;
  if (capi) {
    try {
      managers = await startCapiManagers({ kubeconfig: plane.kubeconfigPath, log: print });
    } catch (err) {
      await plane.stop();
      throw err;
    }
  }
  process.removeListener('SIGINT', abortStart);
  process.removeListener('SIGTERM', abortStart);
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  print('');
  print(`server URL:            ${plane.serverUrl}`);
  print(`admin kubeconfig:      ${plane.kubeconfigPath}`);
  print(`controller kubeconfig: ${plane.controllerKubeconfigPath}`);
  print(`data folder:           ${plane.dataDir}`);
  if (plane.timings.buildMs > 0) print(`cold build time:       ${seconds(plane.timings.buildMs)}`);
  print(`start to /readyz ok:   ${seconds(plane.timings.readyMs)}`);
  if (options.crds !== false) print(`start to CRDs Established: ${seconds(plane.timings.crdsEstablishedMs)}`);
  for (const m of managers?.managers ?? []) print(`${m.name}: pid ${m.pid}, log ${m.logPath}, webhooks ${m.webhookUrl}, metrics ${m.metricsUrl}`);
  if (managers) print(`CAPI managers ready:   ${seconds(managers.timings.readyMs)}${managers.timings.buildMs > 0 ? ` (built in ${seconds(managers.timings.buildMs)} first)` : ''}`);
  print('');
  print(`export KUBECONFIG=${plane.kubeconfigPath}`);
  print('Running; press Ctrl-C to stop.');

  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      print(`\n[mgmt-plane] ${signal}: stopping`);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await managers?.stop();
  await plane.stop();
  print('[mgmt-plane] stopped; data folder removed');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  await (args.command === 'build' ? build(args.capi) : start(args.options, args.capi.length > 0));
}

main().catch((err: unknown) => {
  // Known failures are one plain message; anything else keeps its stack for a bug report.
  process.stderr.write(`mgmt-plane: ${err instanceof LabError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
