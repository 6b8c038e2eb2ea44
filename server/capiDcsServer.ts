// Wires the LSP connection to the validation core: keeps the workspace index current, validates open
// documents (debounced) and answers symbol requests. Feature logic lives in engine/ and handlers/.
import { readFile } from 'node:fs/promises';
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
import { kubeconfigFiles } from '../src/shared/kubeconfig';
import { CONFIG_FILE, mergeSettings, parseProjectConfig } from '../src/shared/projectConfig';
import type { ServerSettings } from '../src/shared/settings';
import { configFileCompletions, configFileProblems, isConfigFile } from './engine/configFile';
import { looksLikeKubernetesYaml } from './engine/manifest';
import { validateFile, type SchemaChecker, type ValidateOptions } from './engine/validate';
import { WorkspaceIndex } from './engine/workspaceIndex';
import { referenceNameAt, workspaceCompletions, type CompletionEntry } from './engine/completion';
import { schemaCompletions, type SchemaSource } from './engine/schemaCompletion';
import { fixesFor } from './engine/fixes';
import { foldingRanges } from './engine/folding';
import { hoverAt } from './engine/hover';
import { definitionAt, referencesAt } from './engine/navigation';
import { toDiagnostic } from './handlers/diagnostics';
import { Positions, toCodeAction, toCompletionItem, toHover } from './handlers/features';
import { liveNames, type LiveNames } from './liveNames';
import { committedContent } from './workspace/baseline';
import { findManifestFiles } from './workspace/scan';

// Validation is fast and incremental: only coalesce the notifications that arrive in one burst.
const VALIDATION_DELAY_MS = 0;

export class CapiDcsServer {
  readonly documents = new TextDocuments(TextDocument);
  readonly index = new WorkspaceIndex();
  /** What the user set explicitly in VS Code (the client sends nothing else). */
  private editorSettings: unknown;
  /** Each workspace folder's .capi-dcs.yaml, as applied: empty while the file is missing or broken. */
  private readonly folderConfigs = new Map<string, Record<string, unknown>>();
  /** settingsFor's answers by folder, until a file or the editor's settings change. */
  private readonly mergedSettings = new Map<string | undefined, ServerSettings>();
  /** Set once every folder's .capi-dcs.yaml has been read. */
  private configLoaded = false;
  /** The settings of the first workspace folder: those that are one per server (the schema source). */
  private settings: ServerSettings = mergeSettings();
  private folders: string[] = [];
  private readonly baselined = new Set<string>();
  private pending: NodeJS.Timeout | undefined;
  private rest: NodeJS.Immediate | undefined;
  /** Documents edited since the last validation pass: validated and sent first. */
  private readonly first = new Set<string>();
  /** When the server last had work from the editor (see idleFor). */
  private lastActivity = 0;
  private readonly positions = new Positions(this.index, (uri) => this.documents.get(uri));

  /** Names of the objects in the management cluster, when validating against it. */
  private live: LiveNames | undefined;
  /** The schemas in use: the bundled catalog, or those read from a management cluster. */
  private schemas: (SchemaChecker & SchemaSource) | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly bundledSchemas?: SchemaChecker & SchemaSource,
    private readonly clusterSchemas?: (kubeconfig: string | undefined, context: string | undefined) => Promise<SchemaChecker & SchemaSource>,
  ) {
    this.schemas = bundledSchemas;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized());
    connection.onDidChangeConfiguration((change) => {
      this.editorSettings = (change.settings as Record<string, unknown> | undefined)?.['capi-dcs'];
      this.applySettings();
    });
    connection.onDidChangeWatchedFiles(({ changes }) => {
      // Validate once the files are read: a pass before that would publish what the old contents say.
      const reads: Promise<void>[] = [];
      for (const change of changes) {
        const folder = this.configFolder(change.uri);
        if (folder !== undefined) {
          reads.push(this.loadConfig(folder).then(() => this.applySettings()));
          continue;
        }
        if (this.documents.get(change.uri)) continue; // the editor's copy wins
        if (change.type === FileChangeType.Deleted) this.index.remove(change.uri);
        else reads.push(this.indexFromDisk(change.uri));
      }
      void Promise.all(reads).then(() => this.scheduleValidation());
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
      this.lastActivity = performance.now();
      const document = this.documents.get(textDocument.uri);
      const found = document ? hoverAt(this.index, textDocument.uri, document.offsetAt(position), this.settingsFor(textDocument.uri).variables, this.schemas) : undefined;
      return document && found ? toHover(document, found.markdown, found.start, found.end) : null;
    });
    connection.onCompletion(async ({ textDocument, position }) => {
      const document = this.documents.get(textDocument.uri);
      if (document && isConfigFile(document.uri)) return configFileCompletions(document.getText(), document.offsetAt(position)).map(toCompletionItem);
      // An empty YAML file is not indexed (it is no manifest yet): offer to start one.
      const empty = document?.getText().trim() === '';
      const entries = empty && this.schemas ? schemaCompletions(this.schemas, undefined, 0, this.settingsFor(textDocument.uri).capiVersion) : await this.at(textDocument.uri, position, (offset) => this.completions(textDocument.uri, offset));
      return (entries ?? []).map(toCompletionItem);
    });
    connection.onCodeAction(({ textDocument, context }) => this.codeActions(textDocument.uri, context.diagnostics));
    this.documents.onDidChangeContent(({ document }) => void this.onChange(document));
    this.documents.onDidClose(({ document }) => {
      void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
      // A configuration file's problems stay in view as long as the file on disk has them.
      const folder = this.configFolder(document.uri);
      if (folder !== undefined) void this.loadConfig(folder);
      // A closed file keeps its place in the index as it is on disk; an untitled one leaves it.
      if (document.uri.startsWith('file:')) void this.indexFromDisk(document.uri);
      else this.index.remove(document.uri);
    });
    this.documents.listen(connection);
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.folders = (params.workspaceFolders ?? []).map((f) => f.uri.replace(/\/$/, '')).filter((u) => u.startsWith('file:'));
    this.editorSettings = (params.initializationOptions as Record<string, unknown> | undefined)?.settings;
    this.mergedSettings.clear();
    this.settings = this.settingsFor(this.folders[0]);
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
      this.live = undefined;
      return;
    }
    // Empty setting: $KUBECONFIG's files merged as kubectl merges them, then ~/.kube/config.
    const kubeconfig = this.settings.kubeconfig || undefined;
    this.live = liveNames(kubeconfig, clusterContext || undefined);
    try {
      this.schemas = await this.clusterSchemas(kubeconfig, clusterContext || undefined);
      this.connection.console.info(`validating against the CRDs of ${clusterContext || 'the current context'} in ${kubeconfigFiles(kubeconfig).join(', ')}`);
    } catch (error) {
      this.schemas = this.bundledSchemas;
      this.connection.window.showWarningMessage(
        `CAPI DCS: cannot read the CRDs of the management cluster (${error instanceof Error ? error.message : String(error)}); validating with the bundled schemas.`,
      );
    }
    this.scheduleValidation();
  }

  /** The folder whose root holds this configuration file, if it is one. */
  private configFolder(uri: string): string | undefined {
    return this.folders.find((f) => uri === `${f}/${CONFIG_FILE}`);
  }

  /** The repository's .capi-dcs.yaml is the base; what the user set in VS Code overrides it per key. */
  private settingsFor(uri: string | undefined): ServerSettings {
    const folder = uri === undefined ? undefined : this.folders.find((f) => uri === f || uri.startsWith(`${f}/`));
    const known = this.mergedSettings.get(folder);
    if (known) return known;
    const merged = mergeSettings(folder === undefined ? undefined : this.folderConfigs.get(folder), this.editorSettings);
    this.mergedSettings.set(folder, merged);
    return merged;
  }

  private applySettings(): void {
    this.mergedSettings.clear();
    this.settings = this.settingsFor(this.folders[0]);
    this.index.setVariables(this.settings.variables);
    void this.chooseSchemas();
    this.scheduleValidation();
  }

  /**
   * Reads a folder's .capi-dcs.yaml. A broken file is not applied (defaults instead) and its problems are
   * published on it; an open one is published from the editor's text instead, as it is being typed.
   */
  private async loadConfig(folder: string): Promise<void> {
    const uri = `${folder}/${CONFIG_FILE}`;
    const text = await readFile(fileURLToPath(uri), 'utf8').catch(() => undefined);
    const config = text === undefined ? undefined : parseProjectConfig(text);
    this.folderConfigs.set(folder, config?.values ?? {});
    this.mergedSettings.clear();
    if (config && config.problems.length > 0) this.connection.console.warn(`${uri}: ${config.problems.length} problem(s); using the defaults until it is fixed`);
    if (this.documents.get(uri)) return;
    const shown = text === undefined ? [] : configFileProblems(text).map((p) => toDiagnostic(TextDocument.create(uri, 'yaml', 0, text), p));
    void this.connection.sendDiagnostics({ uri, diagnostics: shown });
  }

  private async initialized(): Promise<void> {
    void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'capi-dcs' });
    for (const folder of this.folders) await this.loadConfig(folder);
    this.settings = this.settingsFor(this.folders[0]);
    // The rules see the objects rendered with the first folder's variable values.
    this.index.setVariables(this.settings.variables);
    this.configLoaded = true;
    this.scheduleValidation();
    await this.chooseSchemas();
    for (const folder of this.folders) {
      const files = await findManifestFiles(fileURLToPath(folder), this.settingsFor(folder).files);
      for (const path of files) await this.indexFromDisk(pathToFileURL(path).toString());
    }
    this.scheduleValidation();
  }

  private async indexFromDisk(uri: string): Promise<void> {
    const text = uri.startsWith('file:') ? await readFile(fileURLToPath(uri), 'utf8').catch(() => undefined) : undefined;
    if (text === undefined) this.index.remove(uri);
    else await this.indexText(uri, text);
  }

  /** Indexes a file's text; the first time, also records its baseline (git runs while the text is parsed). */
  private async indexText(uri: string, text: string): Promise<void> {
    const committed = this.baselined.has(uri) ? undefined : uri.startsWith('file:') ? committedContent(fileURLToPath(uri)) : Promise.resolve(undefined);
    this.baselined.add(uri);
    if (looksLikeKubernetesYaml(text)) this.index.set(uri, text);
    else this.index.remove(uri);
    // After indexing: the baseline reuses the documents it shares with the indexed text.
    if (committed) this.index.setBaseline(uri, (await committed) ?? text);
  }

  private async onChange(document: TextDocument): Promise<void> {
    this.lastActivity = performance.now();
    await this.indexText(document.uri, document.getText());
    this.scheduleValidation(document.uri);
  }

  /**
   * Validates every open document soon: an edit in one file can change what another one references. The
   * edited document goes first and is sent before the others are validated, so its diagnostics do not wait.
   */
  private scheduleValidation(first?: string): void {
    if (first) this.first.add(first);
    if (this.pending) clearTimeout(this.pending);
    // The next pass validates every open document anyway.
    if (this.rest) clearImmediate(this.rest);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      // No diagnostics by the defaults for a moment: initialized() validates once the files are read.
      if (!this.configLoaded) return;
      const documents = this.documents.all();
      const first = documents.filter((d) => this.first.has(d.uri));
      this.first.clear();
      for (const document of first) this.publish(document);
      const rest = documents.filter((d) => !first.includes(d));
      if (rest.length === 0) return;
      // The writer sends queued notifications in the next check phase: validate the rest after that.
      this.rest = setImmediate(() => {
        this.rest = undefined;
        for (const { uri } of rest) {
          const document = this.documents.get(uri);
          if (document) this.publish(document);
        }
      });
    }, VALIDATION_DELAY_MS);
  }

  /** Milliseconds since the server last validated or answered a request: background work waits for idle time. */
  idleFor(): number {
    return this.pending || this.rest ? 0 : performance.now() - this.lastActivity;
  }

  private publish(document: TextDocument): void {
    this.lastActivity = performance.now();
    if (isConfigFile(document.uri)) {
      const diagnostics = configFileProblems(document.getText()).map((p) => toDiagnostic(document, p));
      void this.connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
      return;
    }
    const file = this.index.file(document.uri);
    const stale = file?.text !== document.getText();
    const diagnostics =
      !this.settingsFor(document.uri).validation.enable || !file || stale
        ? []
        : validateFile(file, this.index, this.validateOptions(document.uri)).map((p) =>
            toDiagnostic(document, p),
          );
    void this.connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
  }

  /** Runs `work` at the offset of `position` in an up-to-date indexed document. */
  private at<T>(uri: string, position: Position, work: (offset: number) => T): T | undefined {
    this.lastActivity = performance.now();
    const document = this.documents.get(uri);
    if (!document || this.index.file(uri)?.text !== document.getText()) return undefined;
    return work(document.offsetAt(position));
  }

  private async completions(uri: string, offset: number): Promise<CompletionEntry[]> {
    const own = workspaceCompletions(this.index, uri, offset);
    const live = (await this.liveCompletions(uri, offset)).filter((e) => !own.some((o) => o.label === e.label));
    const fromWorkspace = [...own, ...live];
    if (fromWorkspace.length > 0 || !this.schemas) return fromWorkspace;
    const doc = this.index.file(uri)?.manifest.docs.find((d) => d.start <= offset && offset <= d.end + 1);
    return schemaCompletions(this.schemas, doc, offset, this.settingsFor(uri).capiVersion);
  }

  /** Names of the objects a reference may point to in the management cluster, with schemaSource "cluster". */
  private async liveCompletions(uri: string, offset: number): Promise<CompletionEntry[]> {
    const live = this.live;
    const ref = live ? referenceNameAt(this.index, uri, offset) : undefined;
    if (!live || !ref) return [];
    const found = await Promise.all(ref.expected.kinds.map(async (kind) => ({ kind, names: await live.names(ref.expected.group, kind, ref.namespace) })));
    return found.flatMap(({ kind, names }) => names.map((name) => ({ label: name, kind: 'reference' as const, detail: `${kind} in the management cluster (${live.source})` })));
  }

  private codeActions(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
    const document = this.documents.get(uri);
    const file = this.index.file(uri);
    if (!document || file?.text !== document.getText()) return [];
    const problems = validateFile(file, this.index, this.validateOptions(uri));
    const actions: CodeAction[] = [];
    for (const diagnostic of diagnostics) {
      const start = document.offsetAt(diagnostic.range.start);
      const problem = problems.find((p) => p.ruleId === diagnostic.code && p.start === start);
      if (problem) actions.push(...fixesFor(this.index, uri, problem, this.schemas, this.settingsFor(uri).capiVersion).map((fix) => toCodeAction(fix, diagnostic, this.positions)));
    }
    return actions;
  }

  private validateOptions(uri: string): ValidateOptions {
    const { rules, variables, capiVersion } = this.settingsFor(uri);
    // Without any value a template is edited, not rendered: unset variables are no problem then.
    return { schemas: this.schemas, severities: rules, variables: Object.keys(variables).length > 0 ? variables : undefined, capiVersion };
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
