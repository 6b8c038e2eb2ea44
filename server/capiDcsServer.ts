// Wires the LSP connection to the validation core: keeps the workspace index current, validates open
// documents (debounced) and answers symbol requests. Feature logic lives in engine/ and handlers/.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DocumentSymbol,
  FileChangeType,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type Position,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { LANGUAGE_SERVER_NAME } from '../src/shared/ids';
import { withDefaults, type ServerSettings } from '../src/shared/settings';
import { looksLikeKubernetesYaml } from './engine/manifest';
import { validateFile, type SchemaChecker, type ValidateOptions } from './engine/validate';
import { WorkspaceIndex } from './engine/workspaceIndex';
import { workspaceCompletions, type CompletionEntry } from './engine/completion';
import { schemaCompletions, type SchemaSource } from './engine/schemaCompletion';
import { fixesFor } from './engine/fixes';
import { foldingRanges } from './engine/folding';
import { hoverAt } from './engine/hover';
import { definitionAt, referencesAt } from './engine/navigation';
import { toDiagnostic } from './handlers/diagnostics';
import { Positions, toCodeAction, toCompletionItem, toHover } from './handlers/features';
import { committedContent } from './workspace/baseline';
import { findManifestFiles } from './workspace/scan';

// Validation is fast and incremental: only coalesce the notifications that arrive in one burst.
const VALIDATION_DELAY_MS = 0;

export class CapiDcsServer {
  readonly documents = new TextDocuments(TextDocument);
  readonly index = new WorkspaceIndex();
  private settings: ServerSettings = withDefaults(undefined);
  private folders: string[] = [];
  private readonly baselined = new Set<string>();
  private pending: NodeJS.Timeout | undefined;
  private readonly positions = new Positions(this.index, (uri) => this.documents.get(uri));

  /** The schemas in use: the bundled catalog, or those read from a management cluster. */
  private schemas: (SchemaChecker & SchemaSource) | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly bundledSchemas?: SchemaChecker & SchemaSource,
    private readonly clusterSchemas?: (kubeconfig: string, context: string | undefined) => Promise<SchemaChecker & SchemaSource>,
  ) {
    this.schemas = bundledSchemas;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized());
    connection.onDidChangeConfiguration((change) => {
      this.settings = withDefaults((change.settings as Record<string, unknown> | undefined)?.['capi-dcs']);
      void this.chooseSchemas();
      this.scheduleValidation();
    });
    connection.onDidChangeWatchedFiles(({ changes }) => {
      for (const change of changes) {
        if (this.documents.get(change.uri)) continue; // the editor's copy wins
        if (change.type === FileChangeType.Deleted) this.index.remove(change.uri);
        else void this.indexFromDisk(change.uri);
      }
      this.scheduleValidation();
    });
    connection.onDocumentSymbol(({ textDocument }) => this.symbols(textDocument.uri));
    connection.onFoldingRanges(({ textDocument }) => {
      const document = this.documents.get(textDocument.uri);
      return document ? foldingRanges(document.getText()) : [];
    });
    connection.onDefinition(({ textDocument, position }) => this.at(textDocument.uri, position, (offset) => definitionAt(this.index, textDocument.uri, offset).map((s) => this.positions.location(s))) ?? []);
    connection.onReferences(({ textDocument, position, context }) =>
      this.at(textDocument.uri, position, (offset) => referencesAt(this.index, textDocument.uri, offset, context.includeDeclaration).map((s) => this.positions.location(s))) ?? [],
    );
    connection.onHover(({ textDocument, position }) => {
      const document = this.documents.get(textDocument.uri);
      const found = document ? hoverAt(this.index, textDocument.uri, document.offsetAt(position), this.settings.variables, this.schemas) : undefined;
      return document && found ? toHover(document, found.markdown, found.start, found.end) : null;
    });
    connection.onCompletion(({ textDocument, position }) => {
      // An empty YAML file is not indexed (it is no manifest yet): offer to start one.
      const empty = this.documents.get(textDocument.uri)?.getText().trim() === '';
      const entries = empty && this.schemas ? schemaCompletions(this.schemas, undefined, 0) : this.at(textDocument.uri, position, (offset) => this.completions(textDocument.uri, offset));
      return (entries ?? []).map(toCompletionItem);
    });
    connection.onCodeAction(({ textDocument, context }) => this.codeActions(textDocument.uri, context.diagnostics));
    this.documents.onDidChangeContent(({ document }) => void this.onChange(document));
    this.documents.onDidClose(({ document }) => {
      void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
      // A closed file keeps its place in the index as it is on disk; an untitled one leaves it.
      if (document.uri.startsWith('file:')) void this.indexFromDisk(document.uri);
      else this.index.remove(document.uri);
    });
    this.documents.listen(connection);
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.folders = (params.workspaceFolders ?? []).map((f) => f.uri).filter((u) => u.startsWith('file:'));
    this.settings = withDefaults((params.initializationOptions as Record<string, unknown> | undefined)?.settings);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', '{', '$'] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: LANGUAGE_SERVER_NAME },
    };
  }

  /** Switches between the bundled catalog and the CRDs of the configured management cluster. */
  private async chooseSchemas(): Promise<void> {
    const { schemaSource, clusterContext } = this.settings.validation;
    if (schemaSource !== 'cluster' || !this.clusterSchemas) {
      this.schemas = this.bundledSchemas;
      return;
    }
    const fromEnv = (process.env.KUBECONFIG ?? '').split(':')[0] ?? '';
    const kubeconfig = [this.settings.kubeconfig, fromEnv].find((p) => p !== '') ?? join(homedir(), '.kube', 'config');
    try {
      this.schemas = await this.clusterSchemas(kubeconfig, clusterContext || undefined);
      this.connection.console.info(`validating against the CRDs of ${clusterContext || 'the current context'} in ${kubeconfig}`);
    } catch (error) {
      this.schemas = this.bundledSchemas;
      this.connection.window.showWarningMessage(
        `CAPI DCS: cannot read the CRDs of the management cluster (${error instanceof Error ? error.message : String(error)}); validating with the bundled schemas.`,
      );
    }
    this.scheduleValidation();
  }

  private async initialized(): Promise<void> {
    void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'capi-dcs' });
    await this.chooseSchemas();
    for (const folder of this.folders) {
      const files = await findManifestFiles(fileURLToPath(folder), this.settings.files);
      for (const path of files) await this.indexFromDisk(pathToFileURL(path).toString());
    }
    this.scheduleValidation();
  }

  private async indexFromDisk(uri: string): Promise<void> {
    const text = uri.startsWith('file:') ? await readFile(fileURLToPath(uri), 'utf8').catch(() => undefined) : undefined;
    if (text === undefined) {
      this.index.remove(uri);
      return;
    }
    await this.ensureBaseline(uri, text);
    if (looksLikeKubernetesYaml(text)) this.index.set(uri, text);
    else this.index.remove(uri);
  }

  private async ensureBaseline(uri: string, currentText: string): Promise<void> {
    if (this.baselined.has(uri)) return;
    this.baselined.add(uri);
    const committed = uri.startsWith('file:') ? await committedContent(fileURLToPath(uri)) : undefined;
    this.index.setBaseline(uri, committed ?? currentText);
  }

  private async onChange(document: TextDocument): Promise<void> {
    await this.ensureBaseline(document.uri, document.getText());
    const text = document.getText();
    if (looksLikeKubernetesYaml(text)) this.index.set(document.uri, text);
    else this.index.remove(document.uri);
    this.scheduleValidation();
  }

  /** Validates every open document soon: an edit in one file can change what another one references. */
  private scheduleValidation(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      for (const document of this.documents.all()) this.publish(document);
    }, VALIDATION_DELAY_MS);
  }

  private publish(document: TextDocument): void {
    const file = this.index.file(document.uri);
    const stale = file?.text !== document.getText();
    const diagnostics =
      !this.settings.validation.enable || !file || stale
        ? []
        : validateFile(file, this.index, this.validateOptions()).map((p) =>
            toDiagnostic(document, p),
          );
    void this.connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
  }

  /** Runs `work` at the offset of `position` in an up-to-date indexed document. */
  private at<T>(uri: string, position: Position, work: (offset: number) => T): T | undefined {
    const document = this.documents.get(uri);
    if (!document || this.index.file(uri)?.text !== document.getText()) return undefined;
    return work(document.offsetAt(position));
  }

  private completions(uri: string, offset: number): CompletionEntry[] {
    const fromWorkspace = workspaceCompletions(this.index, uri, offset);
    if (fromWorkspace.length > 0 || !this.schemas) return fromWorkspace;
    const doc = this.index.file(uri)?.manifest.docs.find((d) => d.start <= offset && offset <= d.end + 1);
    return schemaCompletions(this.schemas, doc, offset);
  }

  private codeActions(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
    const document = this.documents.get(uri);
    const file = this.index.file(uri);
    if (!document || file?.text !== document.getText()) return [];
    const problems = validateFile(file, this.index, this.validateOptions());
    const actions: CodeAction[] = [];
    for (const diagnostic of diagnostics) {
      const start = document.offsetAt(diagnostic.range.start);
      const problem = problems.find((p) => p.ruleId === diagnostic.code && p.start === start);
      if (problem) actions.push(...fixesFor(this.index, uri, problem, this.schemas).map((fix) => toCodeAction(fix, diagnostic, this.positions)));
    }
    return actions;
  }

  private validateOptions(): ValidateOptions {
    const { rules, variables } = this.settings;
    // Without any value a template is edited, not rendered: unset variables are no problem then.
    return { schemas: this.schemas, severities: rules, variables: Object.keys(variables).length > 0 ? variables : undefined };
  }

  private symbols(uri: string): DocumentSymbol[] {
    const document = this.documents.get(uri);
    const file = this.index.file(uri);
    if (!document || !file) return [];
    return file.manifest.docs
      .filter((d) => d.kind !== undefined)
      .map((d) => {
        const range = { start: document.positionAt(d.start), end: document.positionAt(d.end) };
        const label = `${d.kind ?? ''} ${d.name ?? ''}`.trim();
        return DocumentSymbol.create(label, d.apiVersion, SymbolKind.Object, range, range);
      });
  }
}
