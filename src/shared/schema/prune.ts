// A kind's schema cut down to the fields one object has: Ajv compiles it in a fraction of the time of the
// whole schema (KubeadmControlPlane: about 10 ms instead of 190 ms), and it judges that object exactly as
// the whole schema does. Only `properties` entries the object does not have are dropped; every other
// keyword stays, and each subschema is cut for the values that reach it. Paths into the cut schema are the
// same as into the whole one, so Ajv's schemaPath still resolves against the whole schema.
import type { JsonSchema } from './convert';

export interface PrunedSchema {
  readonly schema: JsonSchema;
  /** What was kept, as a string: two objects with the same shape get the same schema. */
  readonly shape: string;
}

/** Keywords that make which subschema applies depend on more than property names: left whole. */
const UNPRUNED = ['$ref', 'patternProperties', 'if', 'dependencies', 'dependentSchemas', 'unevaluatedProperties'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function pruneSchema(schema: JsonSchema, value: unknown): PrunedSchema {
  const shape: string[] = [];
  return { schema: prune(schema, [value], shape) as JsonSchema, shape: shape.join('') };
}

/**
 * The field names of a value, nested, with whether each holds an object, a list or a scalar: all that the
 * cut depends on. Cheaper than cutting: objects with the same key find the schema cut for the first one.
 */
export function fieldsKey(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      out.push('[');
      for (const item of v) walk(item);
      out.push(']');
    } else if (isRecord(v)) {
      out.push('{');
      for (const key of Object.keys(v)) {
        out.push(JSON.stringify(key));
        walk(v[key]);
      }
      out.push('}');
    } else {
      out.push(',');
    }
  };
  walk(value);
  return out.join('');
}

/** `schema` cut for every value in `values` (all the values it validates); records what it kept. */
function prune(schema: unknown, values: readonly unknown[], shape: string[]): unknown {
  if (!isRecord(schema) || UNPRUNED.some((k) => k in schema)) return schema;
  const out: Record<string, unknown> = { ...schema };
  const objects = values.filter(isRecord);
  const properties = isRecord(schema.properties) ? schema.properties : undefined;
  shape.push('{');
  if (properties) {
    const kept: Record<string, unknown> = {};
    for (const name of Object.keys(properties)) {
      // As Ajv's `properties` decides whether a property is there. Loops, not map/filter: this runs for
      // every property of every schema node the object reaches.
      let reaching: unknown[] | undefined;
      for (const o of objects) {
        const v = o[name];
        if (v !== undefined) (reaching ??= []).push(v);
      }
      if (!reaching) continue;
      shape.push(JSON.stringify(name));
      kept[name] = prune(properties[name], reaching, shape);
    }
    out.properties = kept;
  }
  if (isRecord(schema.additionalProperties)) {
    const extra = objects.flatMap((o) => Object.keys(o).filter((k) => !properties || !Object.hasOwn(properties, k)).map((k) => o[k]));
    shape.push('+');
    out.additionalProperties = prune(schema.additionalProperties, extra, shape);
  }
  if (isRecord(schema.items)) {
    shape.push('[');
    out.items = prune(schema.items, values.filter(Array.isArray).flat(), shape);
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[keyword];
    if (!Array.isArray(list)) continue;
    shape.push(keyword);
    out[keyword] = list.map((sub) => prune(sub, values, shape));
  }
  if (isRecord(schema.not)) {
    shape.push('!');
    out.not = prune(schema.not, values, shape);
  }
  shape.push('}');
  return out;
}
