// The lint configuration: `.capi-dcs.yaml` at the repository root (the language server reads the same
// file), env files of clusterctl variables, and the command-line flags on top.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { withDefaults, type ServerSettings } from '../shared/settings';
import { UsageError } from './args';

export const CONFIG_FILE = '.capi-dcs.yaml';

/** The nearest .capi-dcs.yaml from `start` up to the repository root (a folder holding .git) or /. */
export function findConfig(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return undefined;
  }
}

export function readConfig(path: string | undefined): ServerSettings {
  if (!path) return withDefaults(undefined);
  let value: unknown;
  try {
    value = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return withDefaults(value ?? {});
}

/** KEY=VALUE lines; blank lines and # comments are ignored; `export ` prefixes are allowed. */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--env-file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(/^export\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    vars[line.slice(0, eq).trim()] = line.slice(eq + 1).trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}
