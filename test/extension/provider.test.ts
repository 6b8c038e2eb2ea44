// End to end: the DCS provider launched from VS Code. The real local API server holds a workload cluster
// whose credentials Secret does not point at any DCS yet, and a Machine + DCSMachine + bootstrap Secret as
// Cluster API core would create them. From the command palette of the packaged extension in code-server:
// start the DCS simulator, point the cluster at it (the button on the simulator's notification), start the
// DCS provider (pick the context, confirm the non-kind warning); the DCSMachine turns ready in the explorer.
// Both are stopped from the palette at the end, and no process of theirs is left.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { KubeClient } from '../../src/controller/runtime/kubeClient';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { launchChromium } from '../helpers/browser';
import { repoRoot, startCodeServer, type CodeServer } from '../helpers/codeServer';
import { processesOf, waitUntil } from '../helpers/processes';
import { answerDialog, openWorkbench, pick, runCommand, treeRow } from '../helpers/workbench';
import { entry, LabObjects } from '../integration/controllerObjects';

const vsixPath = join(repoRoot, 'out', 'capi-dcs.vsix');
const NS = 'cpaas-system';
const MACHINE = 'lab-cp-1';

describe('the DCS provider and simulator launched from the command palette', () => {
  let plane: ManagementPlane;
  let admin: KubeClient;
  let objects: LabObjects;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let simUrl = '';
  const workspace = mkdtempSync(join(tmpdir(), 'capi-dcs-e2e-provider-'));

  before(async () => {
    if (!existsSync(vsixPath)) {
      const built = spawnSync('npm', ['run', '-s', 'package'], { cwd: repoRoot, stdio: 'inherit' });
      assert.equal(built.status, 0, 'npm run package failed');
    }
    mkdirSync(join(repoRoot, 'out', 'test-results'), { recursive: true });
    cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    plane = await startManagementPlane({ crds: true });
    admin = await KubeClient.create({ kubeconfig: plane.kubeconfigPath, qps: 50, burst: 50 });
    await admin.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
    objects = new LabObjects(admin, NS);
    // The credentials still name a DCS that is not there: the user points the cluster at the simulator.
    await objects.createCluster('https://127.0.0.1:9');
    await objects.createPool('lab-cp-pool', [entry(1)]);
    await objects.createMachine(MACHINE, 'lab-cp-pool');
    server = await startCodeServer({ vsixPath, settings: { 'capi-dcs.kubeconfig': plane.kubeconfigPath, 'git.openRepositoryInParentFolders': 'never' } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openWorkbench(page, server.windowUrl(workspace));
    await page.locator('.activitybar .action-item a[aria-label^="Cluster API (DCS)"]').waitFor({ timeout: 60_000 });
  });

  afterEach(async (t) => {
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', `provider-after-${t.name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
  });

  after(async () => {
    await browser.close();
    await server.stop();
    admin.close();
    await plane.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('starts the simulator and points the cluster at it from its notification', async () => {
    await runCommand(page, 'CAPI DCS: Start DCS Simulator');
    const toast = page.locator('.notification-toast', { hasText: 'DCS simulator at http://127.0.0.1:' });
    await toast.waitFor({ timeout: 60_000 });
    simUrl = /http:\/\/127\.0\.0\.1:\d+/.exec((await toast.textContent()) ?? '')?.[0] ?? '';
    assert.match(simUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(((await (await fetch(`${simUrl}/sim/health`)).json()) as { site: string }).site, 'SIM0001A');
    assert.equal(processesOf(server.extensionsDir, 'simulator.js').length, 1, 'one simulator process, run from the installed extension');

    await toast.locator('.monaco-button', { hasText: 'Point a Cluster at It…' }).click();
    await pick(page, 'Point a DCSCluster of which management cluster', 'capi-dcs-lab');
    await pick(page, 'Point which DCSCluster at the DCS simulator?', 'lab');
    await answerDialog(page, `Point DCSCluster ${NS}/lab at the DCS simulator?`, 'Point at Simulator');
    await page.locator('.notification-toast', { hasText: `DCSCluster ${NS}/lab now uses the DCS simulator at ${simUrl}` }).waitFor({ timeout: 30_000 });

    const secret = await admin.get<{ data: Record<string, string> }>(objects.path('secrets', 'lab-dcs'));
    const plain = (key: string): string => Buffer.from(secret.data[key] ?? '', 'base64').toString('utf8');
    assert.deepEqual([plain('endpoint'), plain('authUser'), plain('site')], [simUrl, 'capi-sim', 'SIM0001A']);
    assert.ok(plain('authKey').length > 0);
  });

  it('starts the provider against the picked context after the non-kind warning; the DCSMachine turns ready in the explorer', async () => {
    await runCommand(page, 'CAPI DCS: Start DCS Provider Locally');
    await pick(page, 'Start the DCS provider against which management cluster?', 'capi-dcs-lab');
    await answerDialog(page, 'capi-dcs-lab is not a kind cluster', 'Start Anyway');
    await waitUntil('the controller process', () => (processesOf(server.extensionsDir, 'controller.js').length === 1 ? true : undefined), 30_000);
    await page.locator('.statusbar-item', { hasText: 'DCS provider (capi-dcs-lab)' }).waitFor({ timeout: 30_000 });

    const dm = await waitUntil('the DCSMachine ready on the server', async () => {
      const got = await objects.dcsMachine(MACHINE);
      return got?.status?.ready === true ? got : undefined;
    }, 120_000);
    assert.equal(dm.spec.providerID, `dcs://${MACHINE}`);

    await runCommand(page, 'Cluster API (DCS): Focus on Management Clusters View');
    await treeRow(page, 'lab').waitFor({ timeout: 60_000 });
    await treeRow(page, 'lab').click();
    await treeRow(page, 'Other machines').click();
    // The Machine row and, once it is expanded, its DCSMachine row (same name, as Cluster API names them).
    await treeRow(page, MACHINE).click();
    const dcsRow = page.locator('.part.sidebar .monaco-list-row', { hasText: 'VM running' }).filter({ hasText: MACHINE });
    await dcsRow.waitFor({ timeout: 60_000 });
    const text = ((await dcsRow.textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`${MACHINE}ready · VM running · host CNA-0\\d · 127\\.0\\.12\\.11`));
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', 'provider-machine-ready.png') });
  });

  it('stops the provider and the simulator from the palette and leaves no process behind', async () => {
    await runCommand(page, 'CAPI DCS: Stop DCS Provider');
    await runCommand(page, 'CAPI DCS: Stop DCS Simulator');
    for (const script of ['controller.js', 'simulator.js']) {
      await waitUntil(`no ${script} process`, () => (processesOf(server.extensionsDir, script).length === 0 ? true : undefined), 30_000);
    }
    const refused = await fetch(`${simUrl}/sim/health`).then(
      () => false,
      () => true,
    );
    assert.ok(refused, 'the simulator port is closed');
    await page.locator('.statusbar-item', { hasText: 'DCS provider' }).waitFor({ state: 'detached', timeout: 30_000 });
  });
});
