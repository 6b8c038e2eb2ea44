// `.capi-dcs.yaml` in the editor: its problems, and completion from its JSON schema. What the file means
// (reading, schema, merging) lives in src/shared/projectConfig.ts, shared with the lint command.
import { CONFIG_FILE, CONFIG_SCHEMA, parseProjectConfig } from '../../src/shared/projectConfig';
import type { CompletionEntry } from './completion';
import { parseManifest } from './manifest';
import { rootSchemaCompletions } from './schemaCompletion';
import type { Problem } from './validate';

export function isConfigFile(uri: string): boolean {
  return uri.endsWith(`/${CONFIG_FILE}`);
}

/** Every problem is an error: a file with any problem is not applied at all. */
export function configFileProblems(text: string): Problem[] {
  return parseProjectConfig(text).problems.map((p) => ({
    ruleId: p.ruleId,
    severity: 'error',
    message: `${p.message} (this file is ignored until it is fixed)`,
    start: p.start,
    end: p.end,
  }));
}

export function configFileCompletions(text: string, offset: number): CompletionEntry[] {
  const doc = parseManifest(text).docs.find((d) => d.start <= offset && offset <= d.end + 1);
  return rootSchemaCompletions(CONFIG_SCHEMA, doc, offset);
}
