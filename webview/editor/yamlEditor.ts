// The YAML editor shared by the playground page and the dashboard webview: Monaco with monaco-yaml,
// one combined schema (every catalog kind, chosen by apiVersion and kind) for every model.
// Workers are fetched and started from blob: URLs, which works the same from a web server and from a
// VS Code webview (whose resource origin may not start workers directly).
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
import 'monaco-editor/esm/vs/editor/edcore.main.js';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import { configureMonacoYaml, type MonacoYaml } from 'monaco-yaml';

export { monaco };

export interface EditorOptions {
  /** Where editor.worker.js and yaml.worker.js are served (ends with a slash). */
  readonly workerBase: string;
  readonly schema: unknown;
  readonly value: string;
  /** The model's path: also what the schema's fileMatch applies to. */
  readonly path?: string;
  readonly theme?: string;
  readonly readOnly?: boolean;
}

const SCHEMA_URI = 'capi-dcs://schemas/catalog.json';
let yaml: MonacoYaml | undefined;

async function startWorker(url: string, label: string): Promise<Worker> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url}: ${response.status}`);
  const blob = new Blob([await response.text()], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(blob), { name: label });
}

export function createYamlEditor(container: HTMLElement, options: EditorOptions): monaco.editor.IStandaloneCodeEditor {
  (globalThis as { MonacoEnvironment?: monaco.Environment }).MonacoEnvironment = {
    getWorker: (_id, label) => startWorker(`${options.workerBase}${label === 'yaml' ? 'yaml.worker.js' : 'editor.worker.js'}`, label),
  };
  const schemas = [{ uri: SCHEMA_URI, fileMatch: ['*'], schema: options.schema as never }];
  if (yaml) void yaml.update({ schemas });
  else yaml = configureMonacoYaml(monaco, { enableSchemaRequest: false, hover: true, completion: true, validate: true, isKubernetes: true, schemas });
  const uri = monaco.Uri.parse(`file:///${options.path ?? 'manifests.yaml'}`);
  const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(options.value, 'yaml', uri);
  model.setValue(options.value);
  return monaco.editor.create(container, {
    model,
    automaticLayout: true,
    minimap: { enabled: false },
    tabSize: 2,
    quickSuggestions: { other: true, comments: false, strings: true },
    readOnly: options.readOnly ?? false,
    theme: options.theme ?? 'vs',
    scrollBeyondLastLine: false,
    fixedOverflowWidgets: true,
  });
}

/** The markers monaco-yaml set on a model (for the page's problem count and for tests). */
export function markersOf(model: monaco.editor.ITextModel): monaco.editor.IMarker[] {
  return monaco.editor.getModelMarkers({ resource: model.uri });
}
