// End to end: the rollout dashboard in code-server, for a cluster on the real local API server mid-rollout
// (a MachineDeployment with 1 of 3 Machines new and an old one being deleted, held by a condition). The
// page shows old and new Machines, the one being replaced and what blocks, then follows a Machine whose
// status changes on the server. The screenshot goes to media/screenshots/dashboard.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { launchChromium } from '../helpers/browser';
import { repoRoot, startCodeServer, type CodeServer } from '../helpers/codeServer';
import { waitUntil } from '../helpers/processes';
import { answerDialog, clickNotification, pick, treeRow, type } from '../helpers/workbench';
import { applyAll, applyStatus, deleteObject, ensureNamespace, kubeRequest, loadKubeconfig } from '../integration/explorerLab';
import { clusterScenario, cond, type Obj } from '../unit/explorerFixtures';

const vsixPath = process.env.CAPI_DCS_VSIX ?? join(repoRoot, 'out', 'capi-dcs.vsix');
const workspace = join(repoRoot, 'test', 'fixtures', 'workspace');
const screenshots = join(repoRoot, 'media', 'screenshots');
const NS = 'fleet';
const BLOCKED_BY = 'Scaling up MachineSet demo-md-0-v2 to 2 replicas: Machine demo-md-0-3 waits for InfrastructureReady (DCS quota exceeded on host-1)';
const NODE_DOWN = 'Node demo-md-0-0 stopped posting status (kubelet unreachable)';

/** The control plane's DCSMachineTemplate, which the upgrade copies under a new name. */
const CP_TEMPLATE: Obj = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
  kind: 'DCSMachineTemplate',
  metadata: { name: 'demo-cp-v1342', namespace: NS, labels: { 'cluster.x-k8s.io/cluster-name': 'demo' } },
  spec: {
    template: {
      spec: {
        vmTemplateName: 'alaudaos-v4.3.2-x86',
        ipHostPoolRef: { name: 'demo-pool' },
        vmConfig: { dvSwitchName: 'dvs-lab', portGroupName: 'pg-k8s', dcsMachineCpuSpec: { quantity: 4 }, dcsMachineMemorySpec: { quantity: 8192 }, dcsMachineDiskSpec: [{ systemVolume: true, quantity: 0, datastoreClusterName: 'dsc-gold' }] },
      },
    },
  },
};

async function kcpSpec(plane: ManagementPlane): Promise<{ version?: string; machineTemplate?: { spec?: { infrastructureRef?: { name?: string } } } }> {
  const response = await kubeRequest(loadKubeconfig(plane.kubeconfigPath), 'GET', `/apis/controlplane.cluster.x-k8s.io/v1beta2/namespaces/${NS}/kubeadmcontrolplanes/demo-cp`);
  return (JSON.parse(response.body) as { spec: Awaited<ReturnType<typeof kcpSpec>> }).spec;
}

/** The page inside the webview: code-server nests it in two iframes. */
function dashboard(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

describe('rollout dashboard in code-server against the real API server', () => {
  let plane: ManagementPlane;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let fresh: Obj | undefined;

  before(async () => {
    if (!existsSync(vsixPath)) {
      const built = spawnSync('npm', ['run', '-s', 'package'], { cwd: repoRoot, stdio: 'inherit' });
      assert.equal(built.status, 0, 'npm run package failed');
    }
    mkdirSync(screenshots, { recursive: true });
    plane = await startManagementPlane({ crds: true });
    const admin = loadKubeconfig(plane.kubeconfigPath);
    await ensureNamespace(admin, NS);
    const { objects } = clusterScenario(NS, 'demo', { cp: 3, workers: 3, mdUpToDate: 1 });
    const replaced = objects.find((o) => o.kind === 'Machine' && o.metadata.name === 'demo-md-0-2');
    assert.ok(replaced);
    replaced.metadata.finalizers = ['test.capi-dcs/hold'];
    fresh = objects.find((o) => o.kind === 'Machine' && o.metadata.name === 'demo-md-0-0');
    const md = objects.find((o) => o.kind === 'MachineDeployment');
    assert.ok(md?.status);
    md.status.conditions = [cond('Available', 'True'), cond('RollingOut', 'True', 'RollingOut', 'Rolling out 2 not up-to-date replicas'), cond('ScalingUp', 'True', 'ScalingUp', BLOCKED_BY)];
    await applyAll(admin, objects);
    const created = await kubeRequest(admin, 'POST', `/apis/infrastructure.cluster.x-k8s.io/v1beta1/namespaces/${NS}/dcsmachinetemplates`, { type: 'application/json', data: JSON.stringify(CP_TEMPLATE) });
    assert.equal(created.status, 201, created.body);
    await deleteObject(admin, replaced);
    server = await startCodeServer({ vsixPath, settings: { 'capi-dcs.kubeconfig': plane.kubeconfigPath, 'git.openRepositoryInParentFolders': 'never' } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  });

  afterEach(async (t) => {
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', `dashboard-after-${t.name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
  });

  after(async () => {
    await browser.close().catch(() => undefined);
    await server.stop();
    const admin = loadKubeconfig(plane.kubeconfigPath);
    await kubeRequest(admin, 'PATCH', `/apis/cluster.x-k8s.io/v1beta2/namespaces/${NS}/machines/demo-md-0-2`, {
      type: 'application/merge-patch+json',
      data: JSON.stringify({ metadata: { finalizers: null } }),
    }).catch(() => undefined);
    await plane.stop();
  });

  it('opens from the cluster in the tree and shows the rollout: old and new Machines, the one being replaced, what blocks', async () => {
    await page.goto(server.windowUrl(workspace));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar .action-item a[aria-label^="Cluster API (DCS)"]').click();
    await treeRow(page, 'demo').waitFor({ timeout: 60_000 });
    await treeRow(page, 'demo').click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-menu-item', { hasText: 'Open Rollout Dashboard' });
    await item.hover();
    await item.click();

    const view = dashboard(page);
    const md = view.locator('section[data-owner="demo-md-0"]');
    await md.waitFor({ timeout: 60_000 });
    assert.match(await view.locator('h1').innerText(), /Cluster demo/);
    assert.match(await md.locator('.counts').innerText(), /1 new · 2 old · 3\/3 ready · replacing demo-md-0-2/);
    assert.equal(await md.locator('[role="progressbar"]').getAttribute('aria-valuenow'), '33');
    assert.ok((await md.locator('.blocking').innerText()).includes(BLOCKED_BY));
    const replaced = md.locator('.machine[data-key="machine:demo-md-0-2"]');
    assert.match(await replaced.innerText(), /old[\s\S]*deleting[\s\S]*being replaced/);
    assert.match(await md.locator('.machine[data-key="machine:demo-md-0-0"]').innerText(), /new[\s\S]*ready/);
    assert.match(await md.locator('.machine[data-key="machine:demo-md-0-1"]').innerText(), /old[\s\S]*ready/);
    // The timeline has the deletion of the old Machine, still going.
    assert.match(await md.locator('.timeline').innerText(), /demo-md-0-2 deleting · deleting for/);
    const cp = view.locator('section[data-owner="demo-cp"]');
    assert.match(await cp.locator('.owner-status').innerText(), /v1\.34\.2 · rolled out/);

    // Keyboard: one tab stop per Machine list (old Machines first: they go next), arrow keys move within it.
    const first = md.locator('.machine').first();
    assert.equal(await first.getAttribute('data-key'), 'machine:demo-md-0-1');
    assert.equal(await first.getAttribute('tabindex'), '0');
    await first.focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await md.locator('.machine:focus').getAttribute('data-key'), 'machine:demo-md-0-2');
    await page.keyboard.press('End');
    assert.equal(await md.locator('.machine:focus').getAttribute('data-key'), 'machine:demo-md-0-0');
    await page.screenshot({ path: join(screenshots, 'dashboard.png') });
  });

  it('follows a Machine whose status changes on the API server', async () => {
    assert.ok(fresh);
    const admin = loadKubeconfig(plane.kubeconfigPath);
    const before = await dashboard(page).locator('body').getAttribute('data-updated');
    await applyStatus(admin, fresh, {
      phase: 'Running',
      nodeRef: { name: 'demo-md-0-0' },
      conditions: [cond('Available', 'False', 'NodeNotHealthy', NODE_DOWN), cond('Ready', 'False', 'NodeNotHealthy', NODE_DOWN), cond('UpToDate', 'True'), cond('InfrastructureReady', 'True')],
    });
    const tile = dashboard(page).locator('section[data-owner="demo-md-0"] .machine[data-key="machine:demo-md-0-0"]');
    await tile.filter({ hasText: 'not ready' }).waitFor({ timeout: 30_000 });
    assert.ok((await tile.innerText()).includes(NODE_DOWN), await tile.innerText());
    assert.notEqual(await dashboard(page).locator('body').getAttribute('data-updated'), before);
  });

  it('plans the upgrade in the embedded editor and applies it through the upgrade command\'s steps', async () => {
    const view = dashboard(page);
    await view.locator('#plan').click();
    await pick(page, 'What to upgrade', 'Control plane only');
    await type(page, 'Kubernetes version', 'v1.35.0');
    await page.keyboard.press('Enter');
    await type(page, 'DCS VM template', 'alaudaos-v4.4.0-x86');
    await page.keyboard.press('Enter');

    // The manifests the upgrade would apply, in Monaco with monaco-yaml, before anything changes.
    await view.locator('.plan-status', { hasText: 'create demo-cp-v1350 · patch demo-cp' }).waitFor({ timeout: 60_000 });
    await view.locator('#editor').scrollIntoViewIfNeeded();
    const lines = view.locator('#editor .view-lines');
    await lines.filter({ hasText: 'name: demo-cp-v1350' }).waitFor({ timeout: 30_000 });
    // Monaco renders spaces as non-breaking spaces: fold all white space before matching.
    assert.match((await lines.innerText()).replace(/\s+/g, ' '), /kind: DCSMachineTemplate .*copied-from: demo-cp-v1342/);
    assert.equal((await kcpSpec(plane)).version, 'v1.34.2', 'nothing changes before Apply');
    await page.screenshot({ path: join(screenshots, 'dashboard-planner.png') });

    // Apply: the dry run in the diff editor, the confirmation, then the patch on the server.
    await view.locator('#apply').click();
    await page.locator('.tabs-container .tab', { hasText: 'Upgrade demo' }).waitFor({ timeout: 60_000 });
    await clickNotification(page, 'Upgrade demo: 2 changes in the diff editor', 'Continue');
    await answerDialog(page, 'Upgrade demo on capi-dcs-lab?', 'Upgrade');
    await waitUntil('the KubeadmControlPlane on v1.35.0', async () => ((await kcpSpec(plane)).version === 'v1.35.0' ? true : undefined), 30_000);
    assert.equal((await kcpSpec(plane)).machineTemplate?.spec?.infrastructureRef?.name, 'demo-cp-v1350');
    const copy = await kubeRequest(loadKubeconfig(plane.kubeconfigPath), 'GET', `/apis/infrastructure.cluster.x-k8s.io/v1beta1/namespaces/${NS}/dcsmachinetemplates/demo-cp-v1350`);
    assert.match(copy.body, /"vmTemplateName":"alaudaos-v4\.4\.0-x86"/);
    // The dashboard follows: the control plane's spec moved on (its tab is behind the diff editor now).
    await page.locator('.tabs-container .tab', { hasText: 'Rollout: demo' }).click();
    await dashboard(page).locator('section[data-owner="demo-cp"] .owner-status', { hasText: 'v1.35.0' }).waitFor({ timeout: 30_000 });
  });
});
