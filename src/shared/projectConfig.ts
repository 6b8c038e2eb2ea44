// `.capi-dcs.yaml`, a repository's capi-dcs configuration: found, read, checked against its own JSON schema
// (schemas/capi-dcs-config.schema.json) and merged with the editor's settings. `capi-dcs lint` and the
// language server both read it through this module, so they agree on what the file means.
import Ajv, { type ValidateFunction } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import configSchema from '../../schemas/capi-dcs-config.schema.json';
import { CONFIG_FILE } from './ids';
import { problemsFromAjv, SchemaRuleIds } from './schema/ajvProblems';
import type { PathSegment } from './schema/celRule';
import { withDefaults, type ServerSettings } from './settings';

export { CONFIG_FILE };

/** The JSON schema of the file: the editor's completion and validation, and Red Hat's YAML extension, use it. */
export const CONFIG_SCHEMA: Record<string, unknown> = configSchema;

export interface ConfigProblem {
  /** `yaml-syntax`, or a schema-* id as for manifests. */
  readonly ruleId: string;
  readonly message: string;
  /** Offsets in the file's text. */
  readonly start: number;
  readonly end: number;
  /** 1-based, where `start` is. */
  readonly line: number;
  readonly column: number;
}

export interface ProjectConfig {
  /** The file's settings; empty when the file has problems (a broken file is not half applied). */
  readonly values: Record<string, unknown>;
  readonly problems: readonly ConfigProblem[];
}

/** Compiled on first use: most processes never see a configuration file. */
let validateConfig: ValidateFunction | undefined;

/** Reads the text of a `.capi-dcs.yaml`; an empty file is an empty configuration. */
export function parseProjectConfig(text: string): ProjectConfig {
  const lines = new LineCounter();
  const problem = (ruleId: string, message: string, start: number, end: number): ConfigProblem => {
    const { line, col } = lines.linePos(start);
    return { ruleId, message, start, end: Math.max(end, start + 1), line, column: col };
  };
  const document = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  if (document.errors.length > 0) {
    return { values: {}, problems: document.errors.map((e) => problem('yaml-syntax', e.message, e.pos[0], e.pos[1])) };
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    return { values: {}, problems: [problem('yaml-syntax', error instanceof Error ? error.message : String(error), 0, 1)] };
  }
  validateConfig ??= new Ajv({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);
  if (validateConfig(data)) return { values: data as Record<string, unknown>, problems: [] };
  const problems = problemsFromAjv(validateConfig.errors ?? [], data, CONFIG_SCHEMA).map((p) => {
    const [start, end] = rangeOf(document, p.segments, p.ruleId === SchemaRuleIds.unknownField);
    return problem(p.ruleId, p.message, start, end);
  });
  return { values: {}, problems };
}

/** The range of a field's value (or, for an unknown field, its key); its closest existing parent otherwise. */
function rangeOf(document: Document.Parsed, path: readonly PathSegment[], key: boolean): [number, number] {
  let node = document.contents as Node | null;
  let range: [number, number] = [node?.range?.[0] ?? 0, (node?.range?.[0] ?? 0) + 1];
  for (const segment of path) {
    const pair = isMap(node) ? node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment)) : undefined;
    const keyRange = isScalar(pair?.key) ? pair.key.range : undefined;
    if (!pair || !keyRange) return range;
    node = pair.value as Node | null;
    range = key || !node?.range ? [keyRange[0], keyRange[1]] : [node.range[0], node.range[1]];
  }
  return range;
}

/** Reads a configuration file; a file that cannot be read is one problem, like a syntax error. */
export function readProjectConfig(path: string): ProjectConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { values: {}, problems: [{ ruleId: 'file-unreadable', message, start: 0, end: 1, line: 1, column: 1 }] };
  }
  return parseProjectConfig(text);
}

/** The nearest .capi-dcs.yaml from `start` up to the repository root (a folder holding .git) or /. */
export function findProjectConfig(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Settings from layers, lowest first (the file, then what the user set in VS Code): a later layer wins per
 * key, and within objects (rules, variables, validation, files) per entry; lists are replaced whole.
 */
export function mergeSettings(...layers: readonly unknown[]): ServerSettings {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if (!isRecord(layer)) continue;
    for (const [key, value] of Object.entries(layer)) {
      const before = merged[key];
      merged[key] = isRecord(before) && isRecord(value) ? { ...before, ...value } : value;
    }
  }
  return withDefaults(merged);
}
