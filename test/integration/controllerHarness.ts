// The controller's integration lab: a real API server with the CAPI and DCS CRDs, the DCS
// simulator as a process, and capi-dcs-controller as a process (its own process group, so a test
// can SIGKILL it at any moment), plus builders for the objects Cluster API core would create.

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { KubeClient } from '../../src/controller/runtime/kubeClient';
import { launchSimulator, type LaunchedSimulator } from '../fixtures/simulator/launch';

const REPO = join(__dirname, '..', '..');
export const INVENTORY = 'test/fixtures/simulator/inventory.yaml';
export const SITE = 'SIM0001A';
export const DCS_USER = { authUser: 'capi-test', authKey: 'test-Key-1' };
export const TEMPLATE = 'alaudaos-v4.3.2-x86';

export interface Lab {
  readonly plane: ManagementPlane;
  readonly admin: KubeClient;
  readonly sim: LaunchedSimulator;
  readonly namespace: string;
  stop(): Promise<void>;
}

export async function startLab(namespace: string, simArgs: readonly string[] = []): Promise<Lab> {
  const [plane, sim] = await Promise.all([
    startManagementPlane({ crds: true }),
    launchSimulator(['--port', '0', '--inventory', INVENTORY, '--latency-ms', '20', ...simArgs]),
  ]);
  const admin = await KubeClient.create({ kubeconfig: plane.kubeconfigPath, qps: 1000, burst: 1000 });
  await admin.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } });
  return {
    plane,
    admin,
    sim,
    namespace,
    stop: async () => {
      admin.close();
      await Promise.all([sim.stop(), plane.stop()]);
    },
  };
}

export interface LaunchedController {
  readonly pid: number;
  readonly healthUrl: string;
  logs(): string;
  /** Log lines (parsed) so far. */
  lines(): Record<string, unknown>[];
  waitForLog(match: (line: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  metrics(): Promise<string>;
  kill(): Promise<void>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export const FAST_FLAGS = ['--task-poll', '200ms', '--slot-retry', '1s', '--safe-stop-timeout', '3s', '--credential-recheck', '1s', '--concurrency', '8'];

export async function launchController(lab: Lab, extraArgs: readonly string[] = []): Promise<LaunchedController> {
  const args = [
    '--import', 'tsx', 'src/controller/main.ts',
    '--kubeconfig', lab.plane.controllerKubeconfigPath,
    '--namespace', lab.namespace,
    '--health-addr', '127.0.0.1:0',
    '--metrics-addr', '127.0.0.1:0',
    '--log-level', 'debug',
    ...FAST_FLAGS,
    ...extraArgs,
  ];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the controller did not start');
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // For debugging a failing run: CAPI_DCS_CONTROLLER_LOG=/tmp/file collects every controller's log.
  const dumpTo = process.env.CAPI_DCS_CONTROLLER_LOG;
  if (dumpTo) void exited.then(() => appendFileSync(dumpTo, stderr));
  const lines = (): Record<string, unknown>[] =>
    stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const waitForLog = async (match: (line: Record<string, unknown>) => boolean, what: string, timeoutMs = 30_000): Promise<Record<string, unknown>> => {
    const found = await waitFor(() => lines().find(match), what, timeoutMs, () => child.exitCode !== null ? `controller exited:\n${stderr.slice(-3000)}` : '');
    return found;
  };
  const health = await waitForLog((l) => l.msg === 'serving health endpoints', 'the health endpoint', 30_000);
  const metricsLine = await waitForLog((l) => l.msg === 'serving metrics', 'the metrics endpoint', 30_000);
  return {
    pid,
    healthUrl: `http://${String(health.address)}`,
    logs: () => stderr,
    lines,
    waitForLog,
    metrics: async () => (await fetch(`http://${String(metricsLine.address)}/metrics`)).text(),
    kill: async () => {
      signalGroup(pid, 'SIGKILL');
      await exited;
    },
    stop: async () => {
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 25_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Polls until `probe` returns a value; `explain` adds context to the timeout error. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000, explain: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    const why = explain();
    if (why) throw new Error(`while waiting for ${what}: ${why}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

// ---- the simulator's admin API ----

export interface SimVm {
  id: string;
  name: string;
  description: string;
  status: string;
  disks: { sequenceNum: number; volumeId: string }[];
  cdRom?: { datastoreId: string; fileName: string };
  bootedWith?: { sha256: string };
  isTemplate: boolean;
}

export interface SimState {
  vms: Record<string, SimVm>;
  volumes: Record<string, { id: string; name: string; status: string; vmId?: string; persistentDisk: boolean; sequenceNum: number }>;
  datastores: Record<string, { name: string; files: Record<string, { name: string }> }>;
  tasks: Record<string, { id: string; status: string; payload: { kind: string }; entityName: string; stuckAt?: number }>;
}

export async function simCall<T = unknown>(sim: LaunchedSimulator, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sim.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export const simState = (sim: LaunchedSimulator): Promise<SimState> => simCall<SimState>(sim, 'GET', '/sim/state');

export async function vmsNamed(sim: LaunchedSimulator, name: string): Promise<SimVm[]> {
  return Object.values((await simState(sim)).vms).filter((vm) => !vm.isTemplate && vm.name === name);
}

export async function runningTask(sim: LaunchedSimulator, kind: string): Promise<{ id: string; entityName: string } | undefined> {
  return Object.values((await simState(sim)).tasks).find((t) => t.status === 'running' && t.payload.kind === kind);
}
