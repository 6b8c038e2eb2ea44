// One webview panel per workload cluster: the rollout picture, fed by the explorer's session (the same
// informers as the tree, never a second watch), and the upgrade planner, whose Apply runs the plan through
// the upgrade command's own steps (dry run and diff, confirmation, execution, write-back offer).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ExplorerSession } from '../explorer/session';
import type { ClusterTarget } from '../explorer/targets';
import { readClusterState } from '../operate/clusterState';
import type { OperateServices } from '../operate/operateServices';
import { askUpgradePlan, runUpgradePlan } from '../operate/upgradeCommand';
import { planFromManifests, planManifests } from '../operate/upgradeManifests';
import { dashboardState, owners } from './dashboardView';
import type { FromPage, ToPage } from './protocol';
import { ReplacementTimeline, type MachineObservation } from './timeline';

export const DASHBOARD_VIEW_TYPE = 'capi-dcs.dashboard';

export interface DashboardDeps {
  readonly services: OperateServices;
  /** The combined JSON schema of the catalog, for the planner's editor (computed once, on first use). */
  readonly schema: () => unknown;
  readonly webviewRoot: vscode.Uri;
}

export class DashboardPanel implements vscode.Disposable {
  private readonly timeline = new ReplacementTimeline();
  private readonly disposables: { dispose(): unknown }[] = [];
  private disposed = false;

  constructor(
    readonly target: ClusterTarget,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: DashboardDeps,
    onDispose: () => void,
  ) {
    const session = this.session;
    session.connect(target.context);
    panel.webview.html = this.html();
    this.disposables.push(
      session.onDidChange((context) => {
        if (context === undefined || context === target.context) this.postState();
      }),
      panel.webview.onDidReceiveMessage((message: FromPage) => {
        this.receive(message);
      }),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  private get session(): ExplorerSession {
    return this.deps.services.explorer.session;
  }

  private post(message: ToPage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  /** The cluster as the explorer sees it now, plus the replacement timeline brought up to date. */
  postState(): void {
    const { context, namespace, name } = this.target;
    const view = this.session.view(context);
    const cluster = view?.model?.clusters.find((c) => c.ref.namespace === namespace && c.name === name);
    const now = Date.now();
    if (cluster) {
      const observations: MachineObservation[] = owners(cluster).flatMap((owner) =>
        owner.machines.map((machine) => ({
          owner: owner.id,
          machine,
          deletionTimestamp: this.session.object(context, 'Machine', namespace, machine.name)?.metadata?.deletionTimestamp,
        })),
      );
      this.timeline.update(observations, now);
    }
    const connection = view ? (view.state === 'unreachable' ? `unreachable: ${view.reason ?? ''}` : view.state) : 'not in the kubeconfig';
    this.post({ type: 'state', state: dashboardState(this.target, cluster, connection, this.timeline, now) });
  }

  private receive(message: FromPage): void {
    const { services } = this.deps;
    switch (message.type) {
      case 'ready':
        this.post({ type: 'schema', schema: this.deps.schema() });
        this.postState();
        return;
      case 'planUpgrade':
        void services.run('Plan Upgrade', async () => {
          try {
            const { state, plan } = await askUpgradePlan(services, this.target);
            const steps = [...plan.templates.map((t) => `create ${t.metadata.name}`), ...(plan.controlPlane ? [`patch ${plan.controlPlane.ref.name}`] : []), ...plan.deployments.map((d) => `patch ${d.ref.name}`)];
            this.post({ type: 'plan', yaml: planManifests(state, plan), summary: steps.join(' · ') });
          } catch (error) {
            this.post({ type: 'planError', message: error instanceof Error ? error.message : String(error) });
            throw error;
          }
        });
        return;
      case 'apply':
        void services.run('Apply Upgrade Plan', async () => {
          const api = services.objectApi(this.target.context);
          const state = await readClusterState(api, this.target.namespace, this.target.name);
          const outcome = planFromManifests(state, message.yaml);
          if (!outcome.ok) {
            this.post({ type: 'planError', message: outcome.errors.join(' ') });
            throw new Error(outcome.errors.join(' '));
          }
          await runUpgradePlan(services, this.target, api, state, outcome.plan);
          this.post({ type: 'applied', message: `Applied: the rollout of ${this.target.name} shows above.` });
        });
        return;
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(18).toString('base64');
    const asset = (file: string): string => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.webviewRoot, file)).toString();
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      // Monaco adds <style> elements at run time and has no nonce support for them.
      `style-src ${webview.cspSource} 'unsafe-inline'`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
      // The workers' scripts are fetched and started from blob: URLs.
      `connect-src ${webview.cspSource}`,
      'worker-src blob:',
    ].join('; ');
    const title = `${this.target.name} (${this.target.namespace}, ${this.target.context})`;
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${asset('dashboard.css')}">
<title>Rollout of ${escapeHtml(title)}</title>
</head>
<body data-worker-base="${asset('')}">
<main id="app" aria-label="Rollout dashboard of ${escapeHtml(title)}"><p>Loading…</p></main>
<script nonce="${nonce}" src="${asset('dashboard.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
