// A real VS Code for tests and the demo: code-server from npm (installed by scripts/setup-code-server.sh),
// on 127.0.0.1, with its own user-data and extensions folders, stopped by the PID of its process group.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { choosePort } from './ports';
import { logTail, startServer, stopServer, type ServerProcess } from './processes';
import { projectRoot } from './projectPaths';

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly process: ServerProcess;
  /** URL of a workbench window on `folder`, optionally loading an extension under development and its tests. */
  windowUrl(folder: string, dev?: { extensionPath: string; testsPath: string }): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly vsixPath?: string;
  readonly settings?: Record<string, unknown>;
  /** A fixed port (the demo's 8080); default a free one. */
  readonly port?: number;
  /** Where its folders go; default a new temporary folder, removed by stop(). */
  readonly baseDir?: string;
}

const STOP_GRACE_MS = 10_000;
const START_TIMEOUT_MS = 60_000;

/** The code-server install folder (installed on first use, once per machine). */
export function codeServerDir(): string {
  const out = execFileSync('bash', [join(projectRoot(), 'scripts', 'setup-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop() ?? '';
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const base = options.baseDir ?? mkdtempSync(join(tmpdir(), 'capi-dcs-code-server-'));
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
  const entry = join(codeServerDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  if (options.vsixPath) {
    const installed = spawnSync(process.execPath, [entry, ...common, '--install-extension', options.vsixPath], { encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`installing ${options.vsixPath} failed:\n${installed.stdout}\n${installed.stderr}`);
  }
  const port = await choosePort(options.port === 0 ? undefined : options.port, 'code-server');
  const args = [entry, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'];
  const logPath = join(base, 'code-server.log');
  const proc = await startServer('code-server', process.execPath, args, logPath, { ...process.env, ...options.env });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (proc.hasExited() || Date.now() > deadline) {
      await stopServer(proc, STOP_GRACE_MS);
      throw new Error(`code-server did not answer on ${url}:\n${await logTail(logPath)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    process: proc,
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
      await stopServer(proc, STOP_GRACE_MS);
      if (!options.baseDir) rmSync(base, { recursive: true, force: true });
    },
  };
}
