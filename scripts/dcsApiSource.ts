// Reads schemas/src/dcs-api.yaml and resolves its `$ref`, `$extends` and `x-rules` into the plain
// structural schemas a CRD carries. Used by scripts/gen-dcs.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { PrinterColumn, StructuralSchema } from '../src/shared/schema/crd';
import type { CrdValidationRule } from '../src/shared/schema/celLookup';
import type { OwnCelRule } from '../src/shared/schema/celRule';
import { dcsRules } from '../src/shared/schema/dcsRules';

/** A schema node of the source file: a structural schema plus our three keys. */
export interface SourceSchema extends Omit<StructuralSchema, 'properties' | 'items' | 'additionalProperties'> {
  $ref?: string;
  $extends?: string;
  'x-rules'?: string[];
  properties?: Record<string, SourceSchema>;
  items?: SourceSchema;
  additionalProperties?: SourceSchema | boolean;
}

export interface SourceKind {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  description: string;
  spec: string;
  status: string;
  printerColumns: PrinterColumn[];
  /** CRD labels of this kind only, added to the API's labels. */
  labels?: Record<string, string>;
}

export interface DcsApiSource {
  group: string;
  version: string;
  labels: Record<string, string>;
  categories: string[];
  kinds: SourceKind[];
  definitions: Record<string, SourceSchema>;
}

export const SOURCE_FILE = 'schemas/src/dcs-api.yaml';

export function readDcsApiSource(root: string): DcsApiSource {
  return parse(readFileSync(join(root, SOURCE_FILE), 'utf8')) as DcsApiSource;
}

function ruleById(id: string): OwnCelRule {
  const rule = (dcsRules as Record<string, OwnCelRule | undefined>)[id];
  if (!rule) throw new Error(`${SOURCE_FILE}: unknown x-rules id "${id}"`);
  return rule;
}

function toValidation(id: string, path: string): CrdValidationRule {
  const rule = ruleById(id);
  const validation: { -readonly [K in keyof CrdValidationRule]: CrdValidationRule[K] } = { rule: rule.rule, message: rule.message };
  if (rule.messageExpression !== undefined) {
    if (path.includes('[]')) throw new Error(`rule ${id} has a message with a path but sits inside a list at ${path}`);
    validation.messageExpression = rule.messageExpression.replaceAll('{{path}}', path);
  }
  if (rule.fieldPath !== undefined) validation.fieldPath = rule.fieldPath;
  return validation;
}

const KNOWN_KEYS = new Set([
  'type', 'description', 'format', 'default', 'nullable', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum',
  'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'minProperties',
  'maxProperties', 'required', 'properties', 'additionalProperties', 'items', 'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type',
  '$ref', '$extends', 'x-rules',
]);

/** Resolves source nodes into CRD schema nodes; `path` is the field path, used in rule messages. */
export class SchemaResolver {
  constructor(private readonly definitions: Record<string, SourceSchema>) {}

  definition(name: string): SourceSchema {
    const def = this.definitions[name];
    if (!def) throw new Error(`${SOURCE_FILE}: unknown definition "${name}"`);
    return def;
  }

  /** The source node with `$extends` merged in (still unresolved below). */
  flatten(node: SourceSchema): SourceSchema {
    if (node.$extends === undefined) return node;
    const base = this.flatten(this.definition(node.$extends));
    const { $extends: _ignored, ...own } = node;
    const required = [...new Set([...(base.required ?? []), ...(own.required ?? [])])];
    const rules = [...(base['x-rules'] ?? []), ...(own['x-rules'] ?? [])];
    return {
      ...base,
      ...own,
      properties: { ...base.properties, ...own.properties },
      ...(required.length ? { required } : {}),
      ...(rules.length ? { 'x-rules': rules } : {}),
    };
  }

  resolve(node: SourceSchema, path: string): StructuralSchema {
    const unknown = Object.keys(node).filter((k) => !KNOWN_KEYS.has(k));
    if (unknown.length) throw new Error(`${SOURCE_FILE}: unknown key(s) ${unknown.join(', ')} at ${path || 'the root'}`);
    if (node.$ref !== undefined) {
      const { $ref, description, 'x-rules': extraRules, ...rest } = node;
      if (Object.keys(rest).length) throw new Error(`${path}: $ref allows only description and x-rules beside it`);
      const target = this.definition($ref);
      const rules = [...(target['x-rules'] ?? []), ...(extraRules ?? [])];
      return this.resolve({ ...target, ...(description === undefined ? {} : { description }), 'x-rules': rules }, path);
    }
    const flat = this.flatten(node);
    const { 'x-rules': rules, properties, items, additionalProperties, $extends: _e, $ref: _r, ...plain } = flat;
    const out: StructuralSchema = { ...plain };
    if (properties) {
      out.properties = Object.fromEntries(
        Object.entries(properties).map(([name, child]) => [name, this.resolve(child, path ? `${path}.${name}` : name)]),
      );
    }
    if (items) out.items = this.resolve(items, `${path}[]`);
    if (additionalProperties !== undefined) {
      out.additionalProperties =
        typeof additionalProperties === 'boolean' ? additionalProperties : this.resolve(additionalProperties, `${path}[*]`);
    }
    if (rules?.length) out['x-kubernetes-validations'] = rules.map((id) => toValidation(id, path));
    return out;
  }
}
