import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  createConnection,
  DiagnosticSeverity,
  DocumentSymbol,
  ProposedFeatures,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { LANGUAGE_SERVER_NAME } from '../src/shared/ids';
import { looksLikeKubernetesYaml, parseManifest } from './parser/manifest';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    documentSymbolProvider: true,
  },
  serverInfo: { name: LANGUAGE_SERVER_NAME },
}));

function validate(doc: TextDocument): Diagnostic[] {
  const text = doc.getText();
  if (!looksLikeKubernetesYaml(text)) return [];
  const parsed = parseManifest(text);
  return parsed.syntaxErrors.map((e) => ({
    severity: DiagnosticSeverity.Error,
    source: 'capi-dcs',
    code: 'yaml-syntax',
    message: e.message,
    range: { start: doc.positionAt(e.offset), end: doc.positionAt(e.offset + e.length) },
  }));
}

documents.onDidChangeContent(({ document }) => {
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: validate(document) });
});

documents.onDidClose(({ document }) => {
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

connection.onDocumentSymbol(({ textDocument }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc || !looksLikeKubernetesYaml(doc.getText())) return [];
  return parseManifest(doc.getText())
    .docs.filter((d) => d.kind !== undefined && d.document.contents?.range)
    .map((d) => {
      const [start, , end] = d.document.contents?.range ?? [0, 0, 0];
      const range = { start: doc.positionAt(start), end: doc.positionAt(end) };
      return DocumentSymbol.create(`${d.kind ?? ''} ${d.name ?? ''}`.trim(), d.apiVersion, SymbolKind.Object, range, range);
    });
});

documents.listen(connection);
connection.listen();
