import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldingRanges } from '../../../server/engine/folding';

describe('folding ranges', () => {
  it('folds each document and each indented block', () => {
    const text = ['apiVersion: v1', 'kind: ConfigMap', 'data:', '  a: 1', '  b:', '    c: 2', '---', 'apiVersion: v1', 'kind: Secret', ''].join('\n');
    const ranges = foldingRanges(text).map((r) => `${r.startLine}-${r.endLine}`).sort();
    assert.deepEqual(ranges, ['0-5', '2-5', '4-5', '6-8'].sort());
  });

  it('lets comments and blank lines inside a block stay in it', () => {
    const text = ['spec:', '  a: 1', '', '  # note', '  b: 2', 'status: {}'].join('\n');
    assert.ok(foldingRanges(text).some((r) => r.startLine === 0 && r.endLine === 4));
  });
});
