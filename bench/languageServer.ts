// Benchmark: this language server against yaml-language-server (npm), both over LSP on stdio, both given
// the same JSON schemas (our catalog), on one generated 50-cluster multi-document file.
// Measures: didOpen -> first diagnostics, one-line edit -> diagnostics, completion latency, RSS.
// Run: npm run build && node --import tsx bench/languageServer.ts
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { loadBundledCatalog } from '../src/shared/schema/bundled';

const root = resolve(__dirname, '..');
const CLUSTERS = 50;
const COMPLETIONS = 60;

function generate(clusters = CLUSTERS): string {
  const example = readFileSync(join(root, 'schemas', 'examples', 'dcs-cluster-v1beta2.yaml'), 'utf8');
  const body = example
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .split(/^---$/m)
    .filter((d) => !d.includes('kind: Namespace'))
    .join('---');
  const docs: string[] = [];
  for (let i = 0; i < clusters; i++) docs.push(body.replaceAll('lab-b', `bench-${i}`).replaceAll('127.0.11.', `127.1.${i}.`).trim());
  return `${docs.join('\n---\n')}\n`;
}

function combinedSchema(): unknown {
  const catalog = loadBundledCatalog(join(root, 'dist', 'schemas'));
  const definitions: Record<string, unknown> = {};
  const allOf = catalog.entries().map((e, i) => {
    definitions[`k${i}`] = catalog.getSchema(e.apiVersion, e.kind);
    return {
      if: { properties: { apiVersion: { const: e.apiVersion }, kind: { const: e.kind } }, required: ['apiVersion', 'kind'] },
      then: { $ref: `#/definitions/k${i}` },
    };
  });
  return { $schema: 'http://json-schema.org/draft-07/schema#', definitions, allOf };
}

interface Server {
  readonly name: string;
  readonly connection: MessageConnection;
  readonly pid: number;
  readonly published: (uri: string, after: number) => Promise<number>;
  stop(): void;
}

async function start(name: string, args: string[], settings: Record<string, unknown>, workspace: string): Promise<Server> {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, CAPI_DCS_SCHEMA_DIR: join(root, 'dist', 'schemas') } });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const events: { uri: string; at: number; count: number }[] = [];
  const waiters: (() => void)[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    events.push({ uri: p.uri, at: performance.now(), count: p.diagnostics.length });
    for (const w of waiters.splice(0)) w();
  });
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((i) => (i.section ? settings[i.section] ?? settings : settings)));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification(() => undefined);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).toString(),
    workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: 'bench' }],
    capabilities: { textDocument: { publishDiagnostics: {}, completion: { completionItem: { snippetSupport: true } } }, workspace: { configuration: true } },
    initializationOptions: { settings },
  });
  await connection.sendNotification('initialized', {});
  await connection.sendNotification('workspace/didChangeConfiguration', { settings });
  const published = async (uri: string, after: number): Promise<number> => {
    for (;;) {
      const hit = events.find((e) => e.uri === uri && e.at > after && e.count > 0);
      if (hit) return hit.at - after;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { name, connection, pid: child.pid ?? 0, published, stop: () => child.kill('SIGKILL') };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measure(server: Server, uri: string, text: string, warmUpText: string) {
  // Break one value so both servers have something to publish: a wrong enum value in every DCSCluster.
  const broken = text.replaceAll('networkType: kube-ovn', 'networkType: calico');
  // First a one-cluster file: both servers load and compile their schemas here (the cold figure).
  const warmUri = uri.replace('clusters.yaml', 'warm-up.yaml');
  let t = performance.now();
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: warmUri, languageId: 'yaml', version: 1, text: warmUpText.replaceAll('networkType: kube-ovn', 'networkType: calico') } });
  const cold = await server.published(warmUri, t);
  await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: warmUri } });
  t = performance.now();
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: broken } });
  const open = await server.published(uri, t);
  // One-line edit near the end of the file: repeat a few times and take the median.
  const edits: number[] = [];
  for (let v = 2; v < 9; v++) {
    const edited = broken.replace(/replicas: \d+(?![\s\S]*replicas: \d)/, `replicas: ${v}`);
    t = performance.now();
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: edited }] });
    edits.push(await server.published(uri, t));
  }
  const lines = broken.split('\n');
  const targets = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^\s+vmTemplateName:/.test(l));
  const latencies: number[] = [];
  for (let n = 0; n < COMPLETIONS; n++) {
    const target = targets[n % targets.length];
    if (!target) break;
    const character = (/^\s*/.exec(target.l)?.[0].length ?? 0);
    t = performance.now();
    await server.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: target.i, character } });
    latencies.push(performance.now() - t);
  }
  return { cold, open, edit: percentile(edits, 50), p50: percentile(latencies, 50), p95: percentile(latencies, 95), rss: rssMb(server.pid), lines: lines.length };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'capi-dcs-bench-lsp-'));
  try {
    const text = generate();
    const schemaPath = join(dir, 'capi-dcs-catalog.schema.json');
    writeFileSync(schemaPath, JSON.stringify(combinedSchema()));
    const uri = pathToFileURL(join(dir, 'clusters.yaml')).toString();
    const ours = await start('capi-dcs', [join(root, 'dist', 'server.js'), '--stdio'], { 'capi-dcs': {} }, dir);
    const warmUp = generate(1).replaceAll('bench-0', 'warm');
    const a = await measure(ours, uri, text, warmUp);
    ours.stop();
    const yls = await start(
      'yaml-language-server',
      [require.resolve('yaml-language-server/bin/yaml-language-server'), '--stdio'],
      { yaml: { validate: true, completion: true, hover: true, schemas: { [pathToFileURL(schemaPath).toString()]: '*.yaml' }, schemaStore: { enable: false }, maxItemsComputed: 5000 } },
      dir,
    );
    const b = await measure(yls, uri, text, warmUp);
    yls.stop();
    const row = (name: string, r: typeof a) =>
      `${name.padEnd(22)} ${r.cold.toFixed(0).padStart(9)} ${r.open.toFixed(0).padStart(9)} ${r.edit.toFixed(1).padStart(9)} ${r.p50.toFixed(1).padStart(9)} ${r.p95.toFixed(1).padStart(9)} ${r.rss.toFixed(0).padStart(7)}`;
    console.log(`${CLUSTERS} clusters, ${a.lines} lines, ${COMPLETIONS} completions`);
    console.log(`${'server'.padEnd(22)} ${'cold ms'.padStart(9)} ${'full ms'.padStart(9)} ${'edit ms'.padStart(9)} ${'compl p50'.padStart(9)} ${'compl p95'.padStart(9)} ${'RSS MB'.padStart(7)}`);
    console.log(row('capi-dcs', a));
    console.log(row('yaml-language-server', b));
    console.log('cold: first one-cluster file (schemas load); full: the whole file, diagnostics published; edit: one-line change, median of 7');
    console.log(`ratios (yaml-language-server / capi-dcs): full diagnostics ${(b.open / a.open).toFixed(1)}x, cold ${(b.cold / a.cold).toFixed(1)}x, edit ${(b.edit / a.edit).toFixed(1)}x, completion p95 ${(b.p95 / a.p95).toFixed(1)}x, RSS ${(b.rss / a.rss).toFixed(2)}x`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().then(() => process.exit(0));
