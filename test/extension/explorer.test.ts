// End to end: the packaged extension in code-server shows a cluster that lives in the real local API server,
// mid-rollout (a MachineDeployment with 1 of 3 Machines new and an old one being deleted), and the
// status bar counts the rollout. The screenshot goes to media/screenshots/rollout.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { launchChromium } from '../helpers/browser';
import { treeRow } from '../helpers/workbench';
import { repoRoot, startCodeServer, type CodeServer } from '../helpers/codeServer';
import { applyAll, deleteObject, ensureNamespace, kubeRequest, loadKubeconfig } from '../integration/explorerLab';
import { clusterScenario, cond } from '../unit/explorerFixtures';

const vsixPath = join(repoRoot, 'out', 'capi-dcs.vsix');
const workspace = join(repoRoot, 'test', 'fixtures', 'workspace');
const screenshots = join(repoRoot, 'media', 'screenshots');
const NS = 'fleet';
const STUCK_MINUTES = 0.75;
const BLOCKED_BY = 'Scaling up MachineSet demo-md-0-v2 to 2 replicas: Machine demo-md-0-3 waits for InfrastructureReady (DCS quota exceeded on host-1)';

/** Drags the sash right of the side bar so descriptions are readable in the screenshot. */
async function widenSidebar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}

describe('cluster explorer in code-server against the real API server', () => {
  let plane: ManagementPlane;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;

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
    // The old Machine being replaced: a finalizer keeps it while it is deleted.
    const replaced = objects.find((o) => o.kind === 'Machine' && o.metadata.name === 'demo-md-0-2');
    assert.ok(replaced);
    replaced.metadata.finalizers = ['test.capi-dcs/hold'];
    // What holds the rollout up, as CAPI's MachineSet controller would say it.
    const md = objects.find((o) => o.kind === 'MachineDeployment');
    assert.ok(md?.status);
    md.status.conditions = [cond('Available', 'True'), cond('RollingOut', 'True', 'RollingOut', 'Rolling out 2 not up-to-date replicas'), cond('ScalingUp', 'True', 'ScalingUp', BLOCKED_BY)];
    await applyAll(admin, objects);
    await deleteObject(admin, replaced);
    server = await startCodeServer({
      vsixPath,
      // 45 s without progress count as stuck: long enough for the rollout pictures, short enough for the test.
      settings: { 'capi-dcs.kubeconfig': plane.kubeconfigPath, 'capi-dcs.explorer.rolloutStuckMinutes': STUCK_MINUTES, 'git.openRepositoryInParentFolders': 'never' },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1000 } });
  });

  afterEach(async (t) => {
    // A picture of the workbench after each test: when one fails it says more than a selector timeout.
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', `explorer-after-${t.name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
  });

  after(async () => {
    await browser.close();
    await server.stop();
    // Let the held Machine go, then stop the plane.
    const admin = loadKubeconfig(plane.kubeconfigPath);
    await kubeRequest(admin, 'PATCH', `/apis/cluster.x-k8s.io/v1beta2/namespaces/${NS}/machines/demo-md-0-2`, {
      type: 'application/merge-patch+json',
      data: JSON.stringify({ metadata: { finalizers: null } }),
    }).catch(() => undefined);
    await plane.stop();
  });

  it('shows the cluster, its control plane and a machine deployment with rollout progress', async () => {
    await page.goto(server.windowUrl(workspace));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar .action-item a[aria-label^="Cluster API (DCS)"]').click();
    await widenSidebar(page, 700);
    const row = (label: string) => treeRow(page, label);

    // The current context opens by itself and connects.
    await row('capi-dcs-lab').waitFor({ timeout: 60_000 });
    await row('demo').waitFor({ timeout: 30_000 });
    assert.match((await row('demo').textContent()) ?? '', /fleet · v1\.34\.2 · Provisioned · ready/);
    await row('demo').click();
    await row('Control plane').waitFor();
    assert.match((await row('Control plane').textContent()) ?? '', /demo-cp · 3 ready · 3 updated \/ 3 · v1\.34\.2 · rolled out/);
    await row('Machine deployments').click();
    await row('demo-md-0').waitFor();
    assert.match((await row('demo-md-0').textContent()) ?? '', /1 updated · .* rolling out 33%/);

    // A deployment in a rollout opens by itself: the rollout row, old and new Machines.
    await row('Rollout 33%').waitFor();
    assert.match((await row('Rollout 33%').textContent()) ?? '', /1 new · 2 old · 33% · replacing demo-md-0-2/);
    assert.match((await row('demo-md-0-0').textContent()) ?? '', /new · Running · v1\.34\.2 · demo-md-0-0 · 127\.0\.10\.13/);
    assert.match((await row('demo-md-0-1').textContent()) ?? '', /old · Running · v1\.33\.5/);
    assert.match((await row('demo-md-0-2').textContent()) ?? '', /old · Deleting/);

    const status = page.locator('.statusbar-item', { hasText: '1 rollout' });
    await status.waitFor({ timeout: 20_000 });

    await row('Rollout 33%').hover();
    await page.locator('.monaco-hover', { hasText: 'Rolling out' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', 'explorer-rollout-tooltip.png') });
    await page.mouse.move(1200, 600);
  });

  it('opens the describe view of the cluster from the tree', async () => {
    await treeRow(page, 'demo').click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-menu-item', { hasText: 'Describe Cluster' });
    await item.hover();
    await item.click();
    const editor = page.locator('.editor-instance .view-lines');
    await editor.filter({ hasText: 'MachineDeployment/demo-md-0' }).waitFor({ timeout: 20_000 });
    const text = ((await editor.textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(text, /rolling out MachineDeployment\/demo-md-0: 1 new · 2 old · 33%/);
    assert.match(text, /ControlPlane - KubeadmControlPlane\/demo-cp/);
    // The picture for the README: the tree mid-rollout, the describe view and the status-bar item.
    await page.screenshot({ path: join(screenshots, 'rollout.png') });
  });

  it('opens the live YAML of the cluster, read-only and without managedFields', async () => {
    await treeRow(page, 'demo').click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-menu-item', { hasText: 'Open Live Object (Read-Only YAML)' });
    await item.hover();
    await item.click();
    const editor = page.locator('.editor-instance .monaco-editor', { hasText: 'kind: Cluster' });
    await editor.waitFor({ timeout: 20_000 });
    // The rendered lines (Monaco indents with non-breaking spaces).
    const lines = async () => (await editor.locator('.view-line').allTextContents()).map((l) => l.replace(/\u00a0/g, ' '));
    const before = await lines();
    assert.ok(before.includes('kind: Cluster'), before.join('\n'));
    assert.ok(before.includes('  name: demo') && before.includes('  namespace: fleet'), before.join('\n'));
    // spec: follows the whole of metadata on screen, so managedFields would show if they were there.
    assert.ok(before.includes('spec:'), before.join('\n'));
    assert.ok(!before.some((l) => /^\s*managedFields:/.test(l)), before.join('\n'));
    // Typing changes nothing: the editor says it is read-only.
    await editor.locator('.view-lines').click();
    await page.keyboard.type('zz');
    await page.locator('.monaco-editor-overlaymessage', { hasText: 'Cannot edit in read-only editor' }).waitFor({ timeout: 10_000 });
    assert.deepEqual(await lines(), before);
  });

  it('reports a rollout without progress once, with the condition that blocks it', async () => {
    // Nothing moves: STUCK_MINUTES after the explorer first saw the rollout, it is reported as stuck.
    const toast = page.locator('.notification-toast', { hasText: 'Rollout stuck: MachineDeployment fleet/demo-md-0' });
    await toast.waitFor({ timeout: STUCK_MINUTES * 60_000 + 20_000 });
    const text = ((await toast.textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(text, /1 new · 2 old · 33%/);
    assert.ok(text.includes(`ScalingUp: ${BLOCKED_BY}`), text);
    await page.locator('.statusbar-item', { hasText: '1 rollout, 1 stuck' }).waitFor({ timeout: 10_000 });
    // The tree re-renders a moment after the status bar: wait for the row rather than read it once.
    await treeRow(page, 'demo-md-0').filter({ hasText: /stuck 33%/ }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(screenshots, 'rollout-stuck.png') });
    assert.equal(await page.locator('.notification-toast', { hasText: 'Rollout stuck' }).count(), 1, 'one notification per stall');
  });
});
