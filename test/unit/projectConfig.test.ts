// .capi-dcs.yaml: its JSON schema cannot drift from ServerSettings, the rule registry or package.json, and
// the shared loader reads, checks and merges it as both front ends expect.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { rules } from '../../server/engine/rules';
import { CONFIG_SCHEMA, mergeSettings, parseProjectConfig } from '../../src/shared/projectConfig';
import { defaultServerSettings, explicitSettings, SERVER_SETTING_KEYS } from '../../src/shared/settings';

const root = join(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { yamlValidation: { fileMatch: string; url: string }[]; configuration: { properties: Record<string, { default?: unknown }> } };
};

interface Schema {
  properties?: Record<string, Schema>;
  default?: unknown;
}
const schema = CONFIG_SCHEMA as Schema;

/** Leaf field paths of a value (objects with fixed fields are walked; maps of ids are leaves). */
function leaves(value: unknown, prefix = ''): string[] {
  const isFieldObject = typeof value === 'object' && value !== null && !Array.isArray(value) && prefix !== 'rules' && prefix !== 'variables';
  if (!isFieldObject) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

function schemaAt(path: string): Schema | undefined {
  return path.split('.').reduce<Schema | undefined>((s, key) => s?.properties?.[key], schema);
}

describe('.capi-dcs.yaml schema', () => {
  it('has exactly the fields of ServerSettings, with the same defaults', () => {
    const fields = leaves(defaultServerSettings).sort();
    assert.deepEqual(fields, [...SERVER_SETTING_KEYS].sort());
    for (const field of fields) {
      const at = schemaAt(field);
      assert.ok(at, `the schema has no ${field}`);
      assert.deepEqual(at.default, field.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], defaultServerSettings), `default of ${field}`);
    }
    const schemaLeaves = (s: Schema, prefix: string): string[] =>
      s.properties && prefix !== 'rules' ? Object.entries(s.properties).flatMap(([k, v]) => schemaLeaves(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
    assert.deepEqual(schemaLeaves(schema, '').sort(), fields, 'fields in the schema that ServerSettings lacks');
  });

  it('accepts the defaults written out as a file', () => {
    assert.deepEqual(parseProjectConfig(stringify(defaultServerSettings)).problems, []);
  });

  it('names every rule id with a description, and accepts the schema-* ids too', () => {
    const named = Object.keys(schema.properties?.rules?.properties ?? {}).sort();
    assert.deepEqual(named, ['template-variable-unset', 'yaml-syntax', ...rules.map((r) => r.id)].sort());
    assert.deepEqual(parseProjectConfig('rules: {schema-enum: warning, dcs-gateway-in-subnet: off}\n').problems, []);
  });

  it('is the schema package.json gives the YAML extension, and every field is a VS Code setting', () => {
    const [entry] = packageJson.contributes.yamlValidation.filter((v) => v.fileMatch === '.capi-dcs.yaml');
    assert.ok(entry);
    assert.deepEqual(JSON.parse(readFileSync(join(root, entry.url), 'utf8')), CONFIG_SCHEMA);
    for (const key of SERVER_SETTING_KEYS) assert.ok(packageJson.contributes.configuration.properties[`capi-dcs.${key}`], `capi-dcs.${key} in package.json`);
  });
});

describe('.capi-dcs.yaml loader', () => {
  it('reads a valid file; an empty one is no setting at all', () => {
    assert.deepEqual(parseProjectConfig('rules:\n  kcp-replicas-odd: off\nvariables: {REPLICAS: 3}\n'), { values: { rules: { 'kcp-replicas-odd': 'off' }, variables: { REPLICAS: 3 } }, problems: [] });
    assert.deepEqual(parseProjectConfig(''), { values: {}, problems: [] });
    // YAML numbers are clusterctl text.
    assert.deepEqual(mergeSettings({ variables: { REPLICAS: 3 } }).variables, { REPLICAS: '3' });
  });

  it('a broken file applies nothing and says where and why', () => {
    const text = 'capiVersion: v1beta1\nrules:\n  kcp-replicas-odd: fatal\nfiles: {inclde: []}\n';
    const { values, problems } = parseProjectConfig(text);
    assert.deepEqual(values, {});
    const shown = problems.map((p) => `${p.line}:${p.column} ${p.ruleId} ${text.slice(p.start, p.end)}`).sort();
    assert.deepEqual(shown, ['3:21 schema-enum fatal', '4:9 schema-unknown-field inclde']);
    assert.match(problems.find((p) => p.ruleId === 'schema-unknown-field')?.message ?? '', /did you mean "include"/);
    const syntax = parseProjectConfig('rules: {a: off\n').problems;
    assert.equal(syntax[0]?.ruleId, 'yaml-syntax');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 12 }, (_, i) => `${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(9).fill(i === 0 ? '*a' : `*${'b'.repeat(i)}`).join(', ')}]`)].join('\n');
    assert.equal(parseProjectConfig(bomb).problems[0]?.ruleId, 'yaml-syntax');
  });

  it('merges layers: later ones win per key, maps per entry, lists whole', () => {
    const file = { rules: { 'kcp-replicas-odd': 'off', 'ref-not-found': 'error' }, capiVersion: 'v1beta1', files: { include: ['clusters/**'], exclude: ['tmp/**'] } };
    const editor = { rules: { 'ref-not-found': 'hint' }, files: { exclude: [] } };
    const merged = mergeSettings(file, editor);
    assert.deepEqual(merged.rules, { 'kcp-replicas-odd': 'off', 'ref-not-found': 'hint' });
    assert.equal(merged.capiVersion, 'v1beta1');
    assert.deepEqual(merged.files, { include: ['clusters/**'], exclude: [] });
    assert.deepEqual(mergeSettings(), defaultServerSettings);
  });

  it('explicit VS Code settings leave out what the user did not set', () => {
    const set: Record<string, unknown> = { 'validation.enable': false, rules: { 'kcp-replicas-odd': 'hint' } };
    const explicit = explicitSettings((key) => key in set, (key) => set[key]);
    assert.deepEqual(explicit, { validation: { enable: false }, rules: { 'kcp-replicas-odd': 'hint' } });
    const merged = mergeSettings({ validation: { schemaSource: 'cluster' }, capiVersion: 'v1beta1' }, explicit);
    assert.deepEqual(merged.validation, { enable: false, schemaSource: 'cluster', clusterContext: '' });
    assert.equal(merged.capiVersion, 'v1beta1');
  });
});
