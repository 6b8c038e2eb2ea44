// Turns Ajv errors into problems that name the field and the expected value, with rule ids that
// stay stable (they become diagnostic codes).
import type { ErrorObject } from 'ajv';
import type { PathSegment } from './celRule';
import { show } from './celRule';
import { formatDescriptions } from './formats';
import type { JsonSchema } from './convert';
import { segmentsOf } from './paths';

export const SchemaRuleIds = {
  type: 'schema-type',
  required: 'schema-required',
  enum: 'schema-enum',
  const: 'schema-const',
  format: 'schema-format',
  pattern: 'schema-pattern',
  range: 'schema-range',
  length: 'schema-length',
  items: 'schema-items',
  properties: 'schema-properties',
  multipleOf: 'schema-multiple-of',
  unknownField: 'schema-unknown-field',
  key: 'schema-key',
  combination: 'schema-combination',
} as const;

export interface RawProblem {
  readonly ruleId: string;
  readonly segments: PathSegment[];
  readonly message: string;
  readonly value?: unknown;
}

/** Plain words for patterns that recur in Kubernetes, Cluster API and DCS schemas. */
const KNOWN_PATTERNS: Readonly<Record<string, string>> = {
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$': 'a lowercase DNS subdomain (a-z, 0-9, "-" and ".")',
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$': 'a lowercase DNS label (a-z, 0-9 and "-")',
  '^(3[0-2]|[12]?[0-9])$': 'a prefix length from 0 to 32 such as "24"',
  '^/.+': 'an absolute path',
  '^urn:sites:': 'a DCS URN such as urn:sites:<site>:vms:<id>',
  '^[a-z0-9]+$': 'lowercase letters and digits only',
  '^[A-Za-z0-9]+$': 'letters and digits only',
  '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$': 'a label value (alphanumerics, "-", "_" and ".", starting and ending alphanumeric)',
};

/** Keywords whose errors only repeat what a more precise error already says. */
const SILENT = new Set(['if', 'then', 'else', 'allOf', '$ref', 'false schema']);

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${show(value)}`;
}

function closest(name: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0] ?? 0;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j] ?? 0;
        row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length] ?? Infinity;
  };
  const best = candidates.map((c) => ({ c, d: distance(name, c) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.c : undefined;
}

const article = (type: string): string => (type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`);

/** What an error is about, found from its paths (Ajv's `verbose` option would cost compile time). */
interface ErrorContext {
  readonly data: unknown;
  readonly parentSchema: JsonSchema;
}

function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let current = root;
  for (const s of segments) current = typeof current === 'object' && current !== null ? (current as Record<PathSegment, unknown>)[s] : undefined;
  return current;
}

/** The schema holding the failed keyword: `schemaPath` ("#/properties/spec/.../format") minus the keyword. */
function parentSchemaOf(root: JsonSchema, schemaPath: string): JsonSchema {
  const parts = schemaPath.replace(/^#\/?/, '').split('/').slice(0, -1);
  let current: unknown = root;
  for (const raw of parts) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[part] : undefined;
  }
  return typeof current === 'object' && current !== null ? (current as JsonSchema) : {};
}

function messageOf(e: ErrorObject, field: string, ctx: ErrorContext): { ruleId: string; message: string } | undefined {
  const p = e.params as Record<string, unknown>;
  const schema = ctx.parentSchema;
  const data = ctx.data;
  const got = describeValue(data);
  switch (e.keyword) {
    case 'type': {
      const types = ([] as unknown[]).concat(p.type).map(String).map((t) => (t === 'array' ? 'list' : t));
      return { ruleId: SchemaRuleIds.type, message: `${field} must be ${types.map(article).join(' or ')}, got ${got}` };
    }
    case 'enum':
      return { ruleId: SchemaRuleIds.enum, message: `${field} must be one of ${(p.allowedValues as unknown[]).map(show).join(', ')}; got ${show(data)}` };
    case 'const':
      return { ruleId: SchemaRuleIds.const, message: `${field} must be ${show(p.allowedValue)}; got ${show(data)}` };
    case 'format': {
      const format = String(p.format);
      return { ruleId: SchemaRuleIds.format, message: `${field} must be ${formatDescriptions[format] ?? format}; got ${show(data)}` };
    }
    case 'pattern': {
      const pattern = String(p.pattern);
      const expected = KNOWN_PATTERNS[pattern] ?? (pattern.includes('(25[0-5]|') ? 'IPv4 addresses separated by ";"' : `a value matching ${pattern}`);
      return { ruleId: SchemaRuleIds.pattern, message: `${field} must be ${expected}; got ${show(data)}` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { ruleId: SchemaRuleIds.range, message: `${field} must be ${String(p.comparison)} ${String(p.limit)}; got ${show(data)}` };
    case 'minLength':
    case 'maxLength':
      return { ruleId: SchemaRuleIds.length, message: `${field} must be ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${String(p.limit)} characters long` };
    case 'minItems':
    case 'maxItems':
      return { ruleId: SchemaRuleIds.items, message: `${field} must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${String(p.limit)} items` };
    case 'minProperties':
    case 'maxProperties':
      return { ruleId: SchemaRuleIds.properties, message: `${field} must have ${e.keyword === 'minProperties' ? 'at least' : 'at most'} ${String(p.limit)} entries` };
    case 'multipleOf':
      return { ruleId: SchemaRuleIds.multipleOf, message: `${field} must be a multiple of ${String(p.multipleOf)}` };
    case 'anyOf':
    case 'oneOf':
    case 'not':
      return {
        ruleId: SchemaRuleIds.combination,
        message: `${field} does not satisfy the constraints of its schema${typeof schema.description === 'string' ? `: ${schema.description}` : ''}`,
      };
    default:
      return undefined;
  }
}

/** Converts Ajv errors for `data` into problems (segments relative to the object root). */
export function problemsFromAjv(errors: readonly ErrorObject[], data: unknown, rootSchema: JsonSchema): RawProblem[] {
  const problems: RawProblem[] = [];
  for (const e of errors) {
    if (SILENT.has(e.keyword) || e.propertyName !== undefined) continue;
    const segments = segmentsOf(e.instancePath, data);
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'required') {
      const missing = String(p.missingProperty);
      problems.push({ ruleId: SchemaRuleIds.required, segments: [...segments, missing], message: `missing required field "${missing}"` });
    } else if (e.keyword === 'additionalProperties') {
      const extra = String(p.additionalProperty);
      const known = Object.keys((parentSchemaOf(rootSchema, e.schemaPath).properties as Record<string, unknown> | undefined) ?? {});
      const hint = closest(extra, known);
      problems.push({
        ruleId: SchemaRuleIds.unknownField,
        segments: [...segments, extra],
        message: `unknown field "${extra}"${hint ? `; did you mean "${hint}"?` : ''}`,
        value: extra,
      });
    } else if (e.keyword === 'propertyNames') {
      const description = parentSchemaOf(rootSchema, e.schemaPath).description;
      const why = typeof description === 'string' ? description : 'see the allowed key format';
      problems.push({ ruleId: SchemaRuleIds.key, segments, message: `invalid key ${show(p.propertyName)}: ${why}`, value: p.propertyName });
    } else {
      const last = [...segments].reverse().find((s) => typeof s === 'string');
      const field = last === undefined ? 'the value' : `"${last}"${typeof segments[segments.length - 1] === 'number' ? ' item' : ''}`;
      const ctx = { data: valueAt(data, segments), parentSchema: parentSchemaOf(rootSchema, e.schemaPath) };
      const described = messageOf(e, field, ctx);
      if (described) problems.push({ ...described, segments, value: ctx.data });
    }
  }
  return problems;
}
