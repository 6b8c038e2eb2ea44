// Benchmark: this language server against yaml-language-server (npm), both over LSP on stdio, both given
// the same JSON schemas (our catalog), on one generated 50-cluster multi-document file.
// Measures: didOpen -> first diagnostics, one-line edit -> diagnostics, completion latency, RSS.
// Run: npm run bench:language-server (or, built: node --import tsx bench/languageServer.ts [--runs=N]).
// CAPI_DCS_BENCH_PROFILE=<dir> writes a CPU profile of each server process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { loadBundledCatalog } from '../src/shared/schema/bundled';
import { cpuTimeMs } from './measureProcess';
import { combinedSchema } from '../src/shared/schema/combined';

const root = resolve(__dirname, '..');
const CLUSTERS = 50;
const COMPLETIONS = 60;
const EDITS = 21;

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

function catalogSchema(): unknown {
  return combinedSchema(loadBundledCatalog(join(root, 'dist', 'schemas')));
}

interface Server {
  readonly name: string;
  readonly connection: MessageConnection;
  readonly pid: number;
  readonly published: (uri: string, after: number) => Promise<number>;
  stop(): Promise<void>;
}

async function start(name: string, args: string[], settings: Record<string, unknown>, workspace: string): Promise<Server> {
  // CAPI_DCS_BENCH_PROFILE=<dir>: write a V8 CPU profile of each server process there (read it in Chrome DevTools).
  const profile = process.env.CAPI_DCS_BENCH_PROFILE;
  const nodeArgs = profile ? [`--cpu-prof`, `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, CAPI_DCS_SCHEMA_DIR: join(root, 'dist', 'schemas') } });
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
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  // Shut down over LSP so a profiled server writes its profile; kill it if it does not exit.
  const stop = async (): Promise<void> => {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    connection.dispose();
  };
  return { name, connection, pid: child.pid ?? 0, published, stop };
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
  const cpu = cpuTimeMs(server.pid);
  t = performance.now();
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: broken } });
  const open = await server.published(uri, t);
  const openCpu = cpuTimeMs(server.pid) - cpu;
  // One-line edit near the end of the file, sent as an editor sends it: an incremental change of that line's
  // value. 21 edits: the median of the first 7 (the server's code is still being compiled by the JIT), and of
  // the last 7 (warm, as while typing for a while).
  const last = [...broken.matchAll(/replicas: (\d+)/g)].at(-1);
  if (last?.index === undefined || last[1] === undefined) throw new Error('no replicas field to edit');
  const before = broken.slice(0, last.index + 'replicas: '.length);
  const line = before.split('\n').length - 1;
  const character = before.length - before.lastIndexOf('\n') - 1;
  let value = last[1];
  const edits: number[] = [];
  const cpuAt: number[] = [];
  for (let n = 0; n < EDITS; n++) {
    if (n % 7 === 0) cpuAt.push(cpuTimeMs(server.pid));
    const range = { start: { line, character }, end: { line, character: character + value.length } };
    value = String((Number(value) % 9) + 1); // always another value
    t = performance.now();
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: n + 2 }, contentChanges: [{ range, text: value }] });
    edits.push(await server.published(uri, t));
  }
  cpuAt.push(cpuTimeMs(server.pid));
  const editCpu = ((cpuAt[1] ?? 0) - (cpuAt[0] ?? 0)) / 7;
  const warmCpu = ((cpuAt[3] ?? 0) - (cpuAt[2] ?? 0)) / 7;
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
  return { cold, open, openCpu, edit: percentile(edits.slice(0, 7), 50), editCpu, warm: percentile(edits.slice(-7), 50), warmCpu, p50: percentile(latencies, 50), p95: percentile(latencies, 95), rss: rssMb(server.pid), lines: lines.length };
}

type Figures = Awaited<ReturnType<typeof measure>>;

function median(values: number[]): number {
  return percentile(values, 50);
}

async function main(): Promise<void> {
  // --runs=N: measure both servers N times (one after the other in each run) and report the median ratios.
  const runs = Number(/^--runs=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--runs=')) ?? '')?.[1] ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'capi-dcs-bench-lsp-'));
  try {
    const text = generate();
    const schemaPath = join(dir, 'capi-dcs-catalog.schema.json');
    writeFileSync(schemaPath, JSON.stringify(catalogSchema()));
    const uri = pathToFileURL(join(dir, 'clusters.yaml')).toString();
    const warmUp = generate(1).replaceAll('bench-0', 'warm');
    const row = (name: string, r: Figures) =>
      `${name.padEnd(22)} ${r.cold.toFixed(0).padStart(9)} ${r.open.toFixed(0).padStart(9)} ${r.openCpu.toFixed(0).padStart(9)} ${r.edit.toFixed(1).padStart(9)} ${r.editCpu.toFixed(1).padStart(9)} ${r.warm.toFixed(1).padStart(9)} ${r.warmCpu.toFixed(1).padStart(9)} ${r.p50.toFixed(1).padStart(9)} ${r.p95.toFixed(1).padStart(9)} ${r.rss.toFixed(0).padStart(7)}`;
    const ratios: Record<'full' | 'fullCpu' | 'cold' | 'edit' | 'editCpu' | 'warm' | 'p95', number[]> = { full: [], fullCpu: [], cold: [], edit: [], editCpu: [], warm: [], p95: [] };
    let lines = 0;
    console.log(`${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`${'server'.padEnd(22)} ${'cold ms'.padStart(9)} ${'full ms'.padStart(9)} ${'full CPU'.padStart(9)} ${'edit ms'.padStart(9)} ${'edit CPU'.padStart(9)} ${'warm ms'.padStart(9)} ${'warm CPU'.padStart(9)} ${'compl p50'.padStart(9)} ${'compl p95'.padStart(9)} ${'RSS MB'.padStart(7)}`);
    for (let run = 0; run < runs; run++) {
      const ours = await start('capi-dcs', [join(root, 'dist', 'server.js'), '--stdio'], { 'capi-dcs': {} }, dir);
      const a = await measure(ours, uri, text, warmUp);
      await ours.stop();
      const yls = await start(
        'yaml-language-server',
        [require.resolve('yaml-language-server/bin/yaml-language-server'), '--stdio'],
        { yaml: { validate: true, completion: true, hover: true, schemas: { [pathToFileURL(schemaPath).toString()]: '*.yaml' }, schemaStore: { enable: false }, maxItemsComputed: 5000 } },
        dir,
      );
      const b = await measure(yls, uri, text, warmUp);
      await yls.stop();
      lines = a.lines;
      console.log(row('capi-dcs', a));
      console.log(row('yaml-language-server', b));
      ratios.full.push(b.open / a.open);
      ratios.fullCpu.push(b.openCpu / a.openCpu);
      ratios.editCpu.push(b.editCpu / a.editCpu);
      ratios.warm.push(b.warm / a.warm);
      ratios.cold.push(b.cold / a.cold);
      ratios.edit.push(b.edit / a.edit);
      ratios.p95.push(b.p95 / a.p95);
    }
    console.log(`${CLUSTERS} clusters, ${lines} lines in one file, ${COMPLETIONS} completions; each server is its own process, driven over LSP on stdio, times taken in this client:`);
    console.log('  cold: didOpen of a first one-cluster file -> its publishDiagnostics (schemas load and compile)');
    console.log('  full: didOpen of the whole file -> its publishDiagnostics (parse, schemas, cross-document rules, the JSON-RPC round trip)');
    console.log(`  edit: incremental didChange of one line -> the next publishDiagnostics of the file; ${EDITS} edits, median of the first 7`);
    console.log('  warm: the same, median of the last 7 edits (the JIT has compiled the hot code by then)');
    console.log('  full CPU, edit CPU, warm CPU: CPU time (user + system, all threads, from /proc, 10 ms ticks) the server process used meanwhile; per edit');
    console.log('  (on a loaded machine the wall times grow with the load, the CPU times much less)');
    console.log('  compl: textDocument/completion request -> response, p50 and p95; RSS after the run');
    const m = (xs: number[]) => `${median(xs).toFixed(1)}x`;
    console.log(`ratios (yaml-language-server / capi-dcs, median of ${runs} run${runs > 1 ? 's' : ''}): full diagnostics ${m(ratios.full)} (CPU ${m(ratios.fullCpu)}), cold ${m(ratios.cold)}, edit ${m(ratios.edit)} (CPU ${m(ratios.editCpu)}), warm edit ${m(ratios.warm)}, completion p95 ${m(ratios.p95)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().then(() => process.exit(0));
