// clusterctl variable values from env files (`--env-file`), as `clusterctl generate cluster` reads them.
import { readFileSync } from 'node:fs';
import { UsageError } from './args';

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
