// The schema catalog's validator as the engine's SchemaChecker, with results cached per parsed object:
// after an edit only the documents that changed are validated again.
import type { ManifestValidator } from '../../src/shared/schema/validate';
import type { JsonSchema, SchemaSource } from './schemaCompletion';
import type { SchemaChecker, SchemaFinding } from './validate';

const UNKNOWN_FIELD = 'schema-unknown-field';

export class CatalogSchemaChecker implements SchemaChecker, SchemaSource {
  private readonly cache = new WeakMap<object, readonly SchemaFinding[]>();

  constructor(private readonly validator: ManifestValidator) {}

  schemaFor(apiVersion: string, kind: string): JsonSchema | undefined {
    return this.validator.catalog.getSchema(apiVersion, kind);
  }

  kinds(): readonly { apiVersion: string; kind: string }[] {
    return this.validator.catalog.entries().filter((e) => e.served);
  }

  check(object: Record<string, unknown>): readonly SchemaFinding[] {
    const cached = this.cache.get(object);
    if (cached) return cached;
    const findings = this.validator.validate(object, { allowPlaceholders: true }).map(
      (p): SchemaFinding => ({
        ruleId: p.ruleId,
        path: p.segments,
        // Name the field, as kubectl does: "spec.pool[1].ip: must be an IPv4 address".
        message: p.path === '' || p.message.includes(p.path) ? p.message : `${p.path}: ${p.message}`,
        target: p.ruleId === UNKNOWN_FIELD ? 'key' : 'value',
        severity: p.severity,
      }),
    );
    this.cache.set(object, findings);
    return findings;
  }
}
