// The README's first command as a newcomer runs it: the demo starts, prints a URL, the explorer in that
// VS Code shows the example cluster from the local management plane, and Ctrl-C leaves nothing behind.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { isAlive } from '../../src/lab/processes';
import { launchChromium } from '../helpers/browser';
import { repoRoot } from '../helpers/codeServer';
import { waitUntil } from '../helpers/processes';

describe('the demo command', () => {
  let demo: ChildProcessWithoutNullStreams;
  let output = '';
  let browser: Browser;
  const demoDirsBefore = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('capi-dcs-demo-')));

  before(async () => {
    // Exactly the README's first command (with a free port instead of 8080).
    demo = spawn('bash', [join(repoRoot, 'scripts', 'demo.sh'), '--port', '0'], { cwd: repoRoot, detached: true });
    demo.stdout.on('data', (b: Buffer) => (output += b.toString()));
    demo.stderr.on('data', (b: Buffer) => (output += b.toString()));
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    if (demo.exitCode === null && demo.pid) process.kill(-demo.pid, 'SIGKILL');
  });

  it('prints the URL, its start time and what to try', async () => {
    await waitUntil('the demo URL', () => (/\[demo\] open http:\/\/127\.0\.0\.1:\d+\//.test(output) ? true : undefined), 240_000, 500).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${output}`);
    });
    assert.match(output, /\[demo\] management plane ready in \d+\.\d s/);
    assert.match(output, /\[demo\] ready in \d+\.\d s/);
    assert.match(output, /\[demo\] try: /);
  });

  it('shows the example cluster from the management plane in the explorer', async () => {
    const url = /\[demo\] open (http:\/\/\S+)/.exec(output)?.[1];
    assert.ok(url);
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(url);
    await page.locator('.activitybar .action-item a[aria-label^="Cluster API (DCS)"]').click({ timeout: 60_000 });
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'lab-b' }).first().waitFor({ timeout: 60_000 });
    await page.close();
  });

  it('stops everything it started on Ctrl-C', async () => {
    const pids = [...output.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve));
    demo.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(output, /\[demo\] stopped/);
    for (const pid of pids) assert.ok(!isAlive(pid), `process ${pid} is still running`);
    const left = readdirSync(tmpdir()).filter((n) => n.startsWith('capi-dcs-demo-') && !demoDirsBefore.has(n));
    assert.deepEqual(left, []);
    const kubeconfig = /KUBECONFIG=(\S+)/.exec(output)?.[1];
    assert.ok(kubeconfig && !existsSync(kubeconfig), 'the management plane folder is removed');
  });
});
