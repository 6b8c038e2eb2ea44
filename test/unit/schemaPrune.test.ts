// A schema cut down to an object's fields (prune.ts) must judge that object exactly as the whole schema:
// the same problems, in the same order, over every example and many broken variations of them.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadBundledCatalog } from '../../src/shared/schema/bundled';
import { fieldsKey, pruneSchema } from '../../src/shared/schema/prune';
import { ManifestValidator } from '../../src/shared/schema/validate';
import { capiSchemaDir, ExampleFiles, exampleObjects } from '../fixtures/schemas/examples';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Every path to a value inside the object. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length > 0) out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

/** The object with one random break: a wrong type, an unknown field, a removed field, a bad string. */
function broken(object: Record<string, unknown>, next: () => number): Record<string, unknown> {
  const copy = structuredClone(object);
  const all = paths(copy);
  const path = all[Math.floor(next() * all.length)] ?? ['spec'];
  let parent: unknown = copy;
  for (const segment of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[segment];
  const holder = parent as Record<string | number, unknown>;
  const last = path[path.length - 1] ?? 'spec';
  const breaks = [
    () => (holder[last] = typeof holder[last] === 'number' ? 'seven' : 7),
    () => (holder[last] = { unexpected: true }),
    () => (holder[last] = ['a', 'list']),
    () => (holder[last] = null),
    () => (Array.isArray(holder) ? holder.splice(Number(last), 1) : Reflect.deleteProperty(holder, last)),
    () => (holder[last] = 'Not_A-DNS Name!'),
    () => (typeof holder[last] === 'object' && holder[last] !== null ? ((holder[last] as Record<string, unknown>).unknownField = 'x') : (holder.unknownSibling = 1)),
  ];
  breaks[Math.floor(next() * breaks.length)]?.();
  return copy;
}

describe('schemas cut to an object', () => {
  let catalog: ReturnType<typeof loadBundledCatalog>;
  let whole: ManifestValidator;

  before(() => {
    catalog = loadBundledCatalog(capiSchemaDir());
    whole = new ManifestValidator(catalog);
  });

  it('give the same problems as the whole schemas, for the examples and broken variations of them', () => {
    const next = random(5);
    let problems = 0;
    for (const file of Object.values(ExampleFiles)) {
      for (const object of exampleObjects(file)) {
        // A fresh validator per object: its cut schemas, not the whole one compiled after too many shapes.
        const partial = new ManifestValidator(catalog, { partialCompile: true });
        // The object twice: the second time its validator is found by its fields.
        for (const variant of [object, object, ...Array.from({ length: 12 }, () => broken(object, next))]) {
          const expected = whole.validate(variant, { allowPlaceholders: true });
          problems += expected.length;
          assert.deepEqual(partial.validate(variant, { allowPlaceholders: true }), expected, `${file}: ${object.kind} ${JSON.stringify(variant).slice(0, 200)}`);
        }
      }
    }
    // The variations did break things: there were problems to compare.
    assert.ok(problems > 100, `${problems} problems`);
  });

  it('keeps only the fields the object has, and names its shape', () => {
    const schema = catalog.getSchema('cluster.x-k8s.io/v1beta2', 'Cluster');
    assert.ok(schema);
    const object = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'c' }, spec: { paused: true } };
    const cut = pruneSchema(schema, object);
    const properties = cut.schema.properties as Record<string, { properties?: Record<string, unknown> }>;
    assert.deepEqual(Object.keys(properties), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.deepEqual(Object.keys(properties.spec?.properties ?? {}), ['paused']);
    assert.ok(JSON.stringify(cut.schema).length < JSON.stringify(schema).length / 5);
    assert.equal(pruneSchema(schema, { ...object, spec: { paused: false } }).shape, cut.shape);
    assert.notEqual(pruneSchema(schema, { ...object, spec: { paused: false, topology: {} } }).shape, cut.shape);
    // The cheaper key: the same fields with other values match; a scalar where an object was does not.
    assert.equal(fieldsKey({ ...object, metadata: { name: 'other' } }), fieldsKey(object));
    assert.notEqual(fieldsKey({ ...object, spec: 'paused' }), fieldsKey(object));
    assert.notEqual(fieldsKey({ ...object, spec: [{ paused: true }] }), fieldsKey(object));
  });
});
