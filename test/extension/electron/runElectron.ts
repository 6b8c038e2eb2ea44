// The second launcher for the same extension-host suite: a desktop VS Code downloaded by
// @vscode/test-electron. It needs the internet, so CI here uses code-server (test/extension/vscode.test.ts);
// on a laptop: `npm run build && npx tsx test/extension/electron/runElectron.ts`.
import { runTests } from '@vscode/test-electron';
import { join, resolve } from 'node:path';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..', '..');
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'suite.js'),
    launchArgs: [join(root, 'test', 'fixtures', 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { CAPI_DCS_TEST_RESULTS: join(root, 'out', 'test-results', 'extension-host.json') },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
