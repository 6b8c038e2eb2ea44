// The demo against an existing management cluster (`--kubeconfig FILE --context NAME`, e.g. kind): it stops
// with what is missing when Cluster API is not installed, installs the DCS CRDs and the controller's
// ClusterRole itself, applies the example, points the explorer at that context, and on Ctrl-C ends only
// its own processes (the cluster keeps running). Then a crash of a local-plane demo and the run after it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiextensionsV1Api, KubeConfig, KubernetesObjectApi, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { capiCrdFiles, capiModuleDir } from '../../src/lab/capiModule';
import { installCrds, readCrds } from '../../src/lab/crds';
import { exampleForSimulator, manifestObjects } from '../../src/lab/exampleCluster';
import { kubeHttpClient } from '../../src/lab/kubeHttp';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { isAlive, signalGroup } from '../../src/lab/processes';
import { projectRoot } from '../../src/lab/projectPaths';
import { httpsGet, loadKubeconfig, waitUntil } from './mgmtPlaneHelpers';

const CONTEXT = 'kind-capi-dcs';
const DCS_CRDS = ['dcsclusters', 'dcsiphostnamepools', 'dcsmachines', 'dcsmachinetemplates'].map((p) => `${p}.infrastructure.cluster.x-k8s.io`);
const START_TIMEOUT_MS = 240_000;

interface DemoRun {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** `node out/bin/demo.js ARGS` in its own process group, as scripts/demo.sh execs it. */
function runDemo(args: readonly string[]): DemoRun {
  const { CAPI_DCS_DEMO_STARTED: _started, CAPI_DCS_DEMO_BUILT: _built, ...env } = process.env;
  const child = spawn(process.execPath, [join(projectRoot(), 'out', 'bin', 'demo.js'), ...args], { cwd: projectRoot(), detached: true, env });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

async function waitReady(demo: DemoRun): Promise<void> {
  let exited = false;
  void demo.exited.then(() => (exited = true));
  await waitUntil(() => exited || demo.output().includes('[demo] KUBECONFIG='), 'the demo to be ready', START_TIMEOUT_MS).catch((e: unknown) => {
    throw new Error(`${String(e)}\n${demo.output()}`);
  });
  assert.ok(!exited, `the demo exited early:\n${demo.output()}`);
}

/** The PIDs of the "[demo] processes: name pid, ..." line. */
function processPids(output: string): Map<string, number> {
  const line = /\[demo\] processes: (.*)/.exec(output)?.[1];
  assert.ok(line, `no processes line in:\n${output}`);
  return new Map(line.split(', ').map((entry) => {
    const [name, pid] = entry.split(' ');
    return [name ?? '', Number(pid)];
  }));
}

function demoDirs(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('capi-dcs-demo-'));
}

async function interrupt(demo: DemoRun): Promise<void> {
  demo.child.kill('SIGINT');
  assert.equal(await demo.exited, 0, demo.output());
  assert.match(demo.output(), /\[demo\] stopped/);
}

describe('the demo against an existing management cluster', () => {
  let plane: ManagementPlane;
  let admin: KubeConfig;
  let folder: string;
  let kubeconfigPath: string;
  const running: DemoRun[] = [];

  before(async () => {
    // A cluster with no CRDs at all, like a fresh kind cluster before clusterctl init.
    plane = await startManagementPlane({ crds: false, log: (line) => console.log(line) });
    admin = loadKubeconfig(plane.kubeconfigPath);
    // The user's kubeconfig: the cluster under a kind-like context name, and a current context that points
    // nowhere (port 1 of loopback), so only --context gets the demo to the cluster.
    const user = new KubeConfig();
    user.loadFromOptions({
      clusters: [...admin.getClusters().map((c) => ({ ...c, name: CONTEXT })), { name: 'elsewhere', server: 'https://127.0.0.1:1', skipTLSVerify: false }],
      users: admin.getUsers(),
      contexts: [
        { name: CONTEXT, cluster: CONTEXT, user: admin.getCurrentUser()?.name ?? '' },
        { name: 'elsewhere', cluster: 'elsewhere', user: admin.getCurrentUser()?.name ?? '' },
      ],
      currentContext: 'elsewhere',
    });
    folder = mkdtempSync(join(tmpdir(), 'capi-dcs-existing-cluster-'));
    kubeconfigPath = join(folder, 'kubeconfig');
    writeFileSync(kubeconfigPath, user.exportConfig(), { mode: 0o600 });
  });

  after(async () => {
    for (const demo of running) if (demo.child.exitCode === null && demo.child.signalCode === null && demo.child.pid) signalGroup(demo.child.pid, 'SIGKILL');
    await plane.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('stops before changing anything when the cluster has no Cluster API CRDs, and says what to run', async () => {
    const demo = runDemo(['--kubeconfig', kubeconfigPath, '--context', CONTEXT, '--no-code-server']);
    running.push(demo);
    assert.equal(await demo.exited, 1, demo.output());
    assert.match(demo.output(), /does not serve the Cluster API kinds the example needs: .*Cluster \(cluster\.x-k8s\.io\/v1beta2\)/);
    assert.match(demo.output(), /KubeadmControlPlane \(controlplane\.cluster\.x-k8s\.io\/v1beta2\)/);
    assert.match(demo.output(), /clusterctl init --bootstrap kubeadm --control-plane kubeadm/);
    const crds = (await admin.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition()).items.map((c) => c.metadata?.name);
    assert.deepEqual(crds, [], 'no CRD was installed');
  });

  it('installs the DCS CRDs and RBAC, applies the example and points the explorer at the context', async () => {
    // What clusterctl init would add: Cluster API's CRDs only (core, kubeadm bootstrap and control plane).
    const user = admin.getCurrentUser();
    const http = kubeHttpClient(plane.serverUrl, {
      ca: Buffer.from(admin.getCurrentCluster()?.caData ?? '', 'base64').toString(),
      cert: Buffer.from(user?.certData ?? '', 'base64').toString(),
      key: Buffer.from(user?.keyData ?? '', 'base64').toString(),
    });
    try {
      await installCrds(http, await readCrds(await capiCrdFiles(await capiModuleDir())), 60_000);
    } finally {
      http.close();
    }

    const dirsBefore = new Set(demoDirs());
    const demo = runDemo(['--kubeconfig', kubeconfigPath, '--context', CONTEXT, '--no-code-server']);
    running.push(demo);
    await waitReady(demo);
    const output = demo.output();
    assert.match(output, /installed the DCS CRDs \(Established\) and the controller's ClusterRole into context kind-capi-dcs/);

    const crds = (await admin.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition()).items;
    for (const name of DCS_CRDS) {
      const crd = crds.find((c) => c.metadata?.name === name);
      assert.ok(crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'), `${name} is Established`);
    }
    const role = await admin.makeApiClient(RbacAuthorizationV1Api).readClusterRole({ name: 'capi-dcs-controller' });
    assert.ok((role.rules ?? []).length > 0);
    const api = KubernetesObjectApi.makeApiClient(admin);
    for (const object of manifestObjects(exampleForSimulator('https://127.0.0.1:1'))) {
      const found = await api.read({ apiVersion: object.apiVersion ?? '', kind: object.kind ?? '', metadata: { name: object.metadata?.name ?? '', namespace: object.metadata?.namespace ?? '' } });
      assert.equal(found.metadata?.name, object.metadata?.name);
    }

    // The explorer's settings in the sample workspace: this kubeconfig, only this context.
    const workspace = /\[demo\] in your VS Code: open (\S+)/.exec(output)?.[1];
    assert.ok(workspace, output);
    const settings = JSON.parse(readFileSync(join(workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(settings['capi-dcs.kubeconfig'], kubeconfigPath);
    assert.deepEqual(settings['capi-dcs.explorer.contexts'], [CONTEXT]);

    // Ctrl-C: the demo's own processes and folder go; the user's cluster keeps running.
    const pids = processPids(output);
    assert.deepEqual([...pids.keys()], ['simulator', 'controller']);
    await interrupt(demo);
    for (const [name, pid] of pids) assert.ok(!isAlive(pid), `${name} (pid ${pid}) is still running`);
    assert.deepEqual(demoDirs().filter((n) => !dirsBefore.has(n)), []);
    assert.ok(isAlive(plane.pids.kubeApiserver) && isAlive(plane.pids.etcd), 'the management cluster still runs');
    assert.equal((await httpsGet(admin, '/readyz')).status, 200);
  });

  it('cleans up after a crashed run (its plane, simulator and controller) when started again', async () => {
    const crashed = runDemo(['--no-code-server']);
    running.push(crashed);
    await waitReady(crashed);
    const oldPids = processPids(crashed.output());
    assert.deepEqual([...oldPids.keys()], ['etcd', 'kube-apiserver', 'simulator', 'controller']);
    const oldDir = /\[demo\] in your VS Code: open (\S+)\/workspace/.exec(crashed.output())?.[1];
    const oldPlaneDir = /\[demo\] management plane data folder (\S+)/.exec(crashed.output())?.[1];
    assert.ok(oldDir && oldPlaneDir);
    // A crash: the demo's Node process dies without its handler; its children, each in a group of its own, stay.
    process.kill(-(crashed.child.pid ?? 0), 'SIGKILL');
    await crashed.exited;
    for (const [name, pid] of oldPids) assert.ok(isAlive(pid), `${name} outlived the crash`);

    const next = runDemo(['--no-code-server']);
    running.push(next);
    await waitReady(next);
    assert.ok(next.output().includes(`[demo] cleaned up after an earlier run that crashed (${oldDir}`), next.output());
    for (const [name, pid] of oldPids) assert.ok(!isAlive(pid), `${name} (pid ${pid}) of the crashed run is still running`);
    assert.ok(!existsSync(oldDir) && !existsSync(oldPlaneDir), 'the crashed run\'s folders are removed');
    const newPids = processPids(next.output());
    const newPlaneDir = /\[demo\] management plane data folder (\S+)/.exec(next.output())?.[1];
    assert.ok(newPlaneDir && existsSync(newPlaneDir));
    await interrupt(next);
    for (const [name, pid] of newPids) assert.ok(!isAlive(pid), `${name} (pid ${pid}) is still running`);
    assert.ok(!existsSync(newPlaneDir), 'the management plane\'s data folder is removed');
  });
});
