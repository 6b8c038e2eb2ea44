// End to end: Start DCS Provider on a management cluster that has no DCS CRDs yet. From the palette of the
// packaged extension in code-server: pick the context, confirm the non-kind warning, accept "Install" on the
// notification; the CRDs arrive intact (with the list types their CEL rules need) and the controller starts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { KubeClient } from '../../src/controller/runtime/kubeClient';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { launchChromium } from '../helpers/browser';
import { repoRoot, startCodeServer, type CodeServer } from '../helpers/codeServer';
import { processesOf, waitUntil } from '../helpers/processes';
import { answerDialog, clickNotification, openWorkbench, pick, runCommand } from '../helpers/workbench';

const vsixPath = join(repoRoot, 'out', 'capi-dcs.vsix');
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const DCS_CRDS = ['dcsclusters', 'dcsiphostnamepools', 'dcsmachines', 'dcsmachinetemplates'].map((p) => `${p}.infrastructure.cluster.x-k8s.io`);

interface Crd {
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] };
}

describe('Start DCS Provider on a management cluster without the DCS CRDs', () => {
  let plane: ManagementPlane;
  let admin: KubeClient;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  const workspace = mkdtempSync(join(tmpdir(), 'capi-dcs-e2e-install-'));

  before(async () => {
    if (!existsSync(vsixPath)) {
      const built = spawnSync('npm', ['run', '-s', 'package'], { cwd: repoRoot, stdio: 'inherit' });
      assert.equal(built.status, 0, 'npm run package failed');
    }
    cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    plane = await startManagementPlane({ crds: false });
    admin = await KubeClient.create({ kubeconfig: plane.kubeconfigPath, qps: 50, burst: 50 });
    server = await startCodeServer({ vsixPath, settings: { 'capi-dcs.kubeconfig': plane.kubeconfigPath, 'git.openRepositoryInParentFolders': 'never' } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await openWorkbench(page, server.windowUrl(workspace));
    await page.locator('.activitybar .action-item a[aria-label^="Cluster API (DCS)"]').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', 'provider-install-after.png') }).catch(() => undefined);
    await browser.close();
    await server.stop();
    admin.close();
    await plane.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('offers to install the CRDs, installs them intact, then starts the controller', async () => {
    await assert.rejects(admin.request('GET', `${CRD_PATH}/${DCS_CRDS[2] ?? ''}`), /404|not found/i, 'no DCS CRDs before');

    await runCommand(page, 'CAPI DCS: Start DCS Provider Locally');
    await pick(page, 'Start the DCS provider against which management cluster?', 'capi-dcs-lab');
    await answerDialog(page, 'capi-dcs-lab is not a kind cluster', 'Start Anyway');
    await clickNotification(page, 'capi-dcs-lab has no DCS CRDs', 'Install');

    await waitUntil('the controller process', () => (processesOf(server.extensionsDir, 'controller.js').length === 1 ? true : undefined), 60_000);
    for (const name of DCS_CRDS) {
      const crd = await admin.request<Crd>('GET', `${CRD_PATH}/${name}`);
      assert.ok(crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'), `${name} Established`);
    }
    // The pool CRD's CEL transition rules need its list types; the server refused the CRD when they were dropped.
    const pool = await admin.request('GET', `${CRD_PATH}/dcsiphostnamepools.infrastructure.cluster.x-k8s.io`);
    assert.match(JSON.stringify(pool), /"x-kubernetes-list-type":"map"/);
    // The CRDs serve objects: the controller can list them.
    await admin.request('GET', '/apis/infrastructure.cluster.x-k8s.io/v1beta1/dcsmachines');

    await runCommand(page, 'CAPI DCS: Stop DCS Provider');
    await waitUntil('no controller process', () => (processesOf(server.extensionsDir, 'controller.js').length === 0 ? true : undefined), 30_000);
  });
});
