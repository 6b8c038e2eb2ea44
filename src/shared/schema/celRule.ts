// What the catalog knows about one `x-kubernetes-validations` rule: a TypeScript re-implementation of
// the CEL expression, so editors report what the API server would reject, at the same field path.

/** A step in a field path: a field name or map key (string) or a list index (number). */
export type PathSegment = string | number;

export interface CelViolation {
  /** Where the problem is, relative to the schema node carrying the rule. */
  readonly at: readonly PathSegment[];
  readonly message: string;
  /** The offending value, when there is one (lets callers skip clusterctl `${VAR}` placeholders). */
  readonly value?: unknown;
}

export interface CelCheck {
  /** Stable id; becomes the diagnostic code. */
  readonly id: string;
  /** True when the rule compares with the stored object (`oldSelf`) and so only runs on updates. */
  readonly transition: boolean;
  /** `oldSelf` is undefined for rules that are not transition rules. */
  check(self: unknown, oldSelf: unknown): readonly CelViolation[];
}

/** A rule we write into our own CRDs; the generator copies `rule`, `message`... into the CRD. */
export interface OwnCelRule extends CelCheck {
  readonly rule: string;
  readonly message: string;
  /** `{{path}}` is replaced by the field path of the schema node that carries the rule. */
  readonly messageExpression?: string;
  readonly fieldPath?: string;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectItems(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** Deep equality of JSON values, as CEL `==` compares objects and lists. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A short, quoted rendering of a value for messages. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
