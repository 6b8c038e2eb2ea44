// LSP adapters for navigation, hover, completion and quick fixes over the engine's offset-based results.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  CompletionItemKind,
  MarkupKind,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Location,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { CompletionEntry } from '../engine/completion';
import type { Fix } from '../engine/fixes';
import { LineIndex } from '../engine/lines';
import type { TextSpan } from '../engine/navigation';
import type { WorkspaceIndex } from '../engine/workspaceIndex';

/** Positions for a file that may not be open: from the open document, else from the indexed text. */
export class Positions {
  private readonly cache = new Map<string, LineIndex>();

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly open: (uri: string) => TextDocument | undefined,
  ) {}

  range(uri: string, start: number, end: number) {
    const doc = this.open(uri);
    if (doc) return { start: doc.positionAt(start), end: doc.positionAt(end) };
    const text = this.index.file(uri)?.text ?? '';
    const lines = this.cache.get(text) ?? new LineIndex(text);
    this.cache.clear();
    this.cache.set(text, lines);
    return { start: lines.positionAt(start), end: lines.positionAt(end) };
  }

  location(span: TextSpan): Location {
    return { uri: span.uri, range: this.range(span.uri, span.start, span.end) };
  }
}

export function toHover(document: TextDocument, markdown: string, start: number, end: number): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: markdown }, range: { start: document.positionAt(start), end: document.positionAt(end) } };
}

const ITEM_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  reference: CompletionItemKind.Reference,
  kind: CompletionItemKind.Class,
  version: CompletionItemKind.Constant,
  variable: CompletionItemKind.Variable,
  value: CompletionItemKind.EnumMember,
  field: CompletionItemKind.Property,
};

export function toCompletionItem(entry: CompletionEntry): CompletionItem {
  return {
    label: entry.label,
    kind: ITEM_KIND[entry.kind],
    detail: entry.detail,
    documentation: entry.documentation ? { kind: MarkupKind.Markdown, value: entry.documentation } : undefined,
    insertText: entry.insertText,
    sortText: entry.sortText,
    preselect: entry.preselect,
  };
}

export function toCodeAction(fix: Fix, diagnostic: Diagnostic, positions: Positions): CodeAction {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) (changes[e.uri] ??= []).push({ range: positions.range(e.uri, e.start, e.end), newText: e.newText });
  const edit: WorkspaceEdit = { changes };
  return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred, edit };
}
