// "Start DCS provider locally", "Start DCS simulator", their stop commands, and "Create kind management
// cluster": the bundled controller and simulator run as child processes of VS Code's own Node.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { KubernetesObjectApi } from '@kubernetes/client-node';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { installDcs } from '../kube/dcsInstall';
import { kubeconfigFiles, listContexts, loadKubeConfig } from '../kube/kubeconfig';
import { describeError } from '../log';
import { LocalProcess } from './localProcess';
import { pointClusterAtSimulator, type RunningSimulator } from './simulatorTarget';

const FIELD_MANAGER = 'capi-dcs';
const DCS_MACHINE_CRD = 'dcsmachines.infrastructure.cluster.x-k8s.io';

function commandExists(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', `command -v ${name}`], (error) => {
      resolve(!error);
    });
  });
}

async function pickContext(ctx: Ctx, title: string, warnNonKind: boolean): Promise<{ kubeconfig: string; context: string } | undefined> {
  const kc = loadKubeConfig(ctx.config.kubeconfig);
  const file = kubeconfigFiles(ctx.config.kubeconfig)[0];
  if (!kc || !file) {
    void vscode.window.showErrorMessage('CAPI DCS: no kubeconfig found. Create a kind management cluster first, or set capi-dcs.kubeconfig.');
    return undefined;
  }
  const contexts = listContexts(kc).sort((a, b) => Number(b.name.startsWith('kind-')) - Number(a.name.startsWith('kind-')) || Number(b.isCurrent) - Number(a.isCurrent));
  const picked = await vscode.window.showQuickPick(
    contexts.map((c) => ({ label: c.name, description: c.server, detail: c.name.startsWith('kind-') ? 'kind cluster' : undefined })),
    { title },
  );
  if (!picked) return undefined;
  if (warnNonKind && !picked.label.startsWith('kind-')) {
    const answer = await vscode.window.showWarningMessage(
      `${picked.label} is not a kind cluster. The DCS provider will create and delete VMs for every DCSMachine it finds there. Start it anyway?`,
      { modal: true },
      'Start Anyway',
    );
    if (answer !== 'Start Anyway') return undefined;
  }
  return { kubeconfig: file, context: picked.label };
}

/** Installs the DCS CRDs and the controller's ClusterRole when the cluster lacks them and the user agrees. */
async function ensureCrds(ctx: Ctx, kubeconfig: string, context: string): Promise<boolean> {
  const kc = loadKubeConfig(kubeconfig);
  if (!kc) return false;
  kc.setCurrentContext(context);
  const api = KubernetesObjectApi.makeApiClient(kc);
  try {
    await api.read({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: DCS_MACHINE_CRD } });
    return true;
  } catch (error) {
    if (!/404|not found/i.test(String(error))) {
      void vscode.window.showErrorMessage(`CAPI DCS: cannot reach ${context}: ${describeError(error).split('\n')[0] ?? ''}`);
      return false;
    }
  }
  const answer = await vscode.window.showInformationMessage(`${context} has no DCS CRDs. Install them and the controller's ClusterRole?`, 'Install', 'Cancel');
  if (answer !== 'Install') return false;
  await installDcs(kc, ctx.extension.extensionPath, FIELD_MANAGER);
  ctx.log.info(`installed the DCS CRDs and RBAC into ${context}`);
  return true;
}

export function registerProviderCommands(ctx: Ctx): void {
  const channel = ctx.own(vscode.window.createOutputChannel('CAPI DCS Provider', { log: true }));
  const controllerBar = ctx.own(vscode.window.createStatusBarItem('capi-dcs.provider', vscode.StatusBarAlignment.Left, 10));
  const simulatorBar = ctx.own(vscode.window.createStatusBarItem('capi-dcs.simulator', vscode.StatusBarAlignment.Left, 9));
  controllerBar.command = simulatorBar.command = 'capi-dcs.showProviderLog';
  let controller: LocalProcess | undefined;
  let simulator: LocalProcess | undefined;
  /** Where the simulator started from here listens (its ready line), while it runs. */
  let simulatorAt: RunningSimulator | undefined;
  const stopAll = new vscode.Disposable(() => {
    void controller?.stop();
    void simulator?.stop();
  });
  ctx.own(stopAll);

  const register = (id: string, handler: () => unknown) => ctx.own(vscode.commands.registerCommand(`capi-dcs.${id}`, handler));
  register('showProviderLog', () => {
    channel.show(true);
  });
  register('startProvider', async () => {
    if (controller?.running) {
      void vscode.window.showInformationMessage('CAPI DCS: the DCS provider already runs.');
      return;
    }
    const target = await pickContext(ctx, 'Start the DCS provider against which management cluster?', true);
    if (!target || !(await ensureCrds(ctx, target.kubeconfig, target.context))) return;
    controller = new LocalProcess({
      title: `DCS provider (${target.context})`,
      script: ctx.extension.asAbsolutePath('dist/controller.js'),
      args: ['--kubeconfig', target.kubeconfig, '--context', target.context, '--health-addr', '127.0.0.1:0', '--metrics-addr', '0'],
      channel,
      statusBar: controllerBar,
    });
    controller.start();
  });
  register('stopProvider', () => controller?.stop());
  register('startSimulator', async () => {
    if (simulator?.running) return;
    const state = join(ctx.extension.globalStorageUri.fsPath, 'dcs-simulator.json');
    // The simulator writes its state file next to it at once: the folder must exist first.
    await vscode.workspace.fs.createDirectory(ctx.extension.globalStorageUri);
    simulator = new LocalProcess({
      title: 'DCS simulator',
      script: ctx.extension.asAbsolutePath('dist/simulator.js'),
      args: ['--port', '0', '--state', state],
      channel,
      statusBar: simulatorBar,
      onJsonLine: (line) => {
        if (line.msg !== 'ready' || typeof line.url !== 'string') return;
        const url = line.url;
        const site = typeof line.site === 'string' ? line.site : 'SIM0001A';
        simulatorAt = { url, site };
        simulatorBar.tooltip = `DCS simulator at ${url} (user capi-sim, site ${site}). Click to show its log.`;
        void vscode.window
          .showInformationMessage(`CAPI DCS: DCS simulator at ${url} — user capi-sim, site ${site}.`, 'Point a Cluster at It…', 'Copy Endpoint')
          .then((choice) => {
            if (choice === 'Copy Endpoint') void vscode.env.clipboard.writeText(url);
            else if (choice) void vscode.commands.executeCommand('capi-dcs.useSimulator');
          });
      },
    });
    simulator.start();
  });
  register('stopSimulator', () => simulator?.stop());
  register('useSimulator', async () => {
    const sim = simulator?.running ? simulatorAt : undefined;
    if (!sim) {
      const choice = await vscode.window.showInformationMessage('CAPI DCS: the DCS simulator does not run. Start it first.', 'Start DCS Simulator');
      if (choice) await vscode.commands.executeCommand('capi-dcs.startSimulator');
      return;
    }
    const target = await pickContext(ctx, 'Point a DCSCluster of which management cluster at the DCS simulator?', false);
    const kc = target ? loadKubeConfig(target.kubeconfig) : undefined;
    if (!target || !kc) return;
    kc.setCurrentContext(target.context);
    try {
      const done = await pointClusterAtSimulator(kc, target.context, sim);
      if (done) {
        ctx.log.info(done);
        void vscode.window.showInformationMessage(`CAPI DCS: ${done}`);
      }
    } catch (error) {
      ctx.log.error('pointing a DCSCluster at the simulator failed', error);
      void vscode.window.showErrorMessage(`CAPI DCS: could not point the DCSCluster at the simulator: ${describeError(error).split('\n')[0] ?? ''}`);
    }
  });
  register('createKindCluster', async () => {
    const missing = [];
    for (const tool of ['kind', 'clusterctl', 'docker']) if (!(await commandExists(tool))) missing.push(tool);
    if (missing.length > 0) {
      void vscode.window.showErrorMessage(
        `CAPI DCS: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed. A kind management cluster needs kind, clusterctl and a running Docker; install them, or run the demo's local management plane instead (bash scripts/demo.sh).`,
      );
      return;
    }
    const terminal = vscode.window.createTerminal('CAPI DCS: kind management cluster');
    terminal.show();
    terminal.sendText('kind create cluster --name capi-dcs && clusterctl init --bootstrap kubeadm --control-plane kubeadm');
  });
}
