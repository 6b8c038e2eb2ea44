// Which files `capi-dcs lint` checks: .gitignore outside a git repository, Helm chart templates (skipped,
// and listed as such in JSON), YAML merge keys.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lint } from '../../../src/cli/lintCommand';

interface JsonOutput {
  files: string[];
  problems: { file: string; ruleId: string; message: string }[];
  notChecked: { file: string; reason: string }[];
}

// A ConfigMap with an unknown top-level field: any file that is checked reports it.
const BAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: ns}\nbogus: 1\n';

describe('capi-dcs lint: which files', () => {
  let dir: string;

  before(() => {
    process.env.CAPI_DCS_SCHEMA_DIR = join(__dirname, '..', '..', '..', 'dist', 'schemas');
    dir = mkdtempSync(join(tmpdir(), 'capi-dcs-lint-files-'));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (...argv: string[]) => JSON.parse((await lint(['--format', 'json', ...argv], dir)).output) as JsonOutput;

  it('honours .gitignore files, at the root and nested, outside a git repository', async () => {
    const root = join(dir, 'ignores');
    mkdirSync(join(root, 'build'), { recursive: true });
    mkdirSync(join(root, 'clusters', 'tmp'), { recursive: true });
    writeFileSync(join(root, '.gitignore'), '# generated\nbuild/\n*.local.yaml\n');
    writeFileSync(join(root, 'clusters', '.gitignore'), 'tmp/\n!keep.local.yaml\n');
    for (const f of ['build/out.yaml', 'a.local.yaml', 'clusters/tmp/scratch.yaml', 'clusters/ok.yaml', 'clusters/keep.local.yaml', 'top.yaml']) writeFileSync(join(root, f), BAD);
    const { files } = await run('ignores');
    assert.deepEqual(files, ['ignores/clusters/keep.local.yaml', 'ignores/clusters/ok.yaml', 'ignores/top.yaml']);
  });

  it('skips Helm chart templates quietly, and lists them as not checked in JSON', async () => {
    mkdirSync(join(dir, 'chart', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'chart', 'templates', 'cluster.yaml'), 'apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: {{ .Values.name }}\n  labels:\n    {{- include "chart.labels" . | nindent 4 }}\nspec:\n  {{- if .Values.paused }}\n  paused: true\n  {{- end }}\n');
    const json = await run('chart');
    assert.deepEqual(json.problems, []);
    assert.deepEqual(json.notChecked.map((n) => n.file), ['chart/templates/cluster.yaml']);
    assert.match(json.notChecked[0]?.reason ?? '', /Helm chart template/);
  });

  it('applies YAML merge keys as kubectl does: no unknown field "<<"', async () => {
    writeFileSync(join(dir, 'merge.yaml'), 'apiVersion: v1\nkind: ConfigMap\ndata:\n  <<: &common {a: b, c: d}\n  e: f\nmetadata:\n  name: c\n  namespace: ns\n  annotations:\n    <<: *common\n');
    assert.deepEqual((await run('merge.yaml')).problems.map((p) => `${p.ruleId}: ${p.message}`), []);
  });
});
