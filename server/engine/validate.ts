// The validation core shared by the language server and the `capi-dcs lint` command: one file's text in,
// problems with exact offsets out. Syntax, then schemas (per document, by apiVersion and kind), then the
// cross-document rules against the workspace index.
import type { CapiVersion } from '../../src/shared/gvk';
import { locate, type FieldPath, type Target } from './locate';
import { get } from './objects';
import { hasPlaceholder, unsetVariables, type Variables } from '../../src/shared/schema/clusterctlTemplate';
import { renderedObject } from './placeholders';
import type { Rule, Severity } from './rule';
import { rules } from './rules';
import type { IndexedObject, ParsedFile, WorkspaceIndex } from './workspaceIndex';

export interface Problem {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly path?: FieldPath;
  readonly data?: Record<string, unknown>;
}

/** One schema violation, as the schema catalog reports it. */
export interface SchemaFinding {
  readonly ruleId: string;
  readonly path: FieldPath;
  readonly message: string;
  readonly target?: Target;
  /** The catalog's own severity; the rule's setting, when there is one, wins. */
  readonly severity?: Severity;
}

/** What the engine needs of a schema catalog; undefined from `check` means "no schema for this kind". */
export interface SchemaChecker {
  check(object: Record<string, unknown>): readonly SchemaFinding[] | undefined;
}

export type SeveritySetting = Severity | 'off';

export interface ValidateOptions {
  readonly schemas?: SchemaChecker;
  /** Per rule id: a severity, or 'off'. */
  readonly severities?: Readonly<Record<string, SeveritySetting>>;
  /** clusterctl variable values; placeholders without a value stay typed holes. */
  readonly variables?: Variables;
  /** The CAPI version the project prefers (default v1beta2). */
  readonly capiVersion?: CapiVersion;
}

const SCHEMA_SEVERITY: Severity = 'error';

export function validateFile(file: ParsedFile, index: WorkspaceIndex, options: ValidateOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const severityOf = (id: string, fallback: Severity): SeveritySetting => options.severities?.[id] ?? fallback;
  const syntaxSeverity = severityOf('yaml-syntax', 'error');
  if (syntaxSeverity !== 'off') {
    for (const e of file.manifest.syntaxErrors) {
      problems.push({ ruleId: 'yaml-syntax', severity: syntaxSeverity, message: e.message, start: e.start, end: e.end });
    }
  }
  const unsetSeverity = severityOf('template-variable-unset', 'error');
  if (options.variables && unsetSeverity !== 'off') {
    for (const v of unsetVariables(file.text, options.variables)) {
      problems.push({
        ruleId: 'template-variable-unset',
        severity: unsetSeverity,
        message: `\${${v.name}} has no value and no default: clusterctl generate cluster would stop here. Give it a value or write \${${v.name}:=default}.`,
        start: v.start,
        end: v.end,
      });
    }
  }
  // A project that prefers v1beta1 writes it on purpose (its management cluster may predate v1beta2).
  const deprecationOff = options.capiVersion === 'v1beta1';
  const enabled: { rule: Rule; severity: Severity }[] = [];
  for (const rule of rules) {
    const severity = deprecationOff && rule.id === 'deprecated-api-version' ? 'off' : severityOf(rule.id, rule.defaultSeverity);
    if (severity !== 'off') enabled.push({ rule, severity });
  }
  // The findings of all the rules for an object are cached too, under what every rule read: after an edit
  // most objects are untouched, and one check of the cache replaces one per rule.
  const allRules = `rules:${enabled.map((r) => r.rule.id).join(',')}`;
  for (const o of file.objects) {
    if (options.schemas) problems.push(...schemaProblems(o, index, options, severityOf));
    const findings = index.checked(o, allRules, () => enabled.map(({ rule }) => index.checked(o, rule.id, () => rule.check(o, index))));
    enabled.forEach(({ rule, severity }, i) => {
      for (const f of findings[i] ?? []) {
        const at = locate(o.doc, f.path, f.target);
        problems.push({ ruleId: rule.id, severity, message: f.message, start: at.start, end: at.end, path: f.path, data: f.data });
      }
    });
  }
  return problems;
}

function schemaProblems(
  o: IndexedObject,
  index: WorkspaceIndex,
  options: ValidateOptions,
  severityOf: (id: string, fallback: Severity) => SeveritySetting,
): Problem[] {
  // An index built with the values already holds the rendered objects.
  const subject = options.variables && !index.rendered ? (renderedObject(o.doc, options.variables) ?? o.object) : o.object;
  const findings = options.schemas?.check(subject) ?? [];
  const problems: Problem[] = [];
  for (const f of findings) {
    // A value that is still a ${VAR} placeholder is a hole of the field's type: no type, enum or format error.
    if (hasPlaceholder(get(subject, f.path))) continue;
    const severity = severityOf(f.ruleId, f.severity ?? SCHEMA_SEVERITY);
    if (severity === 'off') continue;
    const at = locate(o.doc, f.path, f.target);
    problems.push({ ruleId: f.ruleId, severity, message: f.message, start: at.start, end: at.end, path: f.path });
  }
  return problems;
}
