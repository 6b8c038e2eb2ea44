import { validateFile, type Problem, type ValidateOptions } from '../../../server/engine/validate';
import { WorkspaceIndex } from '../../../server/engine/workspaceIndex';

/** Indexes the files, validates `target` and returns its problems (with the text they point at). */
export function check(
  files: Record<string, string>,
  target: string,
  options: ValidateOptions = {},
  baselines: Record<string, string> = {},
): (Problem & { text: string })[] {
  const index = new WorkspaceIndex();
  for (const [uri, text] of Object.entries(baselines)) index.setBaseline(uri, text);
  for (const [uri, text] of Object.entries(files)) index.set(uri, text);
  const file = index.file(target);
  if (!file) throw new Error(`no file ${target}`);
  return validateFile(file, index, options).map((p) => ({ ...p, text: file.text.slice(p.start, p.end) }));
}

export function ids(problems: readonly Problem[]): string[] {
  return problems.map((p) => p.ruleId);
}
