// Benchmark: `capi-dcs lint` against the real kubeconform on 50,000 generated resources (1,000 DCS clusters
// of the full shape, in ~3,600 files: a folder per cluster plus fleet bundles; see bench/lintCorpus.ts).
// Both get the same schemas: kubeconform reads our catalog's JSON schemas from files (never the network),
// with -strict so unknown fields fail as ours do. capi-dcs also runs the cross-document rules, across all
// files; kubeconform has none. Each tool runs RUNS times, alternately, as a whole process; the table shows
// median wall and CPU time, resources per second and the highest peak RSS.
// Run: npm run build && node --import tsx bench/lint.ts
// The first run builds kubeconform from the Go module proxy (tools/kubeconform/build.sh; needs Go once).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { loadBundledCatalog } from '../src/shared/schema/bundled';
import { writeCorpus, type Corpus } from './lintCorpus';
import { measureProcess, type ProcessRun } from './measureProcess';

const root = resolve(__dirname, '..');
const CLUSTERS = 1000;
const RUNS = 3;
const MEMORY_GOAL_MB = 500;
/** Rules that need more than one document: what kubeconform cannot report. */
const CROSS_DOCUMENT_RULES = ['ref-not-found', 'pool-address-shared', 'kcp-replicas-odd'];

interface Tool {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Throws when the run did not check the whole corpus as expected. */
  readonly verify: (run: ProcessRun, corpus: Corpus) => void;
}

/** Writes every catalog schema where `-schema-location <dir>/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json` finds it. */
function writeKubeconformSchemas(dir: string): string {
  const catalog = loadBundledCatalog(join(root, 'dist', 'schemas'));
  for (const entry of catalog.entries()) {
    // kubeconform's .Group is the part of apiVersion before the slash: "v1" for core kinds.
    const group = entry.group === '' ? entry.apiVersion : entry.group;
    mkdirSync(join(dir, group), { recursive: true });
    // Our schemas are draft-07; kubeconform assumes draft-04 unless the schema says otherwise.
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...catalog.getSchema(entry.apiVersion, entry.kind) };
    writeFileSync(join(dir, group, `${entry.kind.toLowerCase()}_${entry.version}.json`), JSON.stringify(schema));
  }
  return join(dir, '{{ .Group }}', '{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json');
}

function buildKubeconform(): { path: string; version: string } {
  const path = execFileSync('bash', [join(root, 'tools', 'kubeconform', 'build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return { path, version: basename(dirname(path)).replace(/^kubeconform-/, '') };
}

function verifyKubeconform(run: ProcessRun, corpus: Corpus): void {
  const summary = /Summary: (\d+) resources found in (\d+) files - Valid: (\d+), Invalid: (\d+), Errors: (\d+), Skipped: (\d+)/.exec(run.stdout);
  if (!summary) throw new Error(`kubeconform printed no summary:\n${run.stderr}${run.stdout.slice(-2000)}`);
  const [, found, files, , invalid, errors, skipped] = summary.map(Number);
  const expected = { found: corpus.resources, files: corpus.files, invalid: corpus.schemaInvalid, errors: 0, skipped: 0 };
  const actual = { found, files, invalid, errors, skipped };
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`kubeconform: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}\n${run.stdout.slice(0, 2000)}`);
  }
}

function verifyCapiDcs(run: ProcessRun, corpus: Corpus): void {
  if (run.status !== 0) throw new Error(`capi-dcs lint exited with ${String(run.status)}:\n${run.stderr}`);
  const report = JSON.parse(run.stdout) as { files: string[]; problems: { ruleId: string }[]; ioErrors: string[] };
  const byRule: Record<string, number> = {};
  for (const p of report.problems) byRule[p.ruleId] = (byRule[p.ruleId] ?? 0) + 1;
  const sorted = (o: Record<string, number>) => JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))));
  if (report.files.length !== corpus.files || report.ioErrors.length > 0 || sorted(byRule) !== sorted(corpus.expected)) {
    throw new Error(`capi-dcs: expected ${corpus.files} files and ${sorted(corpus.expected)}, got ${report.files.length} files, ${sorted(byRule)}, I/O errors ${report.ioErrors.join('; ')}`);
  }
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

interface Figures {
  readonly name: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly perSecond: number;
  readonly perCpuSecond: number;
}

function figures(name: string, runs: readonly ProcessRun[], resources: number): Figures {
  const wallMs = median(runs.map((r) => r.wallMs));
  const cpuMs = median(runs.map((r) => r.cpuMs));
  return { name, wallMs, cpuMs, peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)), perSecond: resources / (wallMs / 1000), perCpuSecond: resources / (cpuMs / 1000) };
}

function table(rows: readonly Figures[]): string {
  const head = `${'tool'.padEnd(34)} ${'wall s'.padStart(7)} ${'res/s'.padStart(8)} ${'CPU s'.padStart(7)} ${'res/CPU-s'.padStart(10)} ${'peak RSS MB'.padStart(12)}`;
  const line = (f: Figures) =>
    `${f.name.padEnd(34)} ${(f.wallMs / 1000).toFixed(2).padStart(7)} ${f.perSecond.toFixed(0).padStart(8)} ${(f.cpuMs / 1000).toFixed(2).padStart(7)} ${f.perCpuSecond.toFixed(0).padStart(10)} ${f.peakRssMb.toFixed(0).padStart(12)}`;
  return [head, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli) || !existsSync(join(root, 'dist', 'schemas', 'capi-crds.json'))) throw new Error('dist/cli.js or dist/schemas is missing: run npm run build first');
  const kubeconform = buildKubeconform();
  const work = mkdtempSync(join(tmpdir(), 'capi-dcs-bench-lint-'));
  try {
    const corpusDir = join(work, 'corpus');
    mkdirSync(corpusDir);
    const corpus = writeCorpus(root, corpusDir, CLUSTERS);
    const schemaLocation = writeKubeconformSchemas(join(work, 'schemas'));
    const cores = availableParallelism();
    const kubeconformTool = (workers: number | undefined): Tool => ({
      name: `kubeconform ${kubeconform.version} ${workers === undefined ? '-n 4 (default)' : `-n ${workers}`}`,
      command: kubeconform.path,
      args: ['-strict', '-summary', ...(workers === undefined ? [] : ['-n', String(workers)]), '-schema-location', schemaLocation, '.'],
      // Only local schemas are given; a dead loopback proxy makes sure nothing is fetched anyway.
      env: { ...process.env, HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '' },
      verify: verifyKubeconform,
    });
    const tools: Tool[] = [
      kubeconformTool(cores),
      { name: 'capi-dcs lint', command: process.execPath, args: [cli, 'lint', '--format', 'json', '--fail-on', 'none', '.'], verify: verifyCapiDcs },
      ...(cores === 4 ? [] : [kubeconformTool(undefined)]),
    ];
    console.log(`corpus: ${corpus.resources} resources (${CLUSTERS} clusters) in ${corpus.files} files; ${corpus.schemaInvalid} schema-invalid; ${cores} cores (load average ${loadavg()[0]?.toFixed(1) ?? '?'}); ${RUNS} runs each, alternating`);
    const runs = new Map<Tool, ProcessRun[]>(tools.map((t) => [t, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const tool of tools) {
        const run = await measureProcess(tool.command, tool.args, corpusDir, tool.env);
        tool.verify(run, corpus);
        runs.get(tool)?.push(run);
        console.log(`  run ${i + 1} ${tool.name}: ${(run.wallMs / 1000).toFixed(2)} s wall, ${(run.cpuMs / 1000).toFixed(2)} s CPU, ${run.peakRssMb.toFixed(0)} MB`);
      }
    }
    const rows = tools.map((t) => figures(t.name, runs.get(t) ?? [], corpus.resources));
    const [kc, ours] = rows;
    if (!kc || !ours) throw new Error('no figures');
    const crossDocument = CROSS_DOCUMENT_RULES.reduce((n, id) => n + (corpus.expected[id] ?? 0), 0);
    console.log('');
    console.log(table(rows));
    console.log('');
    console.log(`ratio capi-dcs / ${kc.name}: throughput ${(ours.perSecond / kc.perSecond).toFixed(2)}x (wall), ${(ours.perCpuSecond / kc.perCpuSecond).toFixed(2)}x (per CPU second); peak RSS ${(ours.peakRssMb / kc.peakRssMb).toFixed(1)}x`);
    console.log(`both found the ${corpus.schemaInvalid} schema-invalid resources; capi-dcs also reported ${crossDocument} cross-document problems (${CROSS_DOCUMENT_RULES.join(', ')}), which kubeconform cannot see`);
    console.log(`goal: at least kubeconform's throughput: ${ours.perSecond >= kc.perSecond ? 'met' : 'NOT met'}; peak RSS under ${MEMORY_GOAL_MB} MB: ${ours.peakRssMb < MEMORY_GOAL_MB ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
