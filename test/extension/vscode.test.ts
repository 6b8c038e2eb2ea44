// The extension in a real VS Code: code-server from npm, driven by Debian's Chromium.
// The VSIX is installed the way a user installs it; the extension-host suite runs in a second window.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { repoRoot, startCodeServer, type CodeServer } from '../helpers/codeServer';
import { waitUntil } from '../helpers/processes';
import { openFile, openWorkbench, runCommand } from '../helpers/workbench';

const vsixPath = join(repoRoot, 'out', 'capi-dcs.vsix');
const fixtureWorkspace = join(repoRoot, 'test', 'fixtures', 'workspace');
const kubeconfig = join(repoRoot, 'test', 'fixtures', 'kubeconfig-two-contexts.yaml');
const hostResults = join(repoRoot, 'out', 'test-results', 'extension-host.json');
const screenshots = join(repoRoot, 'media', 'screenshots');
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

describe('VS Code (code-server) with the packaged extension', () => {
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  // The editor may save what the tests type: work on a copy of the fixture workspace.
  const workspace = mkdtempSync(join(tmpdir(), 'capi-dcs-e2e-workspace-'));

  before(async () => {
    if (!existsSync(vsixPath)) {
      const built = spawnSync('npm', ['run', '-s', 'package'], { cwd: repoRoot, stdio: 'inherit' });
      assert.equal(built.status, 0, 'npm run package failed');
    }
    rmSync(hostResults, { force: true });
    cpSync(fixtureWorkspace, workspace, { recursive: true });
    mkdirSync(screenshots, { recursive: true });
    server = await startCodeServer({
      vsixPath,
      settings: { 'capi-dcs.kubeconfig': kubeconfig },
      env: { CAPI_DCS_TEST_RESULTS: hostResults },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  });

  afterEach(async (t) => {
    // A picture of the workbench after each UI test: when one fails it says more than a selector timeout.
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', `after-${t.name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
  });

  after(async () => {
    await browser.close();
    await server.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('installs from the VSIX with only what runs', () => {
    const folder = readdirSync(server.extensionsDir).find((name) => name.startsWith(`capi-dcs.capi-dcs-${version}`));
    assert.ok(folder, `the VSIX should install into ${server.extensionsDir}`);
    const installed = readdirSync(join(server.extensionsDir, folder));
    const lower = installed.map((name) => name.toLowerCase());
    for (const expected of ['package.json', 'dist', 'snippets', 'readme.md']) assert.ok(lower.includes(expected), `${expected} missing`);
    for (const unwanted of ['src', 'server', 'webview', 'test', 'node_modules', 'tsconfig.json', 'scripts']) {
      assert.ok(!installed.includes(unwanted), `${unwanted} must not be packaged`);
    }
    // schemas/: only the CRDs (installed by Start DCS Provider) and the .capi-dcs.yaml schema; the generator's
    // input, the examples and the core schemas (compiled into the bundles) stay out.
    assert.deepEqual(readdirSync(join(server.extensionsDir, folder, 'schemas')).sort(), ['capi-dcs-config.schema.json', 'crds']);
    const dist = readdirSync(join(server.extensionsDir, folder, 'dist'));
    assert.ok(dist.includes('extension.js') && dist.includes('server.js'));
    assert.ok(!dist.some((f) => f.endsWith('.map') || f.endsWith('.vsix')), `no source maps or VSIX in dist: ${dist.join(', ')}`);
    // The dashboard's page and Monaco's workers; the playground (static site, schema.json) stays out.
    const webview = readdirSync(join(server.extensionsDir, folder, 'dist', 'webview'));
    for (const expected of ['dashboard.js', 'dashboard.css', 'editor.worker.js', 'yaml.worker.js']) assert.ok(webview.includes(expected), `dist/webview/${expected} missing`);
    assert.ok(!webview.some((f) => f.endsWith('.map') || f.startsWith('playground') || f.endsWith('.html')), `only what the dashboard runs: ${webview.join(', ')}`);
  });

  it('shows its view container and the management clusters from the kubeconfig', async () => {
    await openWorkbench(page, server.windowUrl(workspace));
    const icon = page.locator('.activitybar .action-item a[aria-label^="Cluster API (DCS)"]');
    await icon.waitFor({ timeout: 60_000 });
    await icon.click();
    // With a single view in the container VS Code hides the view's header; the tree itself is the proof.
    const rows = page.locator('.part.sidebar .monaco-list-row');
    await rows.filter({ hasText: 'lab-admin' }).waitFor();
    await rows.filter({ hasText: 'kind-capi-mgmt' }).waitFor();
    assert.match((await rows.filter({ hasText: 'lab-admin' }).textContent()) ?? '', /127\.0\.0\.1:1/);
    await page.screenshot({ path: join(screenshots, 'explorer.png') });
  });

  it('runs a command from the palette: the log shows this version activated from the VSIX', async () => {
    await runCommand(page, 'CAPI DCS: Show Log');
    const output = page.locator('.part.panel .view-lines');
    await waitUntil(
      'the activation line in the CAPI DCS log',
      async () => {
        // Monaco renders spaces as non-breaking spaces; fold all white space before matching.
        const text = ((await output.textContent()) ?? '').replace(/\s+/g, ' ');
        return text.includes(`CAPI DCS ${version} activated in VS Code 1.100`) ? true : undefined;
      },
      30_000,
    );
  });

  it('shows a manifest error in the Problems panel with its line and column', async () => {
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const problems = page.locator('.markers-panel');
    await problems.waitFor();
    await openFile(page, 'broken-pool.yaml');
    const row = problems.locator('.monaco-list-row', { hasText: 'Flow map in block collection' });
    await row.waitFor({ timeout: 30_000 });
    const text = ((await row.textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(text, /\[Ln 9, Col 1\]/, 'the error is at the end of the unclosed flow map (line 9)');
    assert.match(text, /yaml-syntax/);
    await page.screenshot({ path: join(screenshots, 'problems.png') });
  });

  it('completes DCS fields inside a DCSMachineTemplate spec', async () => {
    await openFile(page, 'machine-template.yaml');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor();
    await editor.locator('.view-lines').click();
    // Line 16 is the empty line after the disk list, inside spec.template.spec: type a new key there.
    await page.keyboard.press('Control+G');
    await page.keyboard.type('16');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.insertText('      loc');
    await page.keyboard.press('Control+Space');
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'location' });
    await suggestion.waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(screenshots, 'completion.png') });
    await page.keyboard.press('Escape');
    await runCommand(page, 'File: Revert File');
  });

  it('passes the extension-host suite inside VS Code', async (t) => {
    const suite = join(repoRoot, 'out', 'test', 'suite.js');
    assert.ok(existsSync(suite), `${suite} is built by npm run build`);
    const devPage = await browser.newPage();
    try {
      await devPage.goto(server.windowUrl(workspace, { extensionPath: repoRoot, testsPath: suite }));
      await waitUntil('extension-host results', () => (existsSync(hostResults) ? true : undefined), 300_000, 500);
    } finally {
      await devPage.close();
    }
    const { results } = JSON.parse(readFileSync(hostResults, 'utf8')) as { results: { name: string; ok: boolean; error?: string }[] };
    assert.ok(results.length >= 5, `expected the whole suite, got ${results.length} results`);
    for (const r of results) {
      await t.test(`[extension host] ${r.name}`, () => {
        if (!r.ok) throw new Error(r.error ?? 'failed');
      });
    }
  });
});
