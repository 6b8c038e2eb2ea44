// `capi-dcs lint`: reads the arguments, the configuration and the files, runs the checks, renders the result.
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { version } from '../../package.json';
import { committedContents } from '../../server/workspace/baseline';
import { findProjectConfig, mergeSettings, readProjectConfig } from '../shared/projectConfig';
import type { ServerSettings } from '../shared/settings';
import { parseLintArgs, UsageError, type LintArgs } from './args';
import { readEnvFile } from './envFile';
import { collectPaths, readInput, type InputFile } from './files';
import { formatHuman } from './formats/human';
import { formatJson } from './formats/json';
import { formatJunit } from './formats/junit';
import { formatSarif } from './formats/sarif';
import { atOrAbove, lintFiles, type LintResult } from './lint';
import { loadSchemas } from './schemas';

export const EXIT_CLEAN = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function render(result: LintResult, args: LintArgs): string {
  switch (args.format) {
    case 'json':
      return formatJson(result, version);
    case 'sarif':
      return formatSarif(result, version);
    case 'junit':
      return formatJunit(result);
    case 'human':
      return formatHuman(result, args.color);
  }
}

function exitStatus(result: LintResult, args: LintArgs): number {
  if (result.ioErrors.length > 0) return EXIT_USAGE;
  const failing = args.failOn !== 'none' && result.problems.some((p) => atOrAbove(p.severity, args.failOn === 'none' ? 'error' : args.failOn));
  const warnings = result.problems.filter((p) => p.severity === 'warning').length;
  const tooManyWarnings = args.maxWarnings !== undefined && warnings > args.maxWarnings;
  return failing || tooManyWarnings ? EXIT_PROBLEMS : EXIT_CLEAN;
}

/** The repository's .capi-dcs.yaml (or --config): a broken file stops the run, with one line per problem. */
function readSettings(args: LintArgs, cwd: string): ServerSettings {
  const path = args.config ?? findProjectConfig(cwd);
  if (path === undefined) return mergeSettings(undefined, flagSettings(args));
  const config = readProjectConfig(path);
  if (config.problems.length > 0) {
    const text = config.problems.map((p) => `${relative(cwd, path) || path}:${p.line}:${p.column}: ${p.ruleId}: ${p.message}`);
    throw new UsageError(`invalid configuration file\n${text.join('\n')}`);
  }
  return mergeSettings(config.values, flagSettings(args));
}

/** Settings given as flags override the configuration file's. */
function flagSettings(args: LintArgs): Record<string, unknown> {
  return args.capiVersion === undefined ? {} : { capiVersion: args.capiVersion };
}

/** git HEAD's version of the files that define machine templates, by URI (edits in place are reported). */
async function templateBaselines(inputs: readonly InputFile[], cwd: string): Promise<Map<string, string>> {
  const paths = inputs.filter((i) => i.uri.startsWith('file:') && i.text?.includes('DCSMachineTemplate')).map((i) => fileURLToPath(i.uri));
  const committed = await committedContents(cwd, paths);
  return new Map([...committed].map(([path, text]) => [pathToFileURL(path).toString(), text]));
}

export async function lint(argv: readonly string[], cwd: string): Promise<{ output: string; status: number }> {
  const args = parseLintArgs(argv, process.stdout.isTTY);
  const settings = readSettings(args, cwd);
  const vars = { ...settings.variables, ...Object.assign({}, ...args.envFiles.map(readEnvFile)), ...args.vars } as Record<string, string>;
  const rendering = Object.keys(vars).length > 0;
  const { files, errors } = await collectPaths(args.paths, [...settings.files.exclude.filter((g) => !g.includes('.git')), ...args.exclude], cwd);
  const inputs = await Promise.all(files.map((f) => readInput(f, cwd, readStdin)));
  const schemas = await loadSchemas(args);
  const baselines = await templateBaselines(inputs, cwd);
  const result = lintFiles(inputs, { settings, variables: rendering ? vars : undefined, schemas, baselines });
  const shown: LintResult = {
    ...result,
    ioErrors: [...errors, ...result.ioErrors],
    problems: args.quiet ? result.problems.filter((p) => p.severity === 'error') : result.problems,
  };
  return { output: render(shown, args), status: exitStatus(shown, args) };
}

