// Writes the playground's static files next to its bundle (called by scripts/build.mjs): the page with its
// Content-Security-Policy, the combined schema of the bundled catalog, an example manifest, and Monaco's
// workers copied from the dashboard's bundle. Usage: playground-files.ts <schemaDir> <webviewDir> <outDir>
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAYGROUND_CSP } from '../src/lab/playground';
import { loadBundledCatalog } from '../src/shared/schema/bundled';
import { combinedSchema } from '../src/shared/schema/combined';

const [schemaDir, webviewDir, outDir] = process.argv.slice(2);
if (!schemaDir || !webviewDir || !outDir) throw new Error('usage: playground-files.ts <schemaDir> <webviewDir> <outDir>');
const root = join(__dirname, '..');
mkdirSync(outDir, { recursive: true });
const page = readFileSync(join(root, 'webview', 'playground', 'index.html'), 'utf8');
writeFileSync(join(outDir, 'index.html'), page.replace('{{CSP}}', PLAYGROUND_CSP));
copyFileSync(join(root, 'webview', 'playground', 'page.css'), join(outDir, 'page.css'));
writeFileSync(join(outDir, 'schema.json'), JSON.stringify(combinedSchema(loadBundledCatalog(schemaDir))));
copyFileSync(join(root, 'schemas', 'examples', 'dcs-cluster-v1beta2.yaml'), join(outDir, 'example.yaml'));
for (const worker of ['editor.worker.js', 'yaml.worker.js']) copyFileSync(join(webviewDir, worker), join(outDir, worker));
