// Hover text for what the schema cannot explain: where a reference leads, and what a ${VAR} holds.
import { getString, get } from './objects';
import { refAt, targetsOf } from './navigation';
import { pathAt } from './pathAt';
import { findPlaceholders, type Variables } from '../../src/shared/schema/clusterctlTemplate';
import { schemaAt, type SchemaSource } from './schemaCompletion';
import type { WorkspaceIndex } from './workspaceIndex';

export interface HoverText {
  readonly markdown: string;
  readonly start: number;
  readonly end: number;
}

function fileName(uri: string): string {
  return decodeURIComponent(uri.split('/').pop() ?? uri);
}

function summary(object: Record<string, unknown>, kind: string): string[] {
  const spec = kind === 'DCSMachineTemplate' ? get(object, ['spec', 'template', 'spec']) : get(object, ['spec']);
  const lines: string[] = [];
  const fields: [string, readonly (string | number)[]][] = [
    ['VM template', ['vmTemplateName']],
    ['pool', ['ipHostPoolRef', 'name']],
    ['vCPUs', ['vmConfig', 'dcsMachineCpuSpec', 'quantity']],
    ['memory MB', ['vmConfig', 'dcsMachineMemorySpec', 'quantity']],
    ['version', ['version']],
    ['replicas', ['replicas']],
    ['site', ['site']],
    ['endpoint', ['controlPlaneEndpoint', 'host']],
  ];
  for (const [label, path] of fields) {
    const value = get(spec, path);
    if (typeof value === 'string' || typeof value === 'number') lines.push(`- ${label}: \`${String(value)}\``);
  }
  const pool = get(spec, ['pool']);
  if (Array.isArray(pool)) lines.push(`- entries: ${pool.length}`);
  return lines;
}

export function hoverAt(index: WorkspaceIndex, uri: string, offset: number, vars: Variables = {}, schemas?: SchemaSource): HoverText | undefined {
  const file = index.file(uri);
  const o = file?.objects.find((x) => x.doc.start <= offset && offset <= x.doc.end);
  if (!file || !o) return undefined;
  const at = pathAt(o.doc, offset);
  const scalar = at.scalar;
  if (scalar && typeof scalar.value === 'string') {
    const placeholder = findPlaceholders(file.text.slice(scalar.start, scalar.end)).find(
      (p) => scalar.start + p.start <= offset && offset <= scalar.start + p.end,
    );
    if (placeholder) {
      const value = vars[placeholder.name];
      const lines = [`**clusterctl variable** \`${placeholder.name}\``];
      if (value !== undefined) lines.push(`value (from settings): \`${value}\``);
      if (placeholder.defaultValue !== undefined) lines.push(`default: \`${placeholder.defaultValue}\` (used when unset or empty)`);
      else if (placeholder.modifier === undefined) lines.push('required: `clusterctl generate cluster` stops without a value');
      return { markdown: lines.join('\n\n'), start: scalar.start + placeholder.start, end: scalar.start + placeholder.end };
    }
  }
  const found = refAt(index, uri, offset);
  if (found && scalar) {
    const targets = targetsOf(index, found.ref);
    const head = `**${found.ref.kind} ${found.ref.name}** in namespace \`${found.ref.namespace}\``;
    if (targets.length === 0) return { markdown: `${head}\n\nNot defined in the workspace.`, start: scalar.start, end: scalar.end };
    const target = targets[0];
    if (!target) return undefined;
    const users = index.referencesTo(target).length;
    const body = [`defined in \`${fileName(target.uri)}\``, ...summary(target.object, target.kind), `referenced by ${users} object${users === 1 ? '' : 's'}`];
    const namespaceNote = getString(target.object, ['metadata', 'namespace']) === undefined ? ' (default namespace)' : '';
    return { markdown: `${head}${namespaceNote}\n\n${body.join('\n')}`, start: scalar.start, end: scalar.end };
  }
  return schemaHover(o.doc.apiVersion, o.doc.kind, at.path, scalar, schemas);
}

/** Type, default, enum and description of the field under the cursor, from the schema catalog. */
function schemaHover(
  apiVersion: string | undefined,
  kind: string | undefined,
  path: readonly (string | number)[],
  scalar: { start: number; end: number } | undefined,
  schemas: SchemaSource | undefined,
): HoverText | undefined {
  if (!schemas || !apiVersion || !kind || !scalar || path.length === 0) return undefined;
  const schema = schemaAt(schemas.schemaFor(apiVersion, kind), path);
  if (!schema) return undefined;
  const name = path.filter((p) => typeof p === 'string').join('.');
  const lines = [`**${name}**: \`${typeof schema.type === 'string' ? schema.type : 'any'}\``];
  if (schema.default !== undefined) lines.push(`default: \`${JSON.stringify(schema.default)}\``);
  if (Array.isArray(schema.enum)) lines.push(`one of: ${schema.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (typeof schema.description === 'string') lines.push(schema.description);
  return { markdown: lines.join('\n\n'), start: scalar.start, end: scalar.end };
}
