// `capi-dcs lint` with a preferred CAPI version and with clusterctl variable values: what the flags change.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lint } from '../../../src/cli/lintCommand';

interface JsonOutput {
  problems: { file: string; line: number; ruleId: string; message: string }[];
}

// A v1beta1 Cluster with no references: only the deprecation note is about its version.
const V1BETA1_CLUSTER = 'apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: c, namespace: ns}\nspec: {}\n';

// A template whose worker references are named from a variable; the template they point to has the rendered name.
const TEMPLATE = `apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata: {name: md, namespace: ns}
spec:
  clusterName: c
  replicas: \${N:=1}
  selector: {matchLabels: {}}
  template:
    spec:
      clusterName: c
      version: v1.34.2
      bootstrap: {dataSecretName: boot}
      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DCSMachineTemplate, name: "\${CLUSTER_NAME}-md-0"}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: DCSIpHostnamePool
metadata: {name: p, namespace: ns}
spec:
  pool:
  - {ip: "10.0.0.2", mask: "\${MASK:=24}", gateway: "10.0.0.1", hostname: h1, machineName: m1}
`;

describe('capi-dcs lint: --capi-version and variable values', () => {
  let dir: string;

  before(() => {
    process.env.CAPI_DCS_SCHEMA_DIR = join(__dirname, '..', '..', '..', 'dist', 'schemas');
    dir = mkdtempSync(join(tmpdir(), 'capi-dcs-lint-render-'));
    writeFileSync(join(dir, 'v1beta1.yaml'), V1BETA1_CLUSTER);
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const problems = async (...argv: string[]) => (JSON.parse((await lint(['--format', 'json', ...argv], dir)).output) as JsonOutput).problems;

  it('--capi-version v1beta1 (or capiVersion in .capi-dcs.yaml) drops the deprecation note on v1beta1 objects', async () => {
    const ruleIds = async (...argv: string[]) => (await problems(...argv, 'v1beta1.yaml')).map((p) => p.ruleId);
    assert.ok((await ruleIds()).includes('deprecated-api-version'));
    assert.ok((await ruleIds('--capi-version', 'v1beta2')).includes('deprecated-api-version'));
    assert.ok(!(await ruleIds('--capi-version', 'v1beta1')).includes('deprecated-api-version'));
    writeFileSync(join(dir, '.capi-dcs.yaml'), 'capiVersion: v1beta1\n');
    try {
      assert.ok(!(await ruleIds()).includes('deprecated-api-version'));
      // The flag wins over the file.
      assert.ok((await ruleIds('--capi-version', 'v1beta2')).includes('deprecated-api-version'));
    } finally {
      rmSync(join(dir, '.capi-dcs.yaml'));
    }
  });

  it('a quoted placeholder stays a string once rendered; a plain one takes the type of its value', async () => {
    const found = await problems('--var', 'CLUSTER_NAME=a', '--var', 'MASK=16', '--var', 'N=three', 'template.yaml');
    // mask: "${MASK:=24}" renders to the string "16" (no schema-type); replicas: ${N} to the string three (a type error).
    assert.ok(!found.some((p) => p.message.includes('mask')), JSON.stringify(found));
    assert.ok(found.some((p) => p.ruleId === 'schema-type' && p.message.includes('replicas')), JSON.stringify(found));
    const numeric = await problems('--var', 'CLUSTER_NAME=a', '--var', 'N=2', 'template.yaml');
    assert.ok(!numeric.some((p) => p.ruleId.startsWith('schema-type')), JSON.stringify(numeric));
  });

  it('cross-document rules see the rendered objects', async () => {
    writeFileSync(join(dir, 'machines.yaml'), 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: DCSMachineTemplate\nmetadata: {name: a-md-0, namespace: ns}\nspec:\n  template:\n    spec: {vmTemplateName: t, ipHostPoolRef: {name: p}}\n');
    try {
      const refsTo = async (...argv: string[]) => (await problems(...argv, 'template.yaml', 'machines.yaml')).filter((p) => p.ruleId === 'ref-not-found').map((p) => p.message);
      assert.equal((await refsTo()).length, 1, 'as written, "${CLUSTER_NAME}-md-0" names no template');
      assert.deepEqual(await refsTo('--var', 'CLUSTER_NAME=a'), []);
      assert.match((await refsTo('--var', 'CLUSTER_NAME=b')).join('\n'), /DCSMachineTemplate "b-md-0"/);
      // The rendered replicas count: two machines, one pool entry.
      const exhausted = (await problems('--var', 'CLUSTER_NAME=a', '--var', 'N=2', 'template.yaml', 'machines.yaml')).filter((p) => p.ruleId === 'pool-exhausted');
      assert.equal(exhausted.length, 1);
    } finally {
      rmSync(join(dir, 'machines.yaml'));
    }
  });
});
