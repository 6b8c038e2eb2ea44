// CAPI DCS: Open Rollout Dashboard, from a cluster in the explorer or the palette: one panel per workload
// cluster (opening it again reveals the panel).
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { ClusterTarget } from '../explorer/targets';
import type { OperateServices } from '../operate/operateServices';
import { pickCluster } from '../operate/pickers';
import { clusterOf } from '../operate/targets';
import { loadBundledCatalog } from '../shared/schema/bundled';
import { combinedSchema } from '../shared/schema/combined';
import { DASHBOARD_VIEW_TYPE, DashboardPanel } from './dashboardPanel';

export const OPEN_DASHBOARD_COMMAND = 'capi-dcs.openDashboard';

export function registerDashboard(ctx: Ctx, services: OperateServices): void {
  const panels = new Map<string, DashboardPanel>();
  const extensionUri = ctx.extension.extensionUri;
  let schema: unknown;
  const deps = {
    services,
    schema: () => (schema ??= combinedSchema(loadBundledCatalog(join(ctx.extension.extensionPath, 'dist', 'schemas')))),
    webviewRoot: vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
  };
  const open = (target: ClusterTarget): void => {
    const key = `${target.context}/${target.namespace}/${target.name}`;
    const existing = panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, `Rollout: ${target.name}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      // The planner's editor keeps its text while the tab is in the background.
      retainContextWhenHidden: true,
      localResourceRoots: [deps.webviewRoot],
    });
    panels.set(key, new DashboardPanel(target, panel, deps, () => panels.delete(key)));
  };
  ctx.own(
    vscode.commands.registerCommand(OPEN_DASHBOARD_COMMAND, (arg: unknown) =>
      services.run('Open Rollout Dashboard', async () => {
        const element = services.element(arg);
        open((element ? clusterOf(element, services.explorer.session) : undefined) ?? (await pickCluster(services, 'Open Rollout Dashboard')));
      }),
    ),
  );
  ctx.own({
    dispose: () => {
      for (const p of panels.values()) p.panel.dispose();
    },
  });
}
