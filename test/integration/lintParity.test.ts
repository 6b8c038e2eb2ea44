// One table over both front ends: for each fixture the lint command (`--format json`, run as a process from
// its TypeScript entry) and the language server (over LSP on stdio) report the same problems: rule id,
// range, severity and message. Every rule id has a row, so a new rule without one fails here.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual, promisify } from 'node:util';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { rules } from '../../server/engine/rules';
import { cluster, POOLS, TEMPLATES } from '../fixtures/engine-cluster';
import { LspClient } from '../helpers/lspClient';

const root = resolve(__dirname, '..', '..');
const cliEntry = join(root, 'src', 'cli', 'main.ts');
const schemaDir = join(root, 'dist', 'schemas');
/** tsx by file URL: the CLI runs in the fixture's folder, where `--import tsx` would not resolve. */
const tsx = pathToFileURL(require.resolve('tsx')).href;

/** Rule ids the engine reports besides the registry's rules. */
const ENGINE_IDS = ['yaml-syntax', 'template-variable-unset'];

interface Row {
  readonly name: string;
  /** The workspace: file name -> text. */
  readonly files: Record<string, string>;
  /** Committed to git before `files` are written (the baseline of template-edited-in-place). */
  readonly committed?: Record<string, string>;
  /** The files both front ends check and compare. */
  readonly targets: readonly string[];
  /** Rule ids that must appear in the targets. */
  readonly expect: readonly string[];
}

const withPersistentDisk = POOLS.replace(
  'machineName: demo-wk-1}',
  'machineName: demo-wk-1, persistentDisk: [{slot: 0, quantityGB: 10, datastoreName: ds-gold, path: /var/cpaas}]}',
);
const sharingPools = POOLS.replace('demo-cp-pool', 'other-cp-pool').replace('demo-wk-pool', 'other-wk-pool').replaceAll('hostname: demo-', 'hostname: x-');
const editedTemplates = TEMPLATES.replace(
  'vmTemplateName: alaudaos-v4.3.2-x86\n      ipHostPoolRef: {name: demo-wk-pool}',
  'vmTemplateName: alaudaos-v4.4.0-x86\n      ipHostPoolRef: {name: demo-wk-pool}',
).replace('- {systemVolume: true, quantity: 0, datastoreName: ds-gold}\n---', '- {systemVolume: true, quantity: 0, datastoreName: ds-gold}\n        - {path: /data, quantity: 50, datastoreName: ds-gold}\n---');

const rows: readonly Row[] = [
  {
    name: 'references, cluster names, versions, control plane',
    files: {
      'pools.yaml': POOLS,
      'templates.yaml': TEMPLATES,
      'cluster.yaml': cluster({ kcpReplicas: 2, mdVersion: 'v1.35.0', mdInfraName: 'demo-wk-v2', templateClusterName: 'other' }),
    },
    targets: ['cluster.yaml'],
    expect: ['kcp-replicas-odd', 'version-skew', 'ref-not-found', 'cluster-name'],
  },
  {
    name: 'wrong kind, unknown cluster, version format, single replica (severity from .capi-dcs.yaml)',
    files: {
      '.capi-dcs.yaml': 'rules:\n  kcp-single-replica: hint\n  cluster-not-found: error\n',
      'pools.yaml': POOLS,
      'templates.yaml': TEMPLATES,
      'cluster.yaml': cluster({ mdVersion: '1.34.2', mdInfraKind: 'DCSMachine', mdClusterName: 'ghost' }),
    },
    targets: ['cluster.yaml'],
    expect: ['version-format', 'ref-wrong-kind', 'cluster-not-found', 'kcp-single-replica'],
  },
  {
    name: 'kubeadm minor skew',
    files: { 'pools.yaml': POOLS, 'templates.yaml': TEMPLATES, 'cluster.yaml': cluster({ kcpReplicas: 3, mdVersion: 'v1.33.4' }) },
    targets: ['cluster.yaml'],
    expect: ['kubeadm-minor-skew'],
  },
  {
    name: 'pools: exhausted, no surge capacity, persistent disks with surge, shared addresses',
    files: {
      'pools.yaml': withPersistentDisk,
      'other-pools.yaml': sharingPools,
      'templates.yaml': TEMPLATES,
      'cluster.yaml': cluster({ kcpReplicas: 2, mdReplicas: 4 }),
    },
    targets: ['pools.yaml', 'other-pools.yaml'],
    expect: ['pool-exhausted', 'pool-surge-capacity', 'persistent-disk-surge', 'pool-address-shared'],
  },
  {
    name: 'templates: edited in place (against git HEAD), data on a template disk, defined twice',
    committed: { 'templates.yaml': TEMPLATES },
    files: {
      'pools.yaml': POOLS,
      'templates.yaml': editedTemplates,
      'copy.yaml': TEMPLATES.replace('alaudaos-v4.3.2-x86', 'alaudaos-v4.5.0-x86'),
      'cluster.yaml': cluster({ kcpReplicas: 3 }),
    },
    targets: ['templates.yaml', 'copy.yaml'],
    expect: ['template-edited-in-place', 'data-on-template-disk', 'duplicate-object'],
  },
  {
    name: 'v1beta1: deprecated, a DCS version the provider does not serve',
    files: {
      'c.yaml': `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata: {name: demo, namespace: ns}
spec:
  infrastructureRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DCSCluster, name: demo}
`,
    },
    targets: ['c.yaml'],
    expect: ['ref-wrong-version', 'deprecated-api-version'],
  },
  {
    name: 'syntax and schema errors',
    files: {
      'broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n',
      'schema.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Not_A_Name, namespace: ns}\ndata: {a: 1}\nbogus: true\n',
    },
    targets: ['broken.yaml', 'schema.yaml'],
    expect: ['yaml-syntax', 'schema-unknown-field'],
  },
  {
    name: 'template variables from .capi-dcs.yaml',
    files: {
      '.capi-dcs.yaml': 'variables:\n  NAMESPACE: prod\n  REPLICAS: 3\n',
      'template.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NAMESPACE}\n  labels: {team: "${TEAM:=platform}", owner: "${OWNER}"}\n',
    },
    targets: ['template.yaml'],
    expect: ['template-variable-unset'],
  },
];

/** One problem as both front ends can state it: rule id, 1-based range, severity, message. */
type Line = string;

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

function fromDiagnostic(d: Diagnostic): Line {
  const { start, end } = d.range;
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  return `${String(d.code)} ${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${SEVERITY[d.severity ?? 1] ?? ''} ${message}`;
}

interface CliProblem {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  ruleId: string;
  message: string;
}

async function runCli(dir: string): Promise<CliProblem[]> {
  const args = ['--import', tsx, cliEntry, 'lint', '--format', 'json', '--fail-on', 'none', '.'];
  const env = { ...process.env, CAPI_DCS_SCHEMA_DIR: schemaDir };
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: dir, env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return (JSON.parse(stdout) as { problems: CliProblem[] }).problems;
}

const fromCli = (p: CliProblem): Line => `${p.ruleId} ${p.line}:${p.column}-${p.endLine}:${p.endColumn} ${p.severity} ${p.message}`;

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@127.0.0.1', ...args], { cwd: dir, stdio: 'pipe' });
}

describe('capi-dcs lint and the language server report the same problems', () => {
  let base: string;
  const seen = new Set<string>();

  before(() => {
    base = mkdtempSync(join(tmpdir(), 'capi-dcs-parity-'));
  });

  after(() => {
    rmSync(base, { recursive: true, force: true });
  });

  rows.forEach((row, i) => {
    it(row.name, async () => {
      const dir = join(base, `row-${i}`);
      mkdirSync(dir);
      if (row.committed) {
        git(dir, 'init', '-q');
        for (const [name, text] of Object.entries(row.committed)) writeFileSync(join(dir, name), text);
        git(dir, 'add', '.');
        git(dir, 'commit', '-q', '-m', 'baseline');
      }
      for (const [name, text] of Object.entries(row.files)) writeFileSync(join(dir, name), text);

      // Both front ends start at once: each spends most of its time loading the schemas.
      const starting = LspClient.start(dir);
      const found = new Set<string>();
      try {
        const cli = await runCli(dir);
        const client = await starting;
        for (const target of row.targets) {
          const expected = cli.filter((p) => p.file === target).map(fromCli).sort();
          const uri = pathToFileURL(join(dir, target)).toString();
          await client.open(uri, row.files[target] ?? '');
          // The server indexes the folder in the background: wait until it has settled on the same answer.
          const same = (d: Diagnostic[]) => isDeepStrictEqual(d.map(fromDiagnostic).sort(), expected);
          const diagnostics = await client.diagnosticsFor(uri, same, 20_000).catch(() => client.diagnosticsFor(uri));
          assert.deepEqual(diagnostics.map(fromDiagnostic).sort(), expected, `${target}: language server vs lint`);
          for (const d of diagnostics) found.add(String(d.code));
        }
      } finally {
        await (await starting.catch(() => undefined))?.stop();
      }
      for (const id of found) seen.add(id);
      for (const id of row.expect) assert.ok(found.has(id), `no ${id} problem in ${row.targets.join(', ')}: ${[...found].join(', ')}`);
    });
  });

  it('every rule id has a row', () => {
    const missing = [...ENGINE_IDS, ...rules.map((r) => r.id)].filter((id) => !rows.some((row) => row.expect.includes(id)));
    assert.deepEqual(missing, [], 'rule ids without a row in this table');
    const unseen = rows.flatMap((row) => row.expect).filter((id) => !seen.has(id));
    assert.deepEqual(unseen, [], 'expected rule ids no front end reported');
  });
});
