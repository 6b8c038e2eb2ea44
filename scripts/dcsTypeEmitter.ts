// Emits src/shared/api/dcs.generated.ts: one TypeScript type per definition of the DCS API source,
// the four kinds, and constants for group, version, kinds and plurals.
import { SchemaResolver, SOURCE_FILE, type DcsApiSource, type SourceSchema } from './dcsApiSource';

const INDENT = '  ';

function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + word.length + 1 > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) lines.push(line);
  }
  return lines;
}

/** A one-line TypeScript literal: single-quoted strings, unquoted identifier keys. */
function tsLiteral(value: unknown): string {
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : tsLiteral(k)}: ${tsLiteral(v)}`);
    return `{ ${entries.join(', ')} }`;
  }
  return String(value);
}

function constraintsOf(node: SourceSchema): string[] {
  const notes: string[] = [];
  if (node.format) notes.push(`Format: ${node.format}.`);
  if (node.minimum !== undefined || node.maximum !== undefined) {
    notes.push(`Range: ${node.minimum ?? '-inf'} to ${node.maximum ?? 'inf'}.`);
  }
  if (node.minLength !== undefined || node.maxLength !== undefined) {
    notes.push(`Length: ${node.minLength ?? 0} to ${node.maxLength ?? 'unbounded'}.`);
  }
  if (node.pattern) notes.push(`Pattern: \`${node.pattern}\`.`);
  if (node.maxItems !== undefined) notes.push(`At most ${node.maxItems} items.`);
  if (node['x-kubernetes-list-map-keys']) notes.push(`Keyed by ${node['x-kubernetes-list-map-keys'].join(', ')}.`);
  if (node.default !== undefined) notes.push(`Default: ${JSON.stringify(node.default)}.`);
  return notes;
}

function jsDoc(lines: string[], indent: string): string {
  const safe = lines.map((l) => l.replaceAll('*/', '*\\/'));
  if (safe.length === 0) return '';
  if (safe.length === 1 && (safe[0] ?? '').length < 96) return `${indent}/** ${safe[0] ?? ''} */\n`;
  return `${indent}/**\n${safe.map((l) => `${indent} * ${l}`).join('\n')}\n${indent} */\n`;
}

class TypeEmitter {
  constructor(private readonly resolver: SchemaResolver) {}

  /** The documentation of a node, with a `$ref`'s description falling back to its target's. */
  private docOf(node: SourceSchema): string[] {
    const target = node.$ref !== undefined ? this.resolver.flatten(this.resolver.definition(node.$ref)) : node;
    const description = node.description ?? target.description ?? '';
    return [...wrapText(description, 96), ...constraintsOf(target)];
  }

  typeOf(node: SourceSchema, indent: string): string {
    if (node.$ref !== undefined) return node.$ref;
    const flat = this.resolver.flatten(node);
    if (flat['x-kubernetes-int-or-string']) return 'number | string';
    switch (flat.type) {
      case 'string':
        return flat.enum ? flat.enum.map(tsLiteral).join(' | ') : 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array': {
        const item = flat.items ? this.typeOf(flat.items, indent) : 'unknown';
        return /[|{]/.test(item) ? `Array<${item}>` : `${item}[]`;
      }
      case 'object':
        return this.objectType(flat, indent);
      case undefined:
        return 'unknown';
    }
  }

  private objectType(node: SourceSchema, indent: string): string {
    if (node.properties) return `{\n${this.members(node, indent + INDENT)}${indent}}`;
    if (node.additionalProperties && typeof node.additionalProperties === 'object') {
      return `Record<string, ${this.typeOf(node.additionalProperties, indent)}>`;
    }
    return node['x-kubernetes-preserve-unknown-fields'] ? 'Record<string, unknown>' : 'Record<string, never>';
  }

  members(node: SourceSchema, indent: string): string {
    const required = new Set(node.required ?? []);
    return Object.entries(node.properties ?? {})
      .map(([name, child]) => {
        const optional = required.has(name) ? '' : '?';
        return `${jsDoc(this.docOf(child), indent)}${indent}${name}${optional}: ${this.typeOf(child, indent)};\n`;
      })
      .join('');
  }

  definition(name: string, node: SourceSchema): string {
    const flat = this.resolver.flatten(node);
    const doc = jsDoc([...wrapText(flat.description ?? '', 100), ...constraintsOf(flat)], '');
    if (flat.type === 'object' && flat.properties) {
      return `${doc}export interface ${name} {\n${this.members(flat, INDENT)}}\n`;
    }
    return `${doc}export type ${name} = ${this.typeOf(flat, '')};\n`;
  }
}

export function emitDcsTypes(source: DcsApiSource): string {
  const emitter = new TypeEmitter(new SchemaResolver(source.definitions));
  const apiVersion = `${source.group}/${source.version}`;
  const kindsTable = source.kinds
    .map((k) => {
      const entry = {
        kind: k.kind,
        listKind: `${k.kind}List`,
        plural: k.plural,
        singular: k.singular,
        shortNames: k.shortNames,
        crdName: `${k.plural}.${source.group}`,
      };
      return `${INDENT}${k.kind}: ${tsLiteral(entry)},\n`;
    })
    .join('');
  const kinds = source.kinds
    .map(
      (k) =>
        `${jsDoc(wrapText(k.description, 100), '')}export interface ${k.kind} {\n` +
        `${INDENT}apiVersion: typeof DCS_API_VERSION;\n${INDENT}kind: '${k.kind}';\n${INDENT}metadata: ObjectMeta;\n` +
        `${INDENT}spec: ${k.spec};\n${INDENT}status?: ${k.status};\n}\n`,
    )
    .join('\n');
  const definitions = Object.entries(source.definitions)
    .map(([name, node]) => emitter.definition(name, node))
    .join('\n');
  return [
    `// Generated by scripts/gen-dcs.ts from ${SOURCE_FILE}. Do not edit.\n`,
    "import type { ObjectMeta } from './meta';\n",
    `export const DCS_GROUP = '${source.group}';`,
    `export const DCS_VERSION = '${source.version}';`,
    `export const DCS_API_VERSION = '${apiVersion}';`,
    `export const DCS_CONTRACT_LABELS = ${tsLiteral(source.labels)} as const;\n`,
    `export const DcsKinds = {\n${kindsTable}} as const;\n`,
    'export type DcsKind = keyof typeof DcsKinds;\n',
    `export type DcsObject = ${source.kinds.map((k) => k.kind).join(' | ')};\n`,
    kinds,
    definitions,
  ].join('\n');
}
