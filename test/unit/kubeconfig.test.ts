import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { kubeconfigFiles, loadKubeConfig } from '../../src/shared/kubeconfig';

const dir = mkdtempSync(join(tmpdir(), 'capi-dcs-kubeconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A kubeconfig file with one cluster, one user `admin` and one context, each named after `tag` but the user. */
function kubeconfigFile(name: string, tag: string, options: { cluster?: string; certFile?: string } = {}): string {
  const path = join(dir, name);
  const cluster = options.cluster ?? `cluster-${tag}`;
  const user = options.certFile ? `    client-certificate: ${options.certFile}\n` : `    token: token-${tag}\n`;
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters:
- name: ${cluster}
  cluster:
    server: https://127.0.0.1:${tag === 'a' ? '6443' : '7443'}
users:
- name: admin
  user:
${user}contexts:
- name: ctx-${tag}
  context:
    cluster: ${cluster}
    user: admin
current-context: ctx-${tag}
`,
  );
  return path;
}

describe('kubeconfig loading', () => {
  it('merges a $KUBECONFIG list as kubectl does: the first entry of a name and the first current-context win', () => {
    const a = kubeconfigFile('a.yaml', 'a', { cluster: 'shared' });
    const b = kubeconfigFile('b.yaml', 'b', { cluster: 'shared' });
    const env = { KUBECONFIG: [a, join(dir, 'missing.yaml'), b].join(delimiter) };
    assert.deepEqual(kubeconfigFiles(undefined, env), [a, b]);

    const kc = loadKubeConfig(undefined, env);
    assert.ok(kc);
    assert.equal(kc.getCurrentContext(), 'ctx-a');
    assert.deepEqual(kc.getContexts().map((c) => c.name), ['ctx-a', 'ctx-b']);
    assert.deepEqual(kc.getUsers().map((u) => [u.name, u.token]), [['admin', 'token-a']]);
    assert.deepEqual(kc.getClusters().map((c) => [c.name, c.server]), [['shared', 'https://127.0.0.1:6443']]);

    // The other order: the other file's entries and current context.
    const reversed = loadKubeConfig(undefined, { KUBECONFIG: [b, a].join(delimiter) });
    assert.ok(reversed);
    assert.equal(reversed.getCurrentContext(), 'ctx-b');
    assert.equal(reversed.getUser('admin')?.token, 'token-b');
  });

  it('takes current-context from the first file that sets it, and resolves relative paths per file', () => {
    const none = join(dir, 'none.yaml');
    writeFileSync(none, 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n');
    const c = kubeconfigFile('c.yaml', 'c', { certFile: 'certs/admin.crt' });
    const kc = loadKubeConfig(undefined, { KUBECONFIG: [none, c].join(delimiter) });
    assert.ok(kc);
    assert.equal(kc.getCurrentContext(), 'ctx-c');
    assert.equal(kc.getUser('admin')?.certFile, join(dir, 'certs', 'admin.crt'));
  });

  it('reads only an explicit path, and says when it is missing', () => {
    const a = kubeconfigFile('only.yaml', 'a');
    assert.equal(loadKubeConfig(a, { KUBECONFIG: kubeconfigFile('ignored.yaml', 'b') })?.getCurrentContext(), 'ctx-a');
    assert.throws(() => loadKubeConfig(join(dir, 'nope.yaml')), /does not exist/);
    assert.equal(loadKubeConfig(undefined, { KUBECONFIG: join(dir, 'nope.yaml') }), undefined);
  });
});
