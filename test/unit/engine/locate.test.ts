import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locate } from '../../../server/engine/locate';
import { parseManifest } from '../../../server/engine/manifest';

const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
data:
  list:
  - a
  - {b: "two"}
`;

function at(path: (string | number)[], target: 'key' | 'value' = 'value') {
  const doc = parseManifest(text).docs[0];
  assert.ok(doc);
  const r = locate(doc, path, target);
  return { text: text.slice(r.start, r.end), exact: r.exact };
}

describe('locate', () => {
  it('finds a scalar value and its key', () => {
    assert.deepEqual(at(['metadata', 'name']), { text: 'demo', exact: true });
    assert.deepEqual(at(['metadata', 'name'], 'key'), { text: 'name', exact: true });
  });

  it('walks into sequences and flow maps', () => {
    assert.deepEqual(at(['data', 'list', 1, 'b']), { text: '"two"', exact: true });
  });

  it('points a missing field at its closest parent key', () => {
    assert.deepEqual(at(['metadata', 'namespace']), { text: 'metadata', exact: false });
    assert.deepEqual(at(['data', 'list', 5]), { text: 'list', exact: false });
  });

  it('underlines only the first line of a collection', () => {
    assert.deepEqual(at(['data', 'list']), { text: '- a', exact: true });
  });
});

describe('parseManifest', () => {
  it('reads every document and what identifies it', () => {
    const parsed = parseManifest(`${text}---\napiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata: {name: c, namespace: n}\n`);
    assert.deepEqual(
      parsed.docs.map((d) => [d.apiVersion, d.kind, d.name, d.namespace]),
      [
        ['v1', 'ConfigMap', 'demo', undefined],
        ['cluster.x-k8s.io/v1beta2', 'Cluster', 'c', 'n'],
      ],
    );
  });

  it('survives an alias bomb with a clear problem instead of expanding it', () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 12; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    const started = Date.now();
    const parsed = parseManifest(lines.join('\n'));
    assert.ok(Date.now() - started < 2000);
    assert.equal(parsed.docs[0]?.object, undefined);
    assert.match(parsed.syntaxErrors[0]?.message ?? '', /cannot be read/);
  });

  it('reports duplicate keys as syntax errors', () => {
    const parsed = parseManifest('apiVersion: v1\nkind: ConfigMap\nkind: Secret\n');
    assert.equal(parsed.syntaxErrors.length, 1);
  });
});

describe('incremental parsing', () => {
  it('re-parses only the edited document and keeps every range exact', () => {
    const a = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';
    const b = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n';
    const cache = new Map();
    const first = parseManifest(`${a}---\n${b}`, cache);
    const edited = `${a.replace('name: a', 'name: aaaa')}---\n${b}`;
    const second = parseManifest(edited, cache);
    assert.notEqual(second.docs[0]?.object, first.docs[0]?.object);
    assert.equal(second.docs[1]?.object, first.docs[1]?.object, 'the untouched document is reused');
    const doc = second.docs[1];
    assert.ok(doc);
    const r = locate(doc, ['metadata', 'name']);
    assert.equal(edited.slice(r.start, r.end), 'b');
  });

  it('treats a marker at column 0 after a block scalar as a new document', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  script: |\n    echo hi\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n';
    assert.deepEqual(parseManifest(text).docs.map((d) => d.kind), ['ConfigMap', 'Secret']);
  });
});

describe('the fast and the exact parser agree', () => {
  it('keeps timestamps and version-like values as strings', () => {
    const doc = parseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, creationTimestamp: 2024-01-01T00:00:00Z}\ndata: {v: "1.34", n: 1.34, on: on}\n').docs[0];
    assert.deepEqual(doc?.object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', creationTimestamp: '2024-01-01T00:00:00Z' }, data: { v: '1.34', n: 1.34, on: 'on' } });
  });
});
