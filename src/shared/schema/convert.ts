// Converts a CRD version's structural openAPIV3Schema into a JSON Schema (draft-07) for Ajv, keeping
// the API server's semantics: unknown fields are errors (strict field validation), int-or-string,
// nullable, preserve-unknown-fields and embedded resources behave as in Kubernetes.
import type { StructuralSchema } from './crd';
import { normalizeFormat } from './formats';

export type JsonSchema = Record<string, unknown>;

/** Kubernetes extension keys kept in the converted schema for the rule walker (Ajv ignores them). */
const KEPT_EXTENSIONS = [
  'x-kubernetes-validations',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-preserve-unknown-fields',
] as const;

const COPIED = [
  'description', 'default', 'pattern', 'minLength', 'maxLength', 'multipleOf', 'minItems', 'maxItems',
  'uniqueItems', 'minProperties', 'maxProperties',
] as const;

function typesOf(node: StructuralSchema): string[] {
  const types = node['x-kubernetes-int-or-string'] ? ['integer', 'string'] : node.type ? [node.type] : [];
  return types.length && node.nullable ? [...types, 'null'] : types;
}

function convertBounds(node: StructuralSchema, out: JsonSchema): void {
  // OpenAPI v3.0 writes exclusive bounds as booleans next to minimum/maximum; draft-07 as numbers.
  if (node.minimum !== undefined) out[node.exclusiveMinimum ? 'exclusiveMinimum' : 'minimum'] = node.minimum;
  if (node.maximum !== undefined) out[node.exclusiveMaximum ? 'exclusiveMaximum' : 'maximum'] = node.maximum;
}

/**
 * @param valueValidation true inside allOf/anyOf/oneOf/not, which only add value constraints in
 *   structural schemas and so must not forbid unknown fields themselves.
 */
export function convertSchema(node: StructuralSchema, valueValidation = false): JsonSchema {
  const out: JsonSchema = {};
  const types = typesOf(node);
  if (types.length === 1) out.type = types[0];
  else if (types.length > 1) out.type = types;
  for (const key of COPIED) if (node[key] !== undefined) out[key] = node[key];
  for (const key of KEPT_EXTENSIONS) if (node[key] !== undefined) out[key] = node[key];
  if (node.enum) out.enum = node.nullable ? [...node.enum, null] : node.enum;
  if (node.format !== undefined && (types.includes('string') || types.length === 0)) {
    const format = normalizeFormat(node.format);
    if (format) out.format = format;
  }
  convertBounds(node, out);
  if (node.items) out.items = convertSchema(node.items, valueValidation);
  if (node.required?.length) out.required = node.required;
  convertObject(node, out, valueValidation);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[key];
    if (list) out[key] = list.map((s) => convertSchema(s, true));
  }
  if (node.not) out.not = convertSchema(node.not, true);
  return out;
}

function convertObject(node: StructuralSchema, out: JsonSchema, valueValidation: boolean): void {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, child] of Object.entries(node.properties ?? {})) properties[name] = convertSchema(child, valueValidation);
  if (node['x-kubernetes-embedded-resource']) {
    // An embedded object is a whole Kubernetes object: apiVersion, kind and metadata are implied.
    const implied: Record<string, JsonSchema> = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } };
    for (const [name, schema] of Object.entries(implied)) if (!(name in properties)) properties[name] = schema;
  }
  if (Object.keys(properties).length) out.properties = properties;
  const additional = node.additionalProperties;
  if (typeof additional === 'object') out.additionalProperties = convertSchema(additional, valueValidation);
  else if (additional !== undefined) out.additionalProperties = additional;
  else if (node.type === 'object' && !valueValidation && !node['x-kubernetes-preserve-unknown-fields']) {
    // Kubernetes prunes (and strict field validation reports) fields the schema does not declare.
    out.additionalProperties = false;
  }
}

export interface RootIdentity {
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * The schema of a whole object: apiVersion and kind fixed, metadata validated as ObjectMeta (plus
 * whatever the CRD adds for metadata.name), and apiVersion, kind, metadata required.
 */
export function convertRootSchema(root: StructuralSchema, id: RootIdentity, objectMeta: JsonSchema): JsonSchema {
  const converted = convertSchema(root);
  const properties = { ...(converted.properties as Record<string, JsonSchema> | undefined) };
  properties.apiVersion = { type: 'string', const: id.apiVersion, description: 'API group and version of the object.' };
  properties.kind = { type: 'string', const: id.kind, description: 'Kind of the object.' };
  const declaredMeta = root.properties?.metadata?.properties;
  properties.metadata = declaredMeta
    ? { allOf: [objectMeta, { properties: convertSchema({ type: 'object', properties: declaredMeta }, true).properties }] }
    : objectMeta;
  const required = [...new Set([...((converted.required as string[] | undefined) ?? []), 'apiVersion', 'kind', 'metadata'])];
  const open = root['x-kubernetes-preserve-unknown-fields'] === true;
  return { ...converted, properties, required, ...(open ? {} : { additionalProperties: false }) };
}
