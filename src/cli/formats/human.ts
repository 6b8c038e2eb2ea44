// `file:line:col  severity  rule-id  message`, coloured on a terminal, and a summary line.
import type { LintResult } from '../lint';

const COLOURS = { error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m', hint: '\u001b[90m' } as const;
const RESET = '\u001b[0m';
const DIM = '\u001b[2m';

export function formatHuman(result: LintResult, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${RESET}` : text);
  const lines = result.problems.map(
    (p) => `${p.file}:${p.line}:${p.column}  ${paint(COLOURS[p.severity], p.severity.padEnd(7))}  ${paint(DIM, p.ruleId)}  ${p.message}`,
  );
  for (const e of result.ioErrors) lines.push(`${paint(COLOURS.error, 'error')}: ${e}`);
  const count = (s: string) => result.problems.filter((p) => p.severity === s).length;
  const files = result.files.length;
  lines.push(
    `${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} (${count('error')} errors, ${count('warning')} warnings, ${count('info') + count('hint')} notes) in ${files} file${files === 1 ? '' : 's'}`,
  );
  return `${lines.join('\n')}\n`;
}
