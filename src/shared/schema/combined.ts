// One JSON schema for a whole multi-document YAML file, for editors that pick a schema per file
// (yaml-language-server, monaco-yaml): each catalog entry applies when apiVersion and kind match it.
// if/then rather than oneOf: a document of an unknown kind stays free, and errors name the real field.
import type { SchemaCatalog } from './catalog';
import type { JsonSchema } from './convert';

export interface CombinedSchemaOptions {
  /** Which entries to include (default: every one). */
  readonly include?: (entry: { apiVersion: string; kind: string; origin: string }) => boolean;
}

export function combinedSchema(catalog: SchemaCatalog, options: CombinedSchemaOptions = {}): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const entries = catalog.entries().filter((e) => options.include?.(e) ?? true);
  const allOf = entries.flatMap((e, i) => {
    const schema = catalog.getSchema(e.apiVersion, e.kind);
    if (!schema) return [];
    definitions[`k${i}`] = schema;
    return [{
      if: { properties: { apiVersion: { const: e.apiVersion }, kind: { const: e.kind } }, required: ['apiVersion', 'kind'] },
      then: { $ref: `#/definitions/k${i}` },
    }];
  });
  const kinds = [...new Set(entries.map((e) => e.kind))].sort();
  const apiVersions = [...new Set(entries.map((e) => e.apiVersion))].sort();
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    // Offered as completions while a document has no apiVersion or kind yet (examples, not enums: other kinds stay valid).
    properties: { apiVersion: { type: 'string', examples: apiVersions }, kind: { type: 'string', examples: kinds } },
    definitions,
    allOf,
  };
}
