// The position map must place every field exactly where the `yaml` package's node tree does: over every
// manifest in the repository and variations of them (comments, blank lines, trailing spaces, quoting,
// nulls, both sequence styles), every path of the tree and some missing ones, both targets.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { isMap, isScalar, isSeq, stringify } from 'yaml';
import { locate, locateInMap, locateInTree, type FieldPath, type Target } from '../../../server/engine/locate';
import { parseManifest, type ManifestDoc } from '../../../server/engine/manifest';
import { scanPositions } from '../../../server/engine/positions';

const root = resolve(__dirname, '../../..');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const manifests = ['schemas/examples', 'schemas/crds', 'test/fixtures', 'demo/workspace', 'config'].flatMap((d) => yamlFiles(join(root, d)));

/** Corners of plain block YAML, and what the map leaves to the tree. */
const corners = `---  # marker with a comment
# leading comment
apiVersion: v1
kind: ConfigMap
metadata:
  # comment before the first key
  name: corners   # trailing comment
  labels:
    a.b/c-d: "quoted value"
    'single': 'it''s'
    "double key": "with \\" escape"
    spaced : value
    8080: number key
    null: null key
    "x\\"y": escaped key
  annotations:
data:
  empty: # comment after nothing
  blank:${'   '}
  list:
  - one
  -   # nothing but a comment
  -
  - k: v # c
    l: w
  indented:
    - a: 1
      b:
      - deep
    - "two"
  flow: {a: 1, b: [x, y]}
  seq: [1, 2]
  anchor: &anchor
    x: 1
  alias: *anchor
  tagged: !!str 12
  block: |
    line one
      line two

    line three
  folded: >-
    folded
  plain: first line
    continued line
  quoted: "first
    second"
  below:
    scalar on the next line
  url: http://example.com:8080/path#frag
  ipv6: fe80::1
  negative: -1
  after: last`;

/** Every path of the node tree, and for each a missing child, a missing index and a key under a sequence. */
function paths(node: unknown, prefix: (string | number)[], out: FieldPath[]): FieldPath[] {
  out.push(prefix, [...prefix, 'missing-field'], [...prefix, 99]);
  if (isMap(node)) {
    for (const pair of node.items) if (isScalar(pair.key)) paths(pair.value, [...prefix, String(pair.key.value)], out);
  } else if (isSeq(node)) {
    out.push([...prefix, 'name']);
    node.items.forEach((item, i) => paths(item, [...prefix, i], out));
  }
  return out;
}

/** The paths of the nodes written in block style (flow collections are left to the tree). */
function blockPaths(node: unknown, prefix: (string | number)[], out: FieldPath[]): FieldPath[] {
  if ((isMap(node) || isSeq(node)) && node.flow) return out;
  out.push(prefix);
  if (isMap(node)) {
    for (const pair of node.items) if (isScalar(pair.key)) blockPaths(pair.value, [...prefix, String(pair.key.value)], out);
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => blockPaths(item, [...prefix, i], out));
  }
  return out;
}

interface Tally {
  docs: number;
  mapped: number;
  paths: number;
  answered: number;
}

/** Compares the map with the tree on every path of every document of `text`. */
function compare(text: string, label: string, tally: Tally): void {
  for (const doc of parseManifest(text).docs) {
    tally.docs++;
    const map = doc.positions;
    if (!map) continue;
    tally.mapped++;
    for (const path of paths((doc.document.contents) ?? null, [], [])) {
      for (const target of ['key', 'value'] as Target[]) {
        tally.paths++;
        const fast = locateInMap(map, path, target);
        if (!fast) continue;
        tally.answered++;
        assert.deepEqual(fast, locateInTree(doc, path, target), `${label}, document ${doc.index}, ${JSON.stringify(path)} (${target})`);
      }
    }
  }
}

const every = (n: number, edit: (line: string) => string) => (text: string) => text.split('\n').map((l, i) => (i % n === n - 1 ? edit(l) : l)).join('\n');

/** Text edits that keep YAML valid most of the time (a chunk js-yaml rejects has no map and is skipped). */
const variations: Record<string, (text: string) => string> = {
  original: (t) => t,
  'trailing comments': every(3, (l) => (l.trim() === '' ? l : `${l}  # note`)),
  'trailing spaces': every(2, (l) => `${l}   `),
  'blank and comment lines': every(4, (l) => `${l}\n\n   # between\n#`),
  nulls: every(5, (l) => l.replace(/^(\s*(?:- )?[\w./-]+:) [^\s#|>&*!{[][^#]*$/, '$1')),
  'nulls with comments': every(5, (l) => l.replace(/^(\s*(?:- )?[\w./-]+:) [^\s#|>&*!{[][^#]*$/, '$1 # gone')),
  'space before colon': every(7, (l) => l.replace(/^(\s*[\w./-]+):( |$)/, '$1 :$2')),
  'no final newline': (t) => t.trimEnd(),
};

/** Each document written again by the `yaml` package: both sequence styles, quoted keys and values. */
const rewritten: Record<string, (object: unknown) => string> = {
  'indented sequences': (o) => stringify(o, { indentSeq: true, lineWidth: 0 }),
  'compact sequences': (o) => stringify(o, { indentSeq: false, lineWidth: 0 }),
  'double quotes': (o) => stringify(o, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 }),
  'single quotes everywhere': (o) => stringify(o, { defaultStringType: 'QUOTE_SINGLE', defaultKeyType: 'QUOTE_SINGLE', lineWidth: 0 }),
};

function objects(text: string): unknown[] {
  return parseManifest(text).docs.flatMap((d: ManifestDoc) => (d.object ? [d.object] : []));
}

describe('position map', () => {
  it('places every field of every repository manifest and its variations as the node tree does', () => {
    const tally: Tally = { docs: 0, mapped: 0, paths: 0, answered: 0 };
    const sources: [string, string][] = [...manifests.map((f): [string, string] => [f.slice(root.length + 1), readFileSync(f, 'utf8')]), ['corners', corners]];
    for (const [name, text] of sources) {
      for (const [variation, edit] of Object.entries(variations)) compare(edit(text), `${name} (${variation})`, tally);
      for (const [variation, write] of Object.entries(rewritten)) {
        const docs = objects(text).map((o) => write(o));
        compare(docs.join('---\n'), `${name} (${variation})`, tally);
      }
    }
    console.log(`# ${JSON.stringify(tally)}`);
    // The comparison must have had something to compare: most documents mapped, most paths answered.
    assert.ok(tally.mapped > tally.docs * 0.8, `${tally.mapped} of ${tally.docs} documents mapped`);
    assert.ok(tally.answered > tally.paths * 0.8, `${tally.answered} of ${tally.paths} paths answered`);
  });

  it('maps every example document, and answers every block-style path of the DCS example', () => {
    for (const file of manifests.filter((f) => f.includes('examples'))) {
      for (const doc of parseManifest(readFileSync(file, 'utf8')).docs) {
        const map = doc.positions;
        assert.ok(map, `${file}, document ${doc.index}`);
        if (!file.endsWith('dcs-cluster-v1beta2.yaml')) continue;
        for (const path of blockPaths((doc.document.contents) ?? null, [], [])) assert.ok(locateInMap(map, path, 'value'), `${file} ${JSON.stringify(path)}`);
      }
    }
  });

  it('leaves to the node tree what it does not read', () => {
    const doc = parseManifest(corners).docs[0];
    assert.ok(doc?.positions);
    for (const path of [['data', 'flow', 'a'], ['data', 'alias'], ['data', 'block'], ['data', 'plain'], ['data', 'quoted'], ['data', 'below'], ['data', 'tagged'], ['data', 'anchor', 'x'], ['metadata', 'labels', 'missing']]) {
      assert.equal(locateInMap(doc.positions, path, 'value'), undefined, JSON.stringify(path));
    }
    // locate still answers them, from the tree.
    const at = locate(doc, ['data', 'flow', 'a']);
    assert.equal(corners.slice(at.start, at.end), '1');
  });

  it('gives no map for what is not plain block YAML', () => {
    for (const text of ['a:\r\n  b: c\r\n', 'a:\n\tb: c\n', '%YAML 1.2\n---\na: b\n', '- a\n- b\n', 'a: b\n...\n', '? a\n: b\n', 'plain scalar\n', 'a:\n- - nested\n', '\uFEFFa: b\n']) {
      assert.equal(scanPositions(text), undefined, JSON.stringify(text));
    }
  });
});
