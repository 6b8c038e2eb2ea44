// The browser playground in Chromium: `npm run playground`'s static page (Monaco + monaco-yaml with the
// catalog's combined schema) marks an invalid DCS field and completes DCS fields, loads nothing from
// outside its own origin and breaks none of its Content-Security-Policy. The screenshot goes to
// media/screenshots/playground.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { PLAYGROUND_CSP, playgroundDir, startPlayground, type Playground } from '../../src/lab/playground';
import { launchChromium } from '../helpers/browser';
import { repoRoot } from '../helpers/codeServer';

const screenshots = join(repoRoot, 'media', 'screenshots');

/** A DCSMachineTemplate with one misspelt field (vmTemplateNam) inside spec.template.spec. */
const TEMPLATE = `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: DCSMachineTemplate
metadata:
  name: demo-md-0-k8s1352
  namespace: fleet
spec:
  template:
    spec:
      vmTemplateNam: alaudaos-v4.3.2-x86
      ipHostPoolRef: {name: demo-worker-pool}
      vmConfig:
        dvSwitchName: dvs-lab
        portGroupName: pg-k8s
        dcsMachineCpuSpec: {quantity: 4}
        dcsMachineMemorySpec: {quantity: 8192}
`;

/** Replaces the editor's text by a paste (typed newlines would be auto-indented). */
async function setText(page: Page, text: string): Promise<void> {
  const input = page.locator('#editor .monaco-editor textarea');
  await input.focus();
  await page.keyboard.press('Control+A');
  // A string: this file is type-checked without the DOM library.
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/plain', ${JSON.stringify(text)});
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  })()`);
}

describe('browser playground (Monaco + monaco-yaml) in Chromium', () => {
  let playground: Playground;
  let browser: Browser;
  let page: Page;
  const remote: string[] = [];
  const cspViolations: string[] = [];

  before(async () => {
    if (!existsSync(join(playgroundDir(), 'index.html'))) {
      const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
      assert.equal(built.status, 0, 'npm run build failed');
    }
    mkdirSync(screenshots, { recursive: true });
    playground = await startPlayground();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!['blob:', 'data:'].includes(url.protocol) && url.hostname !== '127.0.0.1') remote.push(request.url());
    });
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
    });
    await page.goto(playground.url);
    await page.locator('body[data-ready]').waitFor({ state: 'attached', timeout: 60_000 });
    assert.equal(await page.locator('body').getAttribute('data-ready'), 'true', await page.locator('#status').innerText());
  });

  afterEach(async (t) => {
    await page.screenshot({ path: join(repoRoot, 'out', 'test-results', `playground-after-${t.name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
  });

  after(async () => {
    await browser.close().catch(() => undefined);
    await playground.close();
  });

  it('serves the example cluster with no problems', async () => {
    await page.locator('#status', { hasText: 'No problems' }).waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#editor .view-lines').innerText(), /kind:\s*DCSIpHostnamePool/);
  });

  it('marks an unknown field of a DCSMachineTemplate', async () => {
    await setText(page, TEMPLATE);
    const problem = page.locator('#problems .problem', { hasText: 'Property vmTemplateNam is not allowed' });
    await problem.waitFor({ timeout: 30_000 });
    assert.match(await problem.innerText(), /^9:7\b/, 'the marker sits on the misspelt key (line 9, column 7)');
    // The required field it was meant to be is missing too; nothing else is wrong.
    const all = await page.locator('#problems .problem').allInnerTexts();
    assert.deepEqual(all.map((p) => p.replace(/\s+/g, ' ')).sort(), ['8:5 Missing property "vmTemplateName".', '9:7 Property vmTemplateNam is not allowed.']);
    await page.locator('#editor .squiggly-warning').first().waitFor();
  });

  it('completes the fields of spec.template.spec of a DCSMachineTemplate', async () => {
    await setText(page, TEMPLATE.replace('vmTemplateNam:', 'vmTemplateName:'));
    await page.locator('#status', { hasText: 'No problems' }).waitFor({ timeout: 30_000 });
    // A new key under spec.template.spec (after "ipHostPoolRef: {...}", line 10).
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget .monaco-list-row');
    await suggestions.first().waitFor({ timeout: 30_000 });
    const labels = await suggestions.allInnerTexts();
    for (const field of ['location', 'providerID', 'vmUrn']) {
      assert.ok(labels.some((l) => l.includes(field)), `${field} offered: ${labels.join(' | ')}`);
    }
    assert.ok(!labels.some((l) => /\b(vmConfig|vmTemplateName)\b/.test(l)), `fields already set are not offered again: ${labels.join(' | ')}`);
    await page.screenshot({ path: join(screenshots, 'playground.png') });
    await page.keyboard.press('Escape');
  });

  it('serves its own static files only, each with the Content-Security-Policy', async () => {
    const index = await fetch(playground.url);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-security-policy'), PLAYGROUND_CSP);
    assert.ok((await index.text()).includes(`content="${PLAYGROUND_CSP}"`), 'the page carries the same policy in a meta tag');
    for (const path of ['%2e%2e/package.json', '..%2fpackage.json', 'missing.js']) {
      assert.equal((await fetch(`${playground.url}${path}`)).status, 404, path);
    }
    assert.equal((await fetch(playground.url, { method: 'POST' })).status, 405);
  });

  it('loaded nothing from outside 127.0.0.1 and broke no CSP rule', () => {
    assert.deepEqual(remote, []);
    assert.deepEqual(cspViolations, []);
  });
});
