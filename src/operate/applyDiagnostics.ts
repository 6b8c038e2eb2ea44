// Problems of an apply shown where they are: each refusal of the API server at the field it names (located
// in the document that defined the object), documents that could not be applied at their start.
import * as vscode from 'vscode';
import { locate } from '../../server/engine/locate';
import { ApiFailure, describeFailure, fieldMessage } from './apiErrors';
import type { PlannedObject, PlanProblem } from './applyPlan';
import { resolveFieldPath } from './fieldPath';

const SOURCE = 'capi-dcs apply';

export interface ObjectFailure {
  readonly planned: PlannedObject;
  readonly error: unknown;
}

export async function showApplyDiagnostics(collection: vscode.DiagnosticCollection, problems: readonly PlanProblem[], failures: readonly ObjectFailure[]): Promise<void> {
  const byUri = new Map<string, vscode.Diagnostic[]>();
  const add = (uri: string, d: vscode.Diagnostic): void => {
    byUri.set(uri, [...(byUri.get(uri) ?? []), d]);
  };
  const documents = new Map<string, vscode.TextDocument>();
  const documentOf = async (uri: string): Promise<vscode.TextDocument> => {
    let doc = documents.get(uri);
    if (!doc) {
      doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      documents.set(uri, doc);
    }
    return doc;
  };
  const range = (doc: vscode.TextDocument, start: number, end: number): vscode.Range => new vscode.Range(doc.positionAt(start), doc.positionAt(Math.max(start + 1, end)));

  for (const p of problems) {
    const doc = await documentOf(p.source.uri);
    const [start, end] = 'doc' in p.source ? [p.source.doc.start, p.source.doc.start + 1] : [p.source.start, p.source.end];
    add(p.source.uri, diagnostic(range(doc, start + p.source.offset, end + p.source.offset), p.message));
  }
  for (const f of failures) {
    const { source, object } = f.planned;
    const doc = await documentOf(source.uri);
    const fields = f.error instanceof ApiFailure ? f.error.fields : [];
    const label = `${object.kind} ${object.metadata.name}`;
    if (fields.length === 0) {
      const at = locate(source.doc, ['kind'], 'value');
      add(source.uri, diagnostic(range(doc, at.start + source.offset, at.end + source.offset), `${label}: ${describeFailure(f.error)}`));
      continue;
    }
    for (const field of fields) {
      const at = locate(source.doc, resolveFieldPath(object, field.segments), 'value');
      add(source.uri, diagnostic(range(doc, at.start + source.offset, at.end + source.offset), `${label}: ${field.field ? `${field.field}: ` : ''}${fieldMessage(field)}`));
    }
  }
  for (const [uri, list] of byUri) collection.set(vscode.Uri.parse(uri), list);
}

function diagnostic(range: vscode.Range, message: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
  d.source = SOURCE;
  return d;
}
