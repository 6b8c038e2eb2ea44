// Runs the validation core over a set of files: they form one workspace, so references between them
// resolve exactly as they do in the editor.
import { LineIndex } from '../../server/engine/lines';
import { hasGoTemplateActions, looksLikeKubernetesYaml } from '../../server/engine/manifest';
import type { Severity } from '../../server/engine/rule';
import { validateFile, type SchemaChecker } from '../../server/engine/validate';
import { WorkspaceIndex } from '../../server/engine/workspaceIndex';
import type { ServerSettings } from '../shared/settings';
import type { InputFile } from './files';

export interface LintProblem {
  readonly file: string;
  readonly uri: string;
  /** 1-based, as editors and SARIF count. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly ruleId: string;
  readonly message: string;
}

export interface LintResult {
  readonly files: readonly string[];
  readonly problems: readonly LintProblem[];
  readonly ioErrors: readonly string[];
  /** YAML files read but not checked, as in the editor: no Kubernetes manifest, or a Helm chart template. */
  readonly notChecked?: readonly { readonly file: string; readonly reason: string }[];
}

export interface LintOptions {
  readonly settings: ServerSettings;
  readonly variables: Readonly<Record<string, string>> | undefined;
  readonly schemas: SchemaChecker | undefined;
  /** Committed content by file URI: what template-edited-in-place compares with, as in the editor. */
  readonly baselines?: ReadonlyMap<string, string>;
}

export const FILE_SKIPPED = 'file-skipped';

export function lintFiles(inputs: readonly InputFile[], options: LintOptions): LintResult {
  // With variable values, the rules see the objects as clusterctl would render them.
  const index = new WorkspaceIndex({ incremental: false, variables: options.variables });
  const problems: LintProblem[] = [];
  const ioErrors: string[] = [];
  const notChecked: { file: string; reason: string }[] = [];
  for (const [uri, text] of options.baselines ?? []) index.setBaseline(uri, text);
  for (const input of inputs) {
    // As in the editor: YAML that is no Kubernetes manifest (CI workflows, Helm values) is not checked.
    if (input.text !== undefined && looksLikeKubernetesYaml(input.text)) index.set(input.uri, input.text);
  }
  for (const input of inputs) {
    if (input.ioError !== undefined) {
      ioErrors.push(`${input.display}: ${input.ioError}`);
      continue;
    }
    if (input.skipped !== undefined || input.text === undefined) {
      problems.push({ file: input.display, uri: input.uri, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', ruleId: FILE_SKIPPED, message: input.skipped ?? 'not read' });
      continue;
    }
    const file = index.file(input.uri);
    if (!file) {
      notChecked.push({ file: input.display, reason: hasGoTemplateActions(input.text) ? 'Helm chart template: it holds Go template actions ({{ }}); check what helm template renders' : 'not a Kubernetes manifest (no top-level apiVersion and kind)' });
      continue;
    }
    const lines = new LineIndex(input.text);
    const found = validateFile(file, index, {
      schemas: options.schemas,
      severities: options.settings.rules,
      variables: options.variables,
      capiVersion: options.settings.capiVersion,
    });
    for (const p of found) {
      const start = lines.positionAt(p.start);
      const end = lines.positionAt(p.end);
      problems.push({
        file: input.display,
        uri: input.uri,
        line: start.line + 1,
        column: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
        severity: p.severity,
        ruleId: p.ruleId,
        message: p.message,
      });
    }
  }
  return { files: inputs.map((i) => i.display), problems, ioErrors, notChecked };
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}
