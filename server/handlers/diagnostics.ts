// Problems from the validation core -> LSP diagnostics.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Severity } from '../engine/rule';
import type { Problem } from '../engine/validate';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(document: TextDocument, problem: Problem): Diagnostic {
  return {
    severity: SEVERITY[problem.severity],
    source: 'capi-dcs',
    code: problem.ruleId,
    message: problem.message,
    range: { start: document.positionAt(problem.start), end: document.positionAt(problem.end) },
    data: problem.data,
  };
}
