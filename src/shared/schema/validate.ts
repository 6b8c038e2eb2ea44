// Validates Kubernetes objects against the schema catalog: Ajv for the OpenAPI part (compiled once per
// apiVersion and kind), then the rule tree for CEL rules and list uniqueness. Problems carry the
// API server's field path ("spec.pool[1].ip") and its segments, for mapping to source ranges.
import { setImmediate as nextTurn } from 'node:timers/promises';
import Ajv, { type ValidateFunction } from 'ajv';
import { isClusterApiGroup, parseApiVersion } from '../gvk';
import { problemsFromAjv, SchemaRuleIds, type RawProblem } from './ajvProblems';
import type { CatalogEntry, SchemaCatalog } from './catalog';
import { isObject, type PathSegment } from './celRule';
import type { JsonSchema } from './convert';
import { kubernetesFormats } from './formats';
import { hasPlaceholder } from './clusterctlTemplate';
import { formatPath, pathTouchesPlaceholder } from './paths';
import { fieldsKey, pruneSchema } from './prune';
import { buildRuleTree, walkCreate, walkUpdate, type RuleNode, type RuleProblem, type RuleTreeStats } from './ruleTree';

export interface Problem {
  /** Stable id, used as the diagnostic code. */
  readonly ruleId: string;
  readonly severity: 'error' | 'warning';
  /** The field path as the API server prints it, e.g. `spec.pool[1].ip`. */
  readonly path: string;
  readonly segments: readonly PathSegment[];
  readonly message: string;
}

export interface ValidateOptions {
  /** Skip problems on values holding clusterctl `${VAR}` placeholders (templates before substitution). */
  readonly allowPlaceholders?: boolean;
}

export const ValidatorRuleIds = { unknownKind: 'unknown-kind', notAnObject: 'not-an-object' } as const;

export interface ValidatorOptions {
  /**
   * Until a kind's whole schema is compiled (compile(), warmUp()), validate each object with the schema cut
   * down to the fields it has (prune.ts), compiled once per shape: the first diagnostics of a server do not
   * wait for whole Cluster API schemas. For a server that compiles the whole schemas while idle; a batch
   * (lint) is faster compiling each kind once, the default.
   */
  readonly partialCompile?: boolean;
}

interface CompiledKind {
  readonly schema: JsonSchema;
  readonly validate: ValidateFunction;
  readonly rules: RuleNode | undefined;
  readonly stats: RuleTreeStats;
}

/** A kind's schema and rule tree, its whole compiled validator once there is one, and those of cut schemas. */
interface KindSchema {
  readonly schema: JsonSchema;
  readonly rules: RuleNode | undefined;
  readonly stats: RuleTreeStats;
  whole?: CompiledKind;
  /** Cut schemas' validators by shape, and the same by the fields of the objects that used them. */
  readonly shapes: Map<string, ValidateFunction>;
  readonly byFields: Map<string, ValidateFunction>;
}

/** More shapes of one kind than this before its whole schema is compiled: compile the whole schema. */
const MAX_SHAPES = 16;
/** Objects' field sets remembered per kind (labels and annotations make many). */
const MAX_FIELD_KEYS = 256;

export class ManifestValidator {
  private readonly ajv: Ajv;
  private readonly kinds = new Map<string, KindSchema | null>();

  constructor(
    readonly catalog: SchemaCatalog,
    private readonly options: ValidatorOptions = {},
  ) {
    // code.optimize off and no `verbose`: compiling the big Cluster API schemas takes half the time.
    this.ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, addUsedSchema: false, code: { optimize: false } });
    for (const [name, check] of Object.entries(kubernetesFormats)) this.ajv.addFormat(name, { type: 'string', validate: check });
  }

  /** The compiled validator of a kind (compiled on first use, then cached); undefined when unknown. */
  compile(apiVersion: string, kind: string): CompiledKind | undefined {
    const k = this.kindSchema(apiVersion, kind);
    return k && this.whole(k);
  }

  private kindSchema(apiVersion: string, kind: string): KindSchema | undefined {
    const key = `${apiVersion}\u0000${kind}`;
    const cached = this.kinds.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const schema = this.catalog.getSchema(apiVersion, kind);
    const stats: RuleTreeStats = { checked: 0, unchecked: 0 };
    const result = schema ? { schema, rules: buildRuleTree(schema, stats), stats, shapes: new Map<string, ValidateFunction>(), byFields: new Map<string, ValidateFunction>() } : undefined;
    this.kinds.set(key, result ?? null);
    return result;
  }

  private whole(k: KindSchema): CompiledKind {
    if (!k.whole) {
      k.whole = { schema: k.schema, validate: this.ajv.compile(k.schema), rules: k.rules, stats: k.stats };
      k.shapes.clear();
      k.byFields.clear();
    }
    return k.whole;
  }

  /** The whole schema's validator when compiled (or when cut schemas are not wanted), else a cut schema's. */
  private validatorFor(k: KindSchema, object: Record<string, unknown>): ValidateFunction {
    if (k.whole || !this.options.partialCompile || k.shapes.size >= MAX_SHAPES) return this.whole(k).validate;
    const fields = fieldsKey(object);
    const known = k.byFields.get(fields);
    if (known) return known;
    const cut = pruneSchema(k.schema, object);
    let validate = k.shapes.get(cut.shape);
    if (!validate) {
      validate = this.ajv.compile(cut.schema);
      k.shapes.set(cut.shape, validate);
    }
    if (k.byFields.size < MAX_FIELD_KEYS) k.byFields.set(fields, validate);
    return validate;
  }

  /**
   * Compiles the catalog's kinds ahead of use (about 20-300 ms each for Cluster API kinds), yielding to
   * the event loop between kinds so a server stays responsive. Returns how many kinds were compiled.
   */
  async warmUp(include: (entry: CatalogEntry) => boolean = () => true, signal?: AbortSignal): Promise<number> {
    let compiled = 0;
    for (const entry of this.catalog.entries().filter(include)) {
      if (signal?.aborted) break;
      if (this.compile(entry.apiVersion, entry.kind)) compiled++;
      await nextTurn();
    }
    return compiled;
  }

  validate(object: unknown, options: ValidateOptions = {}): Problem[] {
    return this.run(object, undefined, options);
  }

  /** Also checks the rules that compare with the stored object (immutable fields, kept entries). */
  validateUpdate(oldObject: unknown, newObject: unknown, options: ValidateOptions = {}): Problem[] {
    return this.run(newObject, oldObject, options);
  }

  private run(object: unknown, oldObject: unknown, options: ValidateOptions): Problem[] {
    if (!isObject(object)) {
      return [{ ruleId: ValidatorRuleIds.notAnObject, severity: 'error', path: '', segments: [], message: 'a Kubernetes object must be a mapping' }];
    }
    const { apiVersion, kind } = object;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return this.missingIdentity(object);
    const k = this.kindSchema(apiVersion, kind);
    if (!k) return this.unknownKind(apiVersion, kind);
    const raw: RawProblem[] = [];
    const validate = this.validatorFor(k, object);
    if (!validate(object)) raw.push(...problemsFromAjv(validate.errors ?? [], object, k.schema));
    if (k.rules) {
      const ruleProblems: RuleProblem[] = [];
      walkCreate(k.rules, object, [], ruleProblems);
      if (oldObject !== undefined) walkUpdate(k.rules, object, oldObject, [], ruleProblems);
      raw.push(...ruleProblems);
    }
    return this.finish(raw, object, k.schema, options);
  }

  private finish(raw: readonly RawProblem[], object: unknown, schema: JsonSchema, options: ValidateOptions): Problem[] {
    const seen = new Set<string>();
    const problems: Problem[] = [];
    for (const p of raw) {
      if (options.allowPlaceholders && (pathTouchesPlaceholder(object, p.segments) || hasPlaceholder(p.value))) continue;
      const path = formatPath(schema, p.segments);
      const key = `${p.ruleId}\u0000${path}\u0000${p.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ ruleId: p.ruleId, severity: 'error', path, segments: p.segments, message: p.message });
    }
    return problems;
  }

  private missingIdentity(object: Record<string, unknown>): Problem[] {
    return (['apiVersion', 'kind'] as const)
      .filter((field) => typeof object[field] !== 'string')
      .map((field) => ({
        ruleId: object[field] === undefined ? SchemaRuleIds.required : SchemaRuleIds.type,
        severity: 'error' as const,
        path: field,
        segments: [field],
        message: object[field] === undefined ? `missing required field "${field}"` : `"${field}" must be a string`,
      }));
  }

  private unknownKind(apiVersion: string, kind: string): Problem[] {
    const { group } = parseApiVersion(apiVersion);
    if (!isClusterApiGroup(group)) return [];
    const versions = this.catalog.versionsOf(group, kind);
    const hint = versions.length ? `; known versions: ${versions.join(', ')}` : '';
    return [{
      ruleId: ValidatorRuleIds.unknownKind,
      severity: 'warning',
      path: 'kind',
      segments: ['kind'],
      message: `no schema for ${kind} in ${apiVersion}${hint}`,
    }];
  }
}
