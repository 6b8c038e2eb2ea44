// Rule results are reused across edits (WorkspaceIndex.checked): after every edit, each file's problems must
// be exactly those of a fresh index built from the same texts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateFile, type Problem } from '../../../server/engine/validate';
import { WorkspaceIndex } from '../../../server/engine/workspaceIndex';
import { cluster, POOLS, TEMPLATES } from '../../fixtures/engine-cluster';

type Files = Record<string, string>;

function problemsOf(index: WorkspaceIndex, files: Files): Record<string, Problem[]> {
  const out: Record<string, Problem[]> = {};
  for (const uri of Object.keys(files)) {
    const file = index.file(uri);
    if (file) out[uri] = validateFile(file, index);
  }
  return out;
}

function fresh(files: Files, baselines: Files, options?: { incremental: boolean }): WorkspaceIndex {
  const index = new WorkspaceIndex(options);
  for (const [uri, text] of Object.entries(files)) index.set(uri, text);
  for (const [uri, text] of Object.entries(baselines)) index.setBaseline(uri, text);
  return index;
}

const SECOND_POOL = POOLS.replace('demo-wk-pool', 'other-pool');
const WITH_DUPLICATE = `${cluster({ kcpReplicas: 2, mdInfraName: 'demo-wk-v9' })}---\n${(cluster().split('---\n')[1] ?? '').replace('site: SIM0001A', 'site: SIM0002B')}`;

describe('incremental re-validation', () => {
  it('gives the problems of a fresh index after each edit', () => {
    const files: Files = { 'file:///pools.yaml': POOLS, 'file:///templates.yaml': TEMPLATES, 'file:///cluster.yaml': cluster({ kcpReplicas: 3 }) };
    const baselines: Files = { 'file:///templates.yaml': TEMPLATES };
    const index = fresh(files, baselines);
    problemsOf(index, files); // fills the cache
    const steps: [string, (f: Files) => void][] = [
      ['replicas change', (f) => (f['file:///cluster.yaml'] = cluster({ kcpReplicas: 3, mdReplicas: 9 }))],
      ['a reference to a missing template', (f) => (f['file:///cluster.yaml'] = cluster({ kcpReplicas: 2, mdInfraName: 'demo-wk-v9' }))],
      ['the template appears in another file', (f) => (f['file:///more.yaml'] = TEMPLATES.replaceAll('demo-wk-v1', 'demo-wk-v9').replaceAll('demo-cp-v1', 'demo-cp-v9'))],
      ['a template edited in place', (f) => (f['file:///templates.yaml'] = TEMPLATES.replace('quantity: 4', 'quantity: 8'))],
      ['a pool that shares addresses', (f) => (f['file:///pools2.yaml'] = SECOND_POOL)],
      ['a DCSCluster defined twice, differently', (f) => (f['file:///cluster.yaml'] = WITH_DUPLICATE)],
      // The duplicate's message names the other's position ("document 3 of this file"), which moves.
      ['a document inserted above the duplicates', (f) => (f['file:///cluster.yaml'] = `apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n---\n${WITH_DUPLICATE}`)],
      ['a version skew', (f) => (f['file:///cluster.yaml'] = cluster({ kcpVersion: 'v1.31.2', mdVersion: 'v1.34.2' }))],
      ['the same document twice', (f) => (f['file:///twice.yaml'] = `${POOLS}---\n${POOLS}`)],
      ['a file removed', (f) => delete f['file:///more.yaml']],
    ];
    const found = new Set<string>();
    for (const [name, edit] of steps) {
      const before = { ...files };
      edit(files);
      for (const uri of Object.keys(before)) if (!(uri in files)) index.remove(uri);
      for (const [uri, text] of Object.entries(files)) index.set(uri, text);
      const expected = problemsOf(fresh(files, baselines), files);
      assert.deepEqual(problemsOf(index, files), expected, name);
      // The lint command's one-shot index keeps nothing for the next edit, and finds the same.
      assert.deepEqual(problemsOf(fresh(files, baselines, { incremental: false }), files), expected, `${name} (one-shot index)`);
      for (const p of Object.values(expected).flat()) found.add(p.ruleId);
    }
    // The steps found problems of the cross-document rules: the comparisons were not between empty lists.
    for (const id of ['duplicate-object', 'ref-not-found', 'template-edited-in-place', 'pool-address-shared', 'version-skew', 'kcp-replicas-odd']) assert.ok(found.has(id), `${id} in ${[...found].join(', ')}`);
  });

  it('recomputes only what an edit can affect', () => {
    const files: Files = { 'file:///pools.yaml': POOLS, 'file:///templates.yaml': TEMPLATES, 'file:///cluster.yaml': cluster({ kcpReplicas: 3 }) };
    const index = fresh(files, {});
    problemsOf(index, files);
    let runs = 0;
    const count = <T>(compute: () => T) => {
      runs++;
      return compute();
    };
    // The pools file did not change: its rule results are reused.
    index.set('file:///cluster.yaml', cluster({ kcpReplicas: 3, mdReplicas: 1 }));
    const pools = index.file('file:///pools.yaml')?.objects ?? [];
    for (const o of pools) index.checked(o, 'pool-address-shared', () => count(() => []));
    assert.equal(runs, 0);
    // A second pool claims the same addresses: the first pool's result is computed again.
    index.set('file:///pools2.yaml', SECOND_POOL);
    for (const o of pools) index.checked(o, 'pool-address-shared', () => count(() => []));
    assert.equal(runs, pools.length);
  });
});
