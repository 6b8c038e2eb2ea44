import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import { parse } from 'yaml';
import { parseLintArgs, UsageError } from '../../../src/cli/args';
import { lint } from '../../../src/cli/lintCommand';
import { cluster, POOLS, TEMPLATES } from '../../fixtures/engine-cluster';

interface JsonOutput {
  files: string[];
  problems: { file: string; line: number; column: number; severity: string; ruleId: string; message: string }[];
  ioErrors: string[];
}

describe('capi-dcs lint', () => {
  let dir: string;

  before(() => {
    // The sources run here, not dist/cli.js: point them at the schema catalog the build wrote.
    process.env.CAPI_DCS_SCHEMA_DIR = join(__dirname, '..', '..', '..', 'dist', 'schemas');
    dir = mkdtempSync(join(tmpdir(), 'capi-dcs-lint-'));
    writeFileSync(join(dir, 'pools.yaml'), POOLS);
    writeFileSync(join(dir, 'templates.yaml'), TEMPLATES);
    writeFileSync(join(dir, 'cluster.yaml'), cluster({ kcpReplicas: 2 }));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(...argv: string[]): Promise<{ output: string; status: number }> {
    return lint(argv, dir);
  }

  it('reports file:line:col, severity, rule id and message, and exits 1 on errors', async () => {
    const { output, status } = await run('.');
    assert.equal(status, 1);
    const line = output.split('\n').find((l) => l.includes('kcp-replicas-odd'));
    assert.ok(line, output);
    assert.match(line, /^cluster\.yaml:\d+:\d+ {2}error {4}kcp-replicas-odd {2}2 control-plane replicas/);
    assert.match(output, /2 problems \(1 errors, 1 warnings, 0 notes\) in 3 files/);
  });

  it('exits 0 when clean, and with --fail-on none', async () => {
    assert.equal((await run('pools.yaml', 'templates.yaml')).status, 0);
    assert.equal((await run('--fail-on', 'none', '.')).status, 0);
  });

  it('--max-warnings and --quiet', async () => {
    // A schema-valid MachineDeployment linted alone: only warnings (its Cluster and templates are elsewhere).
    const deployment = cluster({ mdClusterName: 'ghost' }).split('---\n').find((d) => d.includes('kind: MachineDeployment')) ?? '';
    writeFileSync(join(dir, 'extra.yaml'), deployment.replace('demo-md-0', 'x-md').replaceAll('cluster.x-k8s.io/cluster-name: demo', 'cluster.x-k8s.io/cluster-name: ghost'));
    try {
      const json = JSON.parse((await run('--format', 'json', '--fail-on', 'error', 'extra.yaml')).output) as JsonOutput;
      assert.deepEqual(json.problems.map((p) => p.ruleId), ['ref-not-found', 'ref-not-found', 'cluster-not-found']);
      assert.ok(json.problems.every((p) => p.severity === 'warning'));
      assert.equal((await run('--fail-on', 'error', 'extra.yaml')).status, 0);
      assert.equal((await run('--max-warnings', '0', 'extra.yaml')).status, 1);
      assert.doesNotMatch((await run('--quiet', 'extra.yaml')).output, /cluster-not-found/);
    } finally {
      rmSync(join(dir, 'extra.yaml'));
    }
  });

  it('usage errors exit 2', async () => {
    assert.throws(() => parseLintArgs(['--format', 'xml'], false), UsageError);
    assert.throws(() => parseLintArgs(['--max-warnings', 'many'], false), UsageError);
    assert.throws(() => parseLintArgs(['--bogus'], false), UsageError);
    assert.equal((await run('missing-folder')).status, 2);
  });

  it('--var renders templates and reports variables without value or default', async () => {
    writeFileSync(join(dir, 'template.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NAMESPACE}\n  labels: {team: "${TEAM:=platform}", owner: "${OWNER}"}\n');
    try {
      const json = JSON.parse((await run('--format', 'json', '--var', 'NAMESPACE=prod', 'template.yaml')).output) as JsonOutput;
      assert.deepEqual(json.problems.map((p) => [p.ruleId, p.line, p.column]), [['template-variable-unset', 5, 47]]);
      assert.match(json.problems[0]?.message ?? '', /\$\{OWNER\} has no value and no default/);
      // Editing, not rendering: no values given, no unset-variable problems.
      assert.deepEqual((JSON.parse((await run('--format', 'json', 'template.yaml')).output) as JsonOutput).problems, []);
    } finally {
      rmSync(join(dir, 'template.yaml'));
    }
  });

  it('honours --exclude and the config file (.gitignore: see lintFiles.test.ts)', async () => {
    writeFileSync(join(dir, '.capi-dcs.yaml'), 'rules:\n  kcp-replicas-odd: off\n');
    try {
      assert.equal((await run('.')).status, 0);
      assert.equal((await run('--exclude', 'cluster.yaml', '--format', 'json', '.')).output.includes('cluster.yaml'), false);
    } finally {
      rmSync(join(dir, '.capi-dcs.yaml'));
    }
  });

  it('a broken .capi-dcs.yaml stops the run with one line per problem (exit 2 from main)', async () => {
    writeFileSync(join(dir, '.capi-dcs.yaml'), 'rules:\n  kcp-replicas-odd: fatal\ncapiVersoin: v1beta1\n');
    try {
      await assert.rejects(run('.'), (error: Error) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /^\.capi-dcs\.yaml:2:21: schema-enum: "kcp-replicas-odd" must be one of "error", "warning", "info", "hint", "off"; got "fatal"$/m);
        assert.match(error.message, /^\.capi-dcs\.yaml:3:1: schema-unknown-field: unknown field "capiVersoin"; did you mean "capiVersion"\?$/m);
        return true;
      });
      writeFileSync(join(dir, '.capi-dcs.yaml'), 'rules: [kcp-replicas-odd\n');
      await assert.rejects(run('.'), /\.capi-dcs\.yaml:2:1: yaml-syntax: /);
    } finally {
      rmSync(join(dir, '.capi-dcs.yaml'));
    }
  });

  it('writes SARIF 2.1.0 that validates against the SARIF schema', async () => {
    const sarif = JSON.parse((await run('--format', 'sarif', '.')).output) as Record<string, unknown>;
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
    const results = (sarif.runs as { results: { ruleId: string }[] }[])[0]?.results ?? [];
    assert.ok(results.some((r) => r.ruleId === 'kcp-replicas-odd'));
  });

  it('the pre-commit hook runs the package\'s capi-dcs command on YAML files', () => {
    const root = join(__dirname, '..', '..', '..');
    const hooks = parse(readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; files: string }[];
    const hook = hooks.find((h) => h.id === 'capi-dcs-lint');
    assert.ok(hook);
    const [command, subcommand] = hook.entry.split(' ');
    const bin = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
    assert.equal(bin[command ?? ''], 'dist/cli.js');
    assert.equal(subcommand, 'lint');
    const files = new RegExp(hook.files);
    assert.ok(files.test('clusters/a.yaml') && files.test('b.yml') && !files.test('c.json'));
  });

  it('writes JUnit XML with one failure per problem', async () => {
    const { output } = await run('--format', 'junit', '.');
    assert.match(output, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="capi-dcs lint" tests="3" failures="2">/);
    assert.match(output, /<failure type="error" message="2 control-plane replicas/);
  });

  it('bad input: binary, huge, alias bomb, invalid UTF-8 and unreadable files each get a clear line; the rest is checked', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'capi-dcs-lint-bad-'));
    try {
      writeFileSync(join(bad, 'binary.yaml'), Buffer.from([0x61, 0x00, 0x62, 0xff]));
      writeFileSync(join(bad, 'latin1.yaml'), Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n', 'latin1'));
      const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bomb}', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (let i = 0; i < 12; i++) {
        const prev = String.fromCharCode(97 + i);
        bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
      }
      writeFileSync(join(bad, 'bomb.yaml'), bomb.join('\n'));
      writeFileSync(join(bad, 'huge.yaml'), Buffer.alloc(33 * 1024 * 1024, 0x20));
      // 20 MB of real manifests (42,000 ConfigMaps) is checked in full: its last document's problem is found.
      const configMap = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, namespace: ns}\ndata:\n  key: "${'x'.repeat(400)}"\n`;
      const big = Array.from({ length: 42_000 }, (_, i) => configMap(i));
      big.push('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n');
      writeFileSync(join(bad, 'big.yaml'), big.join('---\n'));
      assert.ok(statSync(join(bad, 'big.yaml')).size > 20_000_000);
      symlinkSync(join(bad, 'nowhere.yaml'), join(bad, 'dangling.yaml'));
      writeFileSync(join(bad, 'good.yaml'), cluster({ kcpReplicas: 2 }));
      const started = Date.now();
      const { output, status } = await lint(['--format', 'json', 'binary.yaml', 'latin1.yaml', 'bomb.yaml', 'huge.yaml', 'big.yaml', 'dangling.yaml', 'good.yaml'], bad);
      assert.ok(Date.now() - started < 90_000);
      const json = JSON.parse(output) as JsonOutput;
      const byFile = (f: string) => json.problems.filter((p) => p.file === f).map((p) => `${p.ruleId}: ${p.message}`).join(' | ');
      assert.match(byFile('binary.yaml'), /file-skipped: binary file/);
      assert.match(byFile('latin1.yaml'), /file-skipped: not valid UTF-8/);
      assert.match(byFile('bomb.yaml'), /yaml-syntax: This document cannot be read/);
      assert.match(byFile('huge.yaml'), /file-skipped: file is 33\.0 MB/);
      assert.match(byFile('good.yaml'), /kcp-replicas-odd/);
      assert.match(byFile('big.yaml'), /^schema-pattern: metadata\.name: .*Bad_Name/);
      assert.equal(json.problems.find((p) => p.file === 'big.yaml')?.line, 42_000 * 6 + 3);
      assert.match(json.ioErrors.join('\n'), /dangling\.yaml: no such file/);
      assert.equal(status, 2);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
