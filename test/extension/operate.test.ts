// End to end: the operate commands from the command palette of the packaged extension in code-server, against
// the real local API server holding the example cluster. Apply shows a diff and creates the objects; a refused
// object becomes a diagnostic. Upgrade Cluster refuses a two-minor jump as it is typed; the accepted upgrade
// creates the new DCSMachineTemplates and re-points the control plane and the workers (checked on the server),
// and the write-back puts the same change into the workspace file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import type { ObjectApi } from '../../src/operate/objectApi';
import { launchChromium } from '../helpers/browser';
import { repoRoot, startCodeServer, type CodeServer } from '../helpers/codeServer';
import { waitUntil } from '../helpers/processes';
import { answerDialog, clickNotification, openFile, pick, runCommand, treeRow, type } from '../helpers/workbench';
import { applyExample, createMachines, objectApi } from '../integration/operateLab';
import { EXAMPLE_PATH, NS } from '../unit/operateFixtures';

const vsixPath = join(repoRoot, 'out', 'capi-dcs.vsix');
const KCP = { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlane', namespace: NS, name: 'lab-b-kcp' };
const CLUSTER = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', namespace: NS, name: 'lab-b' };
const MD = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', namespace: NS, name: 'lab-b-md-0' };

const POOL = (name: string, ip: string, disk: string): string => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: DCSIpHostnamePool
metadata:
  name: ${name}
  namespace: cpaas-system
spec:
  pool:
    - ip: ${ip}
      mask: "24"
      gateway: 127.0.11.1
      persistentDisk:
        - ${disk}
`;

const specOf = async (api: ObjectApi, ref: typeof KCP): Promise<Record<string, unknown>> => ((await api.get(ref))?.spec ?? {}) as Record<string, unknown>;

describe('operate commands in code-server against the real API server', () => {
  let plane: ManagementPlane;
  let api: ObjectApi;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  const workspace = mkdtempSync(join(tmpdir(), 'capi-dcs-e2e-operate-'));
  const manifest = join(workspace, 'lab-b.yaml');

  before(async () => {
    if (!existsSync(vsixPath)) {
      const built = spawnSync('npm', ['run', '-s', 'package'], { cwd: repoRoot, stdio: 'inherit' });
      assert.equal(built.status, 0, 'npm run package failed');
    }
    mkdirSync(join(repoRoot, 'out', 'test-results'), { recursive: true });
    copyFileSync(EXAMPLE_PATH, manifest);
    writeFileSync(join(workspace, 'extra.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: cpaas-system\ndata:\n  note: applied from code-server\n---\n${POOL('extra-pool', '127.0.11.31', '{slot: 0, quantityGB: 10, datastoreName: ds-1}')}`);
    writeFileSync(join(workspace, 'refused.yaml'), POOL('refused-pool', '127.0.11.41', '{slot: 0, quantityGB: 10, datastoreName: ds-1, datastoreClusterName: dsc-1}'));
    plane = await startManagementPlane({ crds: true });
    api = objectApi(plane.kubeconfigPath);
    await applyExample(api);
    await createMachines(api);
    server = await startCodeServer({
      vsixPath,
      // No KubeadmControlPlane controller runs in the lab: the workers move right after the control plane.
      settings: { 'capi-dcs.kubeconfig': plane.kubeconfigPath, 'capi-dcs.upgrade.waitForControlPlane': false, 'git.openRepositoryInParentFolders': 'never' },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(server.windowUrl(workspace));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    // The extension's contributions are in once its view container shows.
    await page.locator('.activitybar .action-item a[aria-label^="Cluster API (DCS)"]').waitFor({ timeout: 60_000 });
  });

  afterEach(async (t) => {
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', `operate-after-${t.name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
  });

  after(async () => {
    await browser.close();
    await server.stop();
    await plane.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('applies the open file after a dry run and a diff', async () => {
    await openFile(page, 'extra.yaml');
    await runCommand(page, 'CAPI DCS: Apply to Management Cluster');
    await page.locator('.tabs-container .tab', { hasText: 'Apply extra.yaml' }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', 'operate-apply-diff.png') });
    await clickNotification(page, 'Apply extra.yaml to capi-dcs-lab? 2 to create, 0 to change, 0 unchanged', 'Apply');
    await page.locator('.notification-toast', { hasText: 'Applied extra.yaml to capi-dcs-lab: 2 created' }).waitFor({ timeout: 30_000 });
    const pool = await api.get({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSIpHostnamePool', namespace: NS, name: 'extra-pool' });
    assert.ok(pool);
    assert.ok((pool.metadata.managedFields as { manager: string }[]).some((m) => m.manager === 'capi-dcs'));
    assert.ok(await api.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'extra' }));
  });

  it('shows a refused object at the field the API server names, and applies nothing', async () => {
    await openFile(page, 'refused.yaml');
    await runCommand(page, 'CAPI DCS: Apply to Management Cluster');
    // The language server saw the mistake first; the API server is asked anyway.
    await answerDialog(page, 'refused.yaml has 1 error (see Problems). Apply anyway?', 'Apply Anyway');
    await page.locator('.notification-toast', { hasText: 'the API server refuses DCSIpHostnamePool cpaas-system/refused-pool' }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'DCSIpHostnamePool refused-pool: spec.pool[0].persistentDisk[0]' });
    await problem.waitFor({ timeout: 10_000 });
    assert.match((await problem.textContent()) ?? '', /persistentDisk\[0\]: exactly one of datastoreName or datastoreClusterName must be set.*\[Ln 12, Col 11\]/);
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', 'operate-apply-refused.png') });
    assert.equal(await api.get({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSIpHostnamePool', namespace: NS, name: 'refused-pool' }), undefined);
    await page.keyboard.press('Control+Shift+M');
  });

  it('pauses and resumes the cluster from the explorer\'s context menu', async () => {
    // (Clicking the activity bar icon would close the view when it is open already.)
    await runCommand(page, 'Cluster API (DCS): Focus on Management Clusters View');
    await treeRow(page, 'lab-b').waitFor({ timeout: 60_000 });
    for (const [command, paused] of [['Pause Cluster', true], ['Resume Cluster', undefined]] as const) {
      await treeRow(page, 'lab-b').click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-menu-item', { hasText: command });
      await item.hover();
      await item.click();
      const dialog = page.locator('.monaco-dialog-box', { hasText: `${command.split(' ')[0] ?? ''} reconciliation of Cluster lab-b` });
      await dialog.waitFor({ timeout: 30_000 });
      await dialog.locator('.monaco-button', { hasText: 'Apply' }).click();
      await waitUntil(`the Cluster ${paused ? 'paused' : 'resumed'}`, async () => ((await specOf(api, CLUSTER)).paused === paused ? true : undefined), 30_000);
      // The menu offers Pause or Resume from the item's context value: wait for the watch to reach the tree.
      const row = treeRow(page, 'lab-b');
      await waitUntil(`the tree shows lab-b ${paused ? 'paused' : 'resumed'}`, async () => (/\bpaused\b/.test((await row.textContent()) ?? '') === Boolean(paused) ? true : undefined), 30_000);
    }
  });

  it('refuses a control plane jump of two minors while the version is typed', async () => {
    await runCommand(page, 'CAPI DCS: Upgrade Cluster…');
    await pick(page, 'What to upgrade', 'Control plane only');
    await type(page, 'Kubernetes version', 'v1.36.0');
    await page.locator('.quick-input-message', { hasText: 'one minor at a time: from v1.34.5-3 the next is v1.35.x' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    // Enter does nothing while the input is invalid: the box stays open.
    await page.locator('.quick-input-message', { hasText: 'one minor at a time' }).waitFor();
    await page.keyboard.press('Escape');
    assert.equal((await specOf(api, KCP)).version, 'v1.34.5-3');
  });

  it('upgrades the control plane and the workers from the palette and writes the change back', async () => {
    await runCommand(page, 'CAPI DCS: Upgrade Cluster…');
    await pick(page, 'What to upgrade', 'Control plane, then workers');
    await type(page, 'Kubernetes version', 'v1.35.2-1');
    await page.keyboard.press('Enter');
    await type(page, 'DCS VM template', 'alaudaos-v4.4.0-x86');
    await page.keyboard.press('Enter');

    // The dry run opens in the diff editor; the notification waits while the diff is read.
    await page.locator('.tabs-container .tab', { hasText: 'Upgrade lab-b' }).waitFor({ timeout: 60_000 });
    await page.locator('.monaco-diff-editor .view-lines', { hasText: 'vmTemplateName: alaudaos-v4.4.0-x86' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', 'operate-upgrade-diff.png') });
    await clickNotification(page, 'Upgrade lab-b: 4 changes in the diff editor', 'Continue');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = ((await dialog.textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(text, /lab-b-kcp-7x2lq, lab-b-kcp-9fk3d, lab-b-kcp-q8w2m will be replaced one by one/);
    assert.match(text, /deleted together with its system disk/);
    assert.match(text, /Pool lab-b-cp-pool declares persistent disks \(\/var\/cpaas\)/);
    assert.equal(await api.get({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSMachineTemplate', namespace: NS, name: 'lab-b-cp-k8s1352' }), undefined, 'nothing changes before the confirmation');
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', 'operate-upgrade-confirm.png') });
    await dialog.locator('.monaco-button', { hasText: 'Upgrade' }).click();

    await clickNotification(page, 'Write the upgrade of lab-b into lab-b.yaml', 'Write to Files');
    await waitUntil('the KubeadmControlPlane on v1.35.2-1', async () => ((await specOf(api, KCP)).version === 'v1.35.2-1' ? true : undefined), 30_000);
    const kcp = await specOf(api, KCP);
    assert.deepEqual((kcp.machineTemplate as { spec: { infrastructureRef: { name: string } } }).spec.infrastructureRef.name, 'lab-b-cp-k8s1352');
    const md = (await specOf(api, MD)).template as { spec: { version: string; infrastructureRef: { name: string } } };
    assert.deepEqual([md.spec.version, md.spec.infrastructureRef.name], ['v1.35.2-1', 'lab-b-wk-k8s1352']);
    for (const name of ['lab-b-cp-k8s1352', 'lab-b-wk-k8s1352']) {
      const t = await api.get({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSMachineTemplate', namespace: NS, name });
      assert.equal((t?.spec as { template: { spec: { vmTemplateName: string } } } | undefined)?.template.spec.vmTemplateName, 'alaudaos-v4.4.0-x86');
    }

    await waitUntil('the workspace file to hold the upgrade', () => (readFileSync(manifest, 'utf8').includes('name: lab-b-wk-k8s1352') ? true : undefined), 30_000);
    const written = readFileSync(manifest, 'utf8');
    assert.match(written, /version: v1\.35\.2-1/);
    assert.match(written, /name: lab-b-cp-k8s1352\n/);
    assert.ok(!written.includes('version: v1.34.5-3'));
  });
});
