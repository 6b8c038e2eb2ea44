// What the API server said when it refused a request: the Status object's reason, message and causes, turned
// into field paths (schema, CEL, strict decoding), conflicting managers (server-side apply) or an RBAC sentence.
import { parseFieldPath, type PathSegment } from './fieldPath';

export type FailureReason = 'invalid' | 'conflict' | 'forbidden' | 'unauthorized' | 'notFound' | 'alreadyExists' | 'unreachable' | 'other';

export interface FieldProblem {
  /** As the server wrote it, e.g. "spec.pool[0].ip"; '' when the problem is about the whole object. */
  readonly field: string;
  readonly segments: readonly PathSegment[];
  readonly message: string;
}

export interface FieldConflict {
  readonly field: string;
  readonly segments: readonly PathSegment[];
  /** The field manager that owns the field with another value. */
  readonly manager: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly reason: FailureReason,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
    readonly conflicts: readonly FieldConflict[] = [],
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  static fromResponse(status: number, body: string): ApiFailure {
    const parsed = parseStatus(body);
    const message = parsed?.message ?? (body.length > 300 ? `${body.slice(0, 299)}…` : body);
    const causes = parsed?.causes ?? [];
    const conflicts = causes
      .filter((c) => c.reason === 'FieldManagerConflict')
      .map((c) => ({ field: c.field, segments: parseFieldPath(c.field), manager: /conflict with "([^"]+)"/.exec(c.message)?.[1] ?? c.message }));
    const fields = causes.filter((c) => c.reason !== 'FieldManagerConflict').map((c) => fieldProblem(c.field, c.message));
    fields.push(...undeclaredFields(message));
    return new ApiFailure(status, reasonOf(status, parsed?.reason, message), message || `HTTP ${status}`, fields, conflicts);
  }
}

function fieldProblem(field: string, message: string): FieldProblem {
  const clean = field.replace(/^\./, '');
  return { field: clean, segments: parseFieldPath(clean), message };
}

/** Strict field validation of server-side apply reports unknown fields in the message only (".spec.x: field not declared in schema"). */
function undeclaredFields(message: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const m of message.matchAll(/(\.[\w.[\]="/-]+): (field not declared in schema|duplicate field[^,\]]*)/g)) {
    out.push(fieldProblem(m[1] ?? '', m[2] ?? ''));
  }
  return out;
}

function reasonOf(status: number, reason: string | undefined, message: string): FailureReason {
  if (status === 409) return reason === 'AlreadyExists' ? 'alreadyExists' : 'conflict';
  if (status === 422 || status === 400 || message.includes('field not declared in schema')) return 'invalid';
  if (status === 403) return 'forbidden';
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'notFound';
  if (status === 429 || status >= 502) return 'unreachable';
  return 'other';
}

interface StatusBody {
  readonly message?: string;
  readonly reason?: string;
  readonly causes: readonly { readonly reason: string; readonly message: string; readonly field: string }[];
}

function parseStatus(body: string): StatusBody | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const details = isRecord(value.details) ? value.details : {};
  const causes = (Array.isArray(details.causes) ? details.causes : []).filter(isRecord).map((c) => ({
    reason: str(c.reason) ?? '',
    message: str(c.message) ?? '',
    field: str(c.field) ?? '',
  }));
  return { message: str(value.message), reason: str(value.reason), causes };
}

/**
 * One sentence for people: the field problems with their paths, the conflicting managers, or what RBAC refused.
 * Network failures (no status) get Node's message.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof ApiFailure)) return networkText(error);
  switch (error.reason) {
    case 'invalid':
      return error.fields.length > 0 ? error.fields.map((f) => (f.field ? `${f.field}: ${fieldMessage(f)}` : f.message)).join('; ') : error.message;
    case 'conflict':
      return error.conflicts.length > 0
        ? `fields owned by another manager: ${error.conflicts.map((c) => `${c.field.replace(/^\./, '')} (${c.manager})`).join(', ')}`
        : error.message;
    case 'forbidden':
      return `RBAC does not allow it: ${error.message}`;
    case 'unauthorized':
      return 'the API server rejected the credentials of this context';
    default:
      return error.message;
  }
}

/**
 * "Invalid value: -1: spec.pool[0].slot in body should be…" repeats the path: "invalid value -1: should be…".
 * A CEL message has no value ("Invalid value: exactly one of …"): just the rule's sentence.
 */
export function fieldMessage(f: Pick<FieldProblem, 'field' | 'message'>): string {
  const text = f.field ? f.message.replace(`${f.field} in body `, '') : f.message;
  const withValue = /^Invalid value: ("[^"]*"|[^\s:]+): (.*)$/s.exec(text);
  if (withValue) return `invalid value ${withValue[1] ?? ''}: ${withValue[2] ?? ''}`;
  return text.replace(/^Invalid value: /, '');
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Node's message, or its code: a refused connection to a name with several addresses has an empty message. */
function networkText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return error.message || (typeof code === 'string' ? code : error.name);
}
