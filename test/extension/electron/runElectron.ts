// The second launcher for the same extension-host suite: a desktop VS Code downloaded by
// @vscode/test-electron. It needs the internet, so CI here uses code-server (test/extension/vscode.test.ts);
// on a laptop: `npm run build && npx tsx test/extension/electron/runElectron.ts`.
// It gives the suite what the code-server launcher gives it: the fixture kubeconfig in the user settings
// and a copy of the fixture workspace (some tests write into it).
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..', '..');
  const scratch = mkdtempSync(join(tmpdir(), 'capi-dcs-electron-'));
  const workspace = join(scratch, 'workspace');
  const userData = join(scratch, 'user-data');
  cpSync(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  mkdirSync(join(userData, 'User'), { recursive: true });
  const settings = { 'capi-dcs.kubeconfig': join(root, 'test', 'fixtures', 'kubeconfig-two-contexts.yaml') };
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'suite.js'),
      launchArgs: [workspace, `--user-data-dir=${userData}`, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { CAPI_DCS_TEST_RESULTS: join(root, 'out', 'test-results', 'extension-host.json') },
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
