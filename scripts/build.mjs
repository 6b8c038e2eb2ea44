// Bundles every program the project ships with esbuild.
// Extension and language server go into the VSIX; the others are command-line entry points.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Each entry: source file -> dist file. Entries whose source does not exist yet are skipped. */
const programs = [
  { in: 'src/extension.ts', out: 'extension' },
  { in: 'server/server.ts', out: 'server' },
  { in: 'src/controller/main.ts', out: 'controller' },
  { in: 'src/simulator/main.ts', out: 'simulator' },
  { in: 'src/cli/main.ts', out: 'cli' },
].filter((p) => existsSync(p.in));

/** Tools for developers, tests and the demo (the local management plane): never packaged. */
const labPrograms = [
  { in: 'src/lab/mgmtPlaneCli.ts', out: 'mgmt-plane' },
  { in: 'src/lab/demo.ts', out: 'demo' },
  { in: 'src/lab/playgroundCli.ts', out: 'playground' },
].filter((p) => existsSync(p.in));

/** Browser code: the dashboard webview's page and Monaco's workers (packaged), the playground page (not). */
const webviewPrograms = [
  { in: 'webview/dashboard/main.ts', out: 'dashboard' },
  { in: 'node_modules/monaco-editor/esm/vs/editor/editor.worker.js', out: 'editor.worker' },
  { in: 'node_modules/monaco-yaml/yaml.worker.js', out: 'yaml.worker' },
].filter((p) => existsSync(p.in));
const playgroundPrograms = [{ in: 'webview/playground/main.ts', out: 'playground' }].filter((p) => existsSync(p.in));

/** Test bundles: the suite that runs inside a real VS Code extension host. Never packaged. */
const testPrograms = [{ in: 'test/extension/suite/index.ts', out: 'suite' }].filter((p) => existsSync(p.in));

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // client-node pulls optional ESM-only helpers; keep `import.meta` usage harmless in CJS.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

// A production build starts from an empty dist/, so no stale source map reaches the VSIX.
if (production) rmSync('dist', { recursive: true, force: true });

// Classic scripts (webviews and workers started from blob: URLs cannot be modules everywhere); Monaco's
// codicon font is a file next to the CSS.
const browser = {
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  loader: { '.ttf': 'file' },
};

// The Cluster API schemas come from the CRDs of the pinned sigs.k8s.io/cluster-api module (Go's module
// cache): build output, shipped in the VSIX as dist/schemas/capi-crds.json. Made again when missing or when
// tools/versions.json pins another Cluster API version than the one it was made from.
execFileSync(process.execPath, ['--import', 'tsx', 'scripts/gen-capi-schemas.ts', '--if-stale', 'dist/schemas'], { stdio: 'inherit' });

const contexts = [
  await esbuild.context({ ...common, entryPoints: programs.filter((p) => p.out !== 'cli'), outdir: 'dist' }),
  // The command-line entry point runs as an executable (package.json "bin").
  await esbuild.context({
    ...common,
    entryPoints: programs.filter((p) => p.out === 'cli'),
    outdir: 'dist',
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  }),
  await esbuild.context({ ...common, entryPoints: labPrograms, outdir: 'out/bin', sourcemap: true, minify: false }),
  await esbuild.context({ ...browser, entryPoints: webviewPrograms, outdir: 'dist/webview' }),
  await esbuild.context({ ...browser, entryPoints: playgroundPrograms, outdir: 'out/playground', sourcemap: true }),
  await esbuild.context({ ...common, entryPoints: testPrograms, outdir: 'out/test', sourcemap: true, minify: false }),
];

/** The playground's page, schema, example and workers (after the bundles: the workers are copied). */
function playgroundFiles() {
  if (playgroundPrograms.length === 0) return;
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/playground-files.ts', 'dist/schemas', 'dist/webview', 'out/playground'], { stdio: 'inherit' });
}

if (watch) {
  await Promise.all(contexts.map((c) => c.rebuild()));
  playgroundFiles();
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[build] watching for changes');
} else {
  for (const c of contexts) {
    await c.rebuild();
    await c.dispose();
  }
  playgroundFiles();
  console.log(`[build] ${programs.map((p) => `dist/${p.out}.js`).join(', ')}`);
}
