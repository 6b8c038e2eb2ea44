import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifest } from '../../../server/engine/manifest';
import { renderedObject, substituteObject } from '../../../server/engine/placeholders';
import { findPlaceholders, substituteString } from '../../../src/shared/schema/clusterctlTemplate';

describe('clusterctl placeholders', () => {
  it('finds every form clusterctl understands', () => {
    const found = findPlaceholders('${A} ${B:=b} ${C:-c} ${D=d} ${E/x/y} ${ F } ${G:=${H}}');
    assert.deepEqual(
      found.map((p) => [p.name, p.defaultValue, p.modifier]),
      [
        ['A', undefined, undefined],
        ['B', 'b', undefined],
        ['C', 'c', undefined],
        ['D', 'd', undefined],
        ['E', undefined, '/x/y'],
        ['F', undefined, undefined],
        ['G', '${H}', undefined],
      ],
    );
  });

  it('skips the $${VAR} escape', () => {
    assert.deepEqual(findPlaceholders('echo $${HOME}'), []);
  });

  it('substitutes values, then defaults for unset or empty values, and keeps unknown holes', () => {
    assert.equal(substituteString('${A}-${B:=bee}-${C}', { A: 'a', B: '' }), 'a-bee-${C}');
    assert.equal(substituteString('${G:=${H}}', { H: 'h' }), 'h');
    assert.equal(substituteString('${E/x/y}', { E: 'x' }), '${E/x/y}');
  });

  it('gives a whole-value placeholder the YAML type of its value', () => {
    assert.deepEqual(substituteObject({ replicas: '${N}', name: '${N}-md', paused: '${P:=false}' }, { N: '3' }), {
      replicas: 3,
      name: '3-md',
      paused: false,
    });
  });

  it('keeps a quoted placeholder a string once rendered, as clusterctl\'s substitute-then-parse does', () => {
    const [doc] = parseManifest('kind: X\nspec:\n  a: ${N}\n  b: "${N}"\n  c: \'${M:=1}\'\n  d:\n  - ${N}\n  - "${N}"\n').docs;
    assert.ok(doc);
    assert.deepEqual(renderedObject(doc, { N: '24' }), { kind: 'X', spec: { a: 24, b: '24', c: '1', d: [24, '24'] } });
  });
});
