import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALL_CAPI_PROGRAMS, CAPI_PROGRAMS, capiBinariesKey, capiLdflags, ensureCapiBinaries } from '../../../src/lab/capiBinaries';
import { capiToolsModuleDir, pinnedVersions } from '../../../src/lab/projectPaths';

describe('CAPI binaries (tools/capi)', () => {
  let scratch = '';
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'capi-dcs-capi-binaries-test-'));
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('tools/capi/go.mod pins the cluster-api release of versions.json and declares a tool for each program', () => {
    const goMod = readFileSync(join(capiToolsModuleDir(), 'go.mod'), 'utf8');
    assert.match(goMod, new RegExp(`^\\tsigs\\.k8s\\.io/cluster-api ${pinnedVersions.clusterApi.replaceAll('.', '\\.')}( //.*)?$`, 'm'));
    assert.match(goMod, new RegExp(`^replace sigs\\.k8s\\.io/cluster-api/api => sigs\\.k8s\\.io/cluster-api/api ${pinnedVersions.clusterApi.replaceAll('.', '\\.')}$`, 'm'));
    const tools = /^tool \(\n([^)]*)\)/m.exec(goMod)?.[1]?.split('\n').map((l) => l.trim()).filter(Boolean) ?? [];
    assert.deepEqual(tools.sort(), Object.values(CAPI_PROGRAMS).sort());
  });

  it('stamps the CAPI release into its version package', () => {
    assert.match(capiLdflags(pinnedVersions), new RegExp(`-X sigs\\.k8s\\.io/cluster-api/version\\.gitVersion=${pinnedVersions.clusterApi}`));
    assert.throws(() => capiLdflags({ ...pinnedVersions, clusterApi: 'latest' }), /clusterApi "latest"/);
  });

  it('keys the cache by the release and by the build module (go.sum)', () => {
    const dir = join(scratch, 'module');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'go.mod'), 'module x\n');
    writeFileSync(join(dir, 'go.sum'), 'a\n');
    const before = capiBinariesKey(pinnedVersions, capiLdflags(pinnedVersions), dir);
    assert.ok(before.startsWith(`cluster-api-${pinnedVersions.clusterApi}_`), before);
    writeFileSync(join(dir, 'go.sum'), 'b\n');
    assert.notEqual(capiBinariesKey(pinnedVersions, capiLdflags(pinnedVersions), dir), before);
  });

  it('returns cached programs without running go, and only the ones asked for', async () => {
    const cache = join(scratch, 'cache');
    const key = capiBinariesKey(pinnedVersions, capiLdflags(pinnedVersions), capiToolsModuleDir());
    mkdirSync(join(cache, 'bin', key), { recursive: true });
    for (const program of ALL_CAPI_PROGRAMS) writeFileSync(join(cache, 'bin', key, program), '');
    const found = await ensureCapiBinaries({ cacheRoot: cache, go: join(scratch, 'no-such-go'), only: ['clusterctl'] });
    assert.deepEqual(found.built, []);
    assert.deepEqual(Object.keys(found.paths), ['clusterctl']);
    assert.equal(found.paths.clusterctl, join(cache, 'bin', key, 'clusterctl'));
  });
});
