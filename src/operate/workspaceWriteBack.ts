// Writes an upgrade into the workspace files the cluster was applied from, so git stays the source of truth:
// each new DCSMachineTemplate as a new document right after the one it copies, and the new version and
// template name in the KubeadmControlPlane and MachineDeployment documents (only those scalars change).
// Pure: file texts in, text edits out.
import { Document, isScalar, parseDocument, type Scalar } from 'yaml';
import { parseFile, type IndexedObject } from '../../server/engine/workspaceIndex';
import { OperateAnnotations } from './ids';
import type { KubeObject } from './objectApi';
import type { PatchStep, UpgradePlan } from './upgradePlan';

export interface WorkspaceFile {
  readonly uri: string;
  readonly text: string;
}

export interface TextEdit {
  /** Offsets in the file's current text. */
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface FileEdits {
  readonly uri: string;
  readonly edits: readonly TextEdit[];
}

export interface WriteBack {
  readonly files: readonly FileEdits[];
  /** What was written, for the summary ("lab-b-kcp: spec.version"). */
  readonly written: readonly string[];
  /** Objects of the plan no workspace file defines (left out of the write-back). */
  readonly notFound: readonly string[];
}

/** True when some workspace file defines an object the plan changes: the cluster was applied from files. */
export function definedInWorkspace(files: readonly WorkspaceFile[], plan: UpgradePlan): boolean {
  const objects = files.flatMap((f) => parseFile(f.uri, f.text).objects);
  return patchSteps(plan).some((s) => findDoc(objects, s.ref.kind, s.ref.namespace ?? plan.namespace, s.ref.name) !== undefined);
}

export function planWriteBack(files: readonly WorkspaceFile[], plan: UpgradePlan): WriteBack {
  const objects = files.flatMap((f) => parseFile(f.uri, f.text).objects);
  const texts = new Map(files.map((f) => [f.uri, f.text]));
  const edits = new Map<string, TextEdit[]>();
  const add = (uri: string, edit: TextEdit): void => {
    edits.set(uri, [...(edits.get(uri) ?? []), edit]);
  };
  const written: string[] = [];
  const notFound: string[] = [];

  for (const step of patchSteps(plan)) {
    const found = findDoc(objects, step.ref.kind, step.ref.namespace ?? plan.namespace, step.ref.name);
    if (!found) {
      notFound.push(`${step.ref.kind} ${step.ref.name}`);
      continue;
    }
    for (const [path, value] of leaves(step.patch)) {
      if (path[0] === 'metadata' && path[1] === 'annotations') continue; // our bookkeeping stays on the live object
      const edit = scalarEdit(found, path, value);
      if (edit) {
        add(found.uri, edit);
        written.push(`${step.ref.kind} ${step.ref.name}: ${path.join('.')} = ${String(value)}`);
      } else notFound.push(`${step.ref.kind} ${step.ref.name}: ${path.join('.')} (not written in the file)`);
    }
  }

  for (const template of plan.templates) {
    const source = template.metadata.annotations?.[OperateAnnotations.copiedFrom] ?? '';
    const old = findDoc(objects, template.kind, plan.namespace, source);
    const anchor = old ?? referrerOf(objects, plan, template.metadata.name);
    if (!anchor) {
      notFound.push(`DCSMachineTemplate ${template.metadata.name}`);
      continue;
    }
    const text = texts.get(anchor.uri) ?? '';
    const end = old ? old.doc.end : text.length;
    const separator = end > 0 && text[end - 1] !== '\n' ? '\n---\n' : '---\n';
    add(anchor.uri, { start: end, end, newText: `${separator}${templateDocument(old, template)}` });
    written.push(`new DCSMachineTemplate ${template.metadata.name} in ${anchor.uri}`);
  }

  return {
    files: [...edits].map(([uri, list]) => ({ uri, edits: [...list].sort((a, b) => a.start - b.start) })),
    written,
    notFound,
  };
}

/** Applies edits to a text (back to front, so offsets stay valid); edits at one offset keep their order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  const indexed = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.i - a.i);
  for (const { e } of indexed) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function patchSteps(plan: UpgradePlan): PatchStep[] {
  return [...(plan.controlPlane ? [plan.controlPlane] : []), ...plan.deployments];
}

function findDoc(objects: readonly IndexedObject[], kind: string, namespace: string, name: string): IndexedObject | undefined {
  const candidates = objects.filter((o) => o.kind === kind && o.name === name);
  // A document without a namespace was applied with the context's: accept it when no file names the namespace.
  return candidates.find((o) => o.doc.namespace === namespace) ?? candidates.find((o) => o.doc.namespace === undefined);
}

/** The document of an object the plan points to the new template (where its copy goes when the original is in no file). */
function referrerOf(objects: readonly IndexedObject[], plan: UpgradePlan, template: string): IndexedObject | undefined {
  for (const step of patchSteps(plan).filter((s) => s.toTemplate === template)) {
    const found = findDoc(objects, step.ref.kind, step.ref.namespace ?? plan.namespace, step.ref.name);
    if (found) return found;
  }
  return undefined;
}

/** Every (path, value) a merge patch sets. */
function leaves(patch: Record<string, unknown>, prefix: readonly string[] = []): [string[], unknown][] {
  return Object.entries(patch).flatMap(([key, value]): [string[], unknown][] =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? leaves(value as Record<string, unknown>, [...prefix, key]) : [[[...prefix, key], value]],
  );
}

/** Replaces one existing scalar, keeping its quoting style; undefined when the field is not in the document. */
function scalarEdit(o: IndexedObject, path: readonly string[], value: unknown): TextEdit | undefined {
  const node: unknown = o.doc.document.getIn(path, true);
  if (!isScalar(node) || !node.range || typeof value !== 'string') return undefined;
  const [start, end] = node.range;
  return { start: start + o.doc.offset, end: end + o.doc.offset, newText: quoted(value, node) };
}

function quoted(value: string, like: Scalar): string {
  if (like.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (like.type === 'QUOTE_SINGLE') return `'${value.replaceAll("'", "''")}'`;
  const plain = /^[A-Za-z0-9][A-Za-z0-9._/+-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+]?\d[\d._]*(e[-+]?\d+)?)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/** The old template's document with the new name, VM template and annotation (comments and layout kept). */
function templateDocument(old: IndexedObject | undefined, template: KubeObject): string {
  const source = old ? old.doc.chunk.slice(old.doc.start - old.doc.offset, old.doc.end - old.doc.offset).replace(/^---[^\n]*\n/, '') : '';
  const doc: Document = old ? parseDocument(source) : new Document(template);
  doc.setIn(['metadata', 'name'], template.metadata.name);
  doc.setIn(['metadata', 'annotations', OperateAnnotations.copiedFrom], template.metadata.annotations?.[OperateAnnotations.copiedFrom] ?? '');
  doc.setIn(['spec', 'template', 'spec', 'vmTemplateName'], (template.spec as { template: { spec: { vmTemplateName: string } } }).template.spec.vmTemplateName);
  for (const key of ['providerID', 'vmUrn']) doc.deleteIn(['spec', 'template', 'spec', key]);
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return text.endsWith('\n') ? text : `${text}\n`;
}
