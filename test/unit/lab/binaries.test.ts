import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { binariesKey, binaryPaths, ensureBinaries, versionLdflags } from '../../../src/lab/binaries';
import { BuildError, GoMissingError } from '../../../src/lab/errors';
import { pinnedVersions } from '../../../src/lab/projectPaths';

describe('lab binaries', () => {
  let scratch = '';
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'capi-dcs-binaries-test-'));
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A Go module shaped like tools/mgmt-plane whose etcd main does not compile. */
  function brokenModule(): string {
    const dir = join(scratch, 'broken');
    mkdirSync(join(dir, 'cmd', 'kube-apiserver'), { recursive: true });
    mkdirSync(join(dir, 'cmd', 'etcd'), { recursive: true });
    writeFileSync(join(dir, 'go.mod'), 'module broken.example/lab\n\ngo 1.22\n');
    writeFileSync(join(dir, 'cmd', 'kube-apiserver', 'main.go'), 'package main\n\nfunc main() {}\n');
    writeFileSync(join(dir, 'cmd', 'etcd', 'main.go'), 'package main\n\nfunc main() { undefinedCall() }\n');
    return dir;
  }

  it('stamps the Kubernetes release into the link flags', () => {
    const flags = versionLdflags({ ...pinnedVersions, kubernetes: 'v1.36.3' });
    assert.match(flags, /-X k8s\.io\/component-base\/version\.gitVersion=v1\.36\.3/);
    assert.match(flags, /gitMajor=1 /);
    assert.match(flags, /gitMinor=36 /);
    assert.throws(() => versionLdflags({ ...pinnedVersions, kubernetes: 'master' }), /not vMAJOR\.MINOR\.PATCH/);
  });

  it('keys the cache by versions and by a hash of flags and module files', () => {
    const moduleDir = brokenModule();
    const key = binariesKey(pinnedVersions, '-s -w', moduleDir);
    assert.ok(key.startsWith(`kubernetes-${pinnedVersions.kubernetes}_etcd-${pinnedVersions.etcd}_`), key);
    assert.equal(binariesKey(pinnedVersions, '-s -w', moduleDir), key);
    assert.notEqual(binariesKey(pinnedVersions, '-s', moduleDir), key);
    assert.notEqual(binariesKey({ ...pinnedVersions, etcd: 'v3.6.99' }, '-s -w', moduleDir), key);
  });

  it('uses cached binaries without running go', async () => {
    const moduleDir = brokenModule();
    const cache = join(scratch, 'cache-hit');
    const key = binariesKey(pinnedVersions, versionLdflags(pinnedVersions), moduleDir);
    const paths = binaryPaths(join(cache, 'bin', key));
    mkdirSync(paths.dir, { recursive: true });
    for (const file of [paths.kubeApiserver, paths.etcd]) {
      writeFileSync(file, '#!/bin/sh\n');
      chmodSync(file, 0o755);
    }
    const result = await ensureBinaries({ cacheRoot: cache, moduleDir, go: join(scratch, 'no-such-go') });
    assert.equal(result.built, false);
    assert.equal(result.etcd, paths.etcd);
  });

  it('says clearly that Go is missing', async () => {
    await assert.rejects(
      ensureBinaries({ cacheRoot: join(scratch, 'cache-nogo'), moduleDir: brokenModule(), go: join(scratch, 'no-such-go') }),
      (err: unknown) => err instanceof GoMissingError && err.message.includes('Go toolchain not found') && err.message.includes('CAPI_DCS_GO'),
    );
    const bin = join(scratch, 'cache-nogo', 'bin');
    assert.ok(!existsSync(bin) || readdirSync(bin).length === 0, 'no partial folder left behind');
  });

  it('reports a build failure with the compiler output and leaves no partial folder', async () => {
    const cache = join(scratch, 'cache-broken');
    await assert.rejects(ensureBinaries({ cacheRoot: cache, moduleDir: brokenModule() }), (err: unknown) => {
      assert.ok(err instanceof BuildError, String(err));
      assert.match(err.message, /undefined: undefinedCall/);
      assert.match(err.command, /go build .*\.\/cmd\/kube-apiserver \.\/cmd\/etcd/);
      return true;
    });
    assert.deepEqual(readdirSync(join(cache, 'bin')), []);
    assert.ok(!existsSync(join(cache, 'bin', binariesKey(pinnedVersions, versionLdflags(pinnedVersions), brokenModule()))));
  });
});
