import type { LintResult } from '../lint';

export function formatJson(result: LintResult, version: string): string {
  return `${JSON.stringify({ tool: 'capi-dcs', version, files: result.files, problems: result.problems, ioErrors: result.ioErrors, notChecked: result.notChecked ?? [] }, null, 2)}\n`;
}
