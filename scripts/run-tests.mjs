// Runs one or more test layers with Node's test runner and prints a count per layer.
// Usage: node scripts/run-tests.mjs [unit] [integration] [extension] [test files...]
// Test files, when given, narrow each named layer to those of its files (e.g. `extension test/extension/provider.test.ts`).
// Each layer writes a TAP file under out/test-results/; the last line is "N passed, N failed[, N skipped]".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const layers = {
  unit: { dir: 'test/unit', concurrency: 4 },
  integration: { dir: 'test/integration', concurrency: 1 },
  extension: { dir: 'test/extension', concurrency: 1 },
};

function findTests(dir) {
  if (!existsSync(dir)) return [];
  let found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'suite' && name !== 'fixtures') found = found.concat(findTests(path));
    } else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found.sort();
}

function countsFromTap(file) {
  const text = readFileSync(file, 'utf8');
  const last = (key) => {
    const all = [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : 0;
  };
  return { passed: last('pass'), failed: last('fail') + last('cancelled'), skipped: last('skipped') + last('todo') };
}

const args = process.argv.slice(2);
const onlyFiles = args.filter((a) => a.endsWith('.test.ts')).map((f) => join(f));
const requested = args.filter((a) => !a.endsWith('.test.ts'));
const names = requested.length ? requested : Object.keys(layers);
mkdirSync('out/test-results', { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
for (const name of names) {
  const layer = layers[name];
  if (!layer) {
    console.error(`unknown test layer "${name}" (known: ${Object.keys(layers).join(', ')})`);
    process.exit(2);
  }
  const files = findTests(layer.dir).filter((f) => onlyFiles.length === 0 || onlyFiles.includes(f));
  const tap = `out/test-results/${name}.tap`;
  console.log(`\n=== ${name} tests: ${files.length} files ===`);
  if (files.length === 0) {
    lines.push(`${name}: no tests`);
    continue;
  }
  const result = spawnSync(
    process.execPath,
    [
      '--import', 'tsx',
      '--test',
      `--test-concurrency=${layer.concurrency}`,
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { stdio: 'inherit', env: { ...process.env, CAPI_DCS_TEST_LAYER: name } },
  );
  const counts = countsFromTap(tap);
  if (result.status !== 0 && counts.failed === 0) counts.failed = 1; // the runner itself failed
  for (const k of Object.keys(totals)) totals[k] += counts[k];
  lines.push(`${name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
}
const started = Number(process.env.CAPI_DCS_TEST_STARTED);
if (started > 0) console.log(`\n[test] finished in ${Math.round(Date.now() / 1000 - started)} s`);
console.log('\n=== test summary ===');
for (const line of lines) console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);
