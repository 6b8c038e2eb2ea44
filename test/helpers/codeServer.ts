// A real VS Code for tests: code-server from npm (installed by scripts/setup-code-server.sh), on 127.0.0.1.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startProcess, waitUntil, type Started } from './processes';

export const repoRoot = resolve(__dirname, '..', '..');

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly process: Started;
  /** URL of a workbench window on `folder`, optionally loading an extension under development and its tests. */
  windowUrl(folder: string, dev?: { extensionPath: string; testsPath: string }): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly vsixPath?: string;
  readonly settings?: Record<string, unknown>;
}

export function codeServerDir(): string {
  const out = execFileSync('bash', [join(repoRoot, 'scripts', 'setup-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop() ?? '';
}

function entryScript(): string {
  return join(codeServerDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const base = mkdtempSync(join(tmpdir(), 'capi-dcs-code-server-'));
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // Without these a trust dialog and a walkthrough cover the workbench.
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      ...options.settings,
    }),
  );
  const entry = entryScript();
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  if (options.vsixPath) {
    const installed = spawnSync(process.execPath, [entry, ...common, '--install-extension', options.vsixPath], { encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`installing ${options.vsixPath} failed:\n${installed.stdout}\n${installed.stderr}`);
  }
  const port = await freePort();
  const started = startProcess(
    process.execPath,
    [entry, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'],
    { env: { ...process.env, ...options.env } },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    'code-server to answer',
    async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined),
    60_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\ncode-server output:\n${started.output()}`);
  });
  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    process: started,
    windowUrl(folder, dev) {
      const query = new URLSearchParams({ folder });
      if (dev) {
        const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
        query.set('payload', JSON.stringify([
          ['extensionDevelopmentPath', remote(dev.extensionPath)],
          ['extensionTestsPath', remote(dev.testsPath)],
        ]));
      }
      return `${url}/?${query.toString()}`;
    },
    async stop() {
      await started.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
