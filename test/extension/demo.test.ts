// The README's first command as a newcomer runs it: the demo starts, prints a URL, the explorer in that
// VS Code shows the example cluster from the local management plane, and Ctrl-C leaves nothing behind.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
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
    assert.match(output, /\[demo\] ready in \d+\.\d s since the command started \((warm|cold: built\/installed .+)\)/);
    assert.match(output, /\[demo\] processes: etcd \d+, kube-apiserver \d+, simulator \d+, controller \d+, code-server \d+/);
    assert.match(output, /\[demo\] try: /);
    assert.match(output, /run "CAPI DCS: Upgrade Cluster…" on lab-b/);
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
    const line = /\[demo\] processes: (.*)/.exec(output)?.[1] ?? '';
    const pids = line.split(', ').map((entry) => ({ name: entry.split(' ')[0], pid: Number(entry.split(' ')[1]) }));
    assert.equal(pids.length, 5, line);
    const port = Number(/\[demo\] open http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1]);
    const planeDir = /\[demo\] management plane data folder (\S+)/.exec(output)?.[1];
    assert.ok(planeDir && existsSync(planeDir));
    const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve));
    demo.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(output, /\[demo\] stopped/);
    for (const { name, pid } of pids) assert.ok(!isAlive(pid), `${name ?? ''} (pid ${pid}) is still running`);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (e: NodeJS.ErrnoException) => {
        resolve(e.code ?? String(e));
      });
    });
    assert.equal(refused, 'ECONNREFUSED', `code-server's port ${port}`);
    assert.ok(!existsSync(planeDir), 'the management plane\'s data folder is removed');
    const left = readdirSync(tmpdir()).filter((n) => n.startsWith('capi-dcs-demo-') && !demoDirsBefore.has(n));
    assert.deepEqual(left, []);
    const kubeconfig = /KUBECONFIG=(\S+)/.exec(output)?.[1];
    assert.ok(kubeconfig && !existsSync(kubeconfig), 'the management plane folder is removed');
  });
});
