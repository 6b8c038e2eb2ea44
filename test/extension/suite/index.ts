// Entry point loaded by VS Code as `extensionTestsPath` (code-server's payload, or @vscode/test-electron).
// It runs inside the extension host with the real vscode API.
import { join } from 'node:path';
import { Harness, writeResults } from './harness';
import { registerActivationTests } from './activation.tests';
import { registerConfigFileTests } from './configFile.tests';
import { registerExplorerTests } from './explorer.tests';
import { registerLanguageTests, registerSnippetTests } from './language.tests';

export async function run(): Promise<void> {
  const harness = new Harness();
  registerActivationTests(harness);
  registerLanguageTests(harness);
  registerSnippetTests(harness);
  registerConfigFileTests(harness);
  registerExplorerTests(harness);
  const results = await harness.run();
  const path = process.env.CAPI_DCS_TEST_RESULTS ?? join(__dirname, '..', 'test-results', 'extension-host.json');
  writeResults(path, results);
  const failed = results.filter((r) => !r.ok);
  // @vscode/test-electron reads a rejected run() as failure; code-server's launcher reads the JSON file.
  if (failed.length > 0) throw new Error(`${failed.length} extension-host test(s) failed: ${failed.map((f) => f.name).join(', ')}`);
}
