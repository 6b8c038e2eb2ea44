// Every invalid object of the table is rejected by the catalog at the expected field path with the
// expected rule, and nothing else is reported. test/integration/schemas.test.ts sends the same table
// to a real API server.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadBundledCatalog } from '../../src/shared/schema/bundled';
import { ManifestValidator } from '../../src/shared/schema/validate';
import { capiSchemaDir } from '../fixtures/schemas/examples';
import { invalidCases } from '../fixtures/schemas/invalidCases';

describe('invalid objects', () => {
  let validator: ManifestValidator;

  before(() => {
    validator = new ManifestValidator(loadBundledCatalog(capiSchemaDir()));
  });

  it('has at least 30 cases, most of them expressible in the CRDs, with distinct names', () => {
    assert.ok(invalidCases.length >= 30, `${String(invalidCases.length)} cases`);
    assert.ok(invalidCases.filter((c) => c.crd).length >= 30);
    assert.equal(new Set(invalidCases.map((c) => c.name)).size, invalidCases.length);
  });

  for (const c of invalidCases) {
    it(`${c.name} -> ${c.ruleId} at ${c.path}`, () => {
      const problems = c.before ? validator.validateUpdate(c.before, c.object) : validator.validate(c.object);
      const summary = JSON.stringify(problems.map((p) => `${p.ruleId} ${p.path}: ${p.message}`));
      assert.ok(problems.some((p) => p.path === c.path && p.ruleId === c.ruleId), summary);
      assert.deepEqual(problems.filter((p) => p.path !== c.path), [], `problems elsewhere: ${summary}`);
      for (const p of problems) assert.ok(p.message.length > 10, `a useful message: ${p.message}`);
      if (c.before) assert.deepEqual(validator.validate(c.before), [], 'the stored object is valid');
    });
  }
});
