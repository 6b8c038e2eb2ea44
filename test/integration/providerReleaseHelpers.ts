// Helpers of the provider-release tests: what the README documents, what clusterctl lists, and an
// access check for a user, all read from the real files and programs.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sendJson, type KubeClient } from '../../src/operate/kubeClient';

export interface DocumentedVariable {
  readonly name: string;
  /** undefined: required (no default). */
  readonly default: string | undefined;
  /** Flavor names ('' = the default template); undefined = every flavor. */
  readonly flavors: readonly string[] | undefined;
}

const SECTION = '## Install into a management cluster';

/** The rows of one variables table in README's install section, by the table's first header cell. */
export function documentedVariables(readmePath: string, table: 'provider variable' | 'template variable'): DocumentedVariable[] {
  const text = readFileSync(readmePath, 'utf8');
  const start = text.indexOf(SECTION);
  if (start < 0) throw new Error(`README has no "${SECTION}" section`);
  const section = text.slice(start, text.indexOf('\n## ', start + SECTION.length));
  const lines = section.split('\n');
  const header = lines.findIndex((l) => l.startsWith(`| ${table} |`));
  if (header < 0) throw new Error(`README: no "| ${table} |" table in "${SECTION}"`);
  const out: DocumentedVariable[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const names = [...(cells[0] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] ?? '');
    const defaultCell = cells[1] ?? '';
    const value = /^`(.*)`$/.exec(defaultCell)?.[1] ?? (defaultCell === 'empty' ? '' : defaultCell);
    const flavorsCell = table === 'template variable' ? (cells[2] ?? 'all') : 'all';
    const flavors = flavorsCell === 'all' ? undefined : flavorsCell.split(',').map((f) => (f.trim() === 'default' ? '' : f.trim()));
    for (const name of names) out.push({ name, default: defaultCell === 'required' ? undefined : value, flavors });
  }
  return out;
}

export interface ListedVariables {
  readonly required: string[];
  /** Name -> the default clusterctl shows, unquoted. */
  readonly optional: Map<string, string>;
  /** `generate yaml` lists names only, under "Variables:". */
  readonly names: string[];
}

/** Parses `clusterctl generate cluster|yaml ... --list-variables` output. */
export function parseListedVariables(output: string): ListedVariables {
  const required: string[] = [];
  const optional = new Map<string, string>();
  const names: string[] = [];
  let part: 'required' | 'optional' | 'names' | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith('Required Variables:')) part = 'required';
    else if (line.startsWith('Optional Variables:')) part = 'optional';
    else if (line.startsWith('Variables:')) part = 'names';
    const m = /^\s+- ([A-Z][A-Z0-9_]*)(?:\s+\(defaults to (.*)\))?\s*$/.exec(line);
    if (!m?.[1] || !part) continue;
    if (part === 'required') required.push(m[1]);
    else if (part === 'names') names.push(m[1]);
    else optional.set(m[1], (m[2] ?? '').replace(/^"(.*)"$/, '$1'));
  }
  return { required: required.sort(), optional, names: names.sort() };
}

/** Runs a program; rejects with its stderr when it fails. */
export function runProgram(program: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${program} ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

export interface Access {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** Whether `user` may do `access`, as the API server's authorizer answers a SubjectAccessReview. */
export async function canI(admin: KubeClient, user: string, groups: readonly string[], access: Access): Promise<boolean> {
  const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user, groups, resourceAttributes: access } };
  const review = (await sendJson(admin, { method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', body: JSON.stringify(body), contentType: 'application/json' })) as {
    status?: { allowed?: boolean };
  };
  return review.status?.allowed === true;
}

export function describeAccess(a: Access): string {
  return `${a.verb} ${a.group || 'core'}/${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.namespace ? ` in ${a.namespace}` : ''}`;
}

export const REPO_ROOT = join(__dirname, '..', '..');
