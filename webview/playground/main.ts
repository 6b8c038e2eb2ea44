// The browser playground: the dashboard's YAML editor on its own, validating and completing CAPI and DCS
// manifests against the schema catalog (schema.json, written at build time). Static files only.
import { createYamlEditor, markersOf, monaco } from '../editor/yamlEditor';

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found;
}

/** The problem list under the editor: one line per marker, which moves the cursor there on activation. */
function showProblems(editor: monaco.editor.IStandaloneCodeEditor, list: HTMLElement, status: HTMLElement): void {
  const model = editor.getModel();
  if (!model) return;
  const markers = markersOf(model).sort((a, b) => a.startLineNumber - b.startLineNumber || a.startColumn - b.startColumn);
  status.textContent = markers.length === 0 ? 'No problems' : `${markers.length} problem${markers.length === 1 ? '' : 's'}`;
  list.replaceChildren(
    ...markers.map((m) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `problem severity-${m.severity >= monaco.MarkerSeverity.Error ? 'error' : 'warning'}`;
      button.textContent = `${m.startLineNumber}:${m.startColumn}  ${m.message.split('\n')[0] ?? ''}`;
      button.addEventListener('click', () => {
        editor.setPosition({ lineNumber: m.startLineNumber, column: m.startColumn });
        editor.revealLineInCenter(m.startLineNumber);
        editor.focus();
      });
      item.append(button);
      return item;
    }),
  );
}

async function main(): Promise<void> {
  const [schema, example] = await Promise.all([
    fetch('schema.json').then((r) => r.json() as Promise<unknown>),
    fetch('example.yaml').then((r) => r.text()),
  ]);
  const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
  const editor = createYamlEditor(element('editor'), { workerBase: new URL('./', location.href).href, schema, value: example, path: 'cluster.yaml', theme: dark ? 'vs-dark' : 'vs' });
  const list = element('problems');
  const status = element('status');
  // monaco-yaml sets markers after each check, but an empty list replacing an empty list fires no event:
  // after an edit, the list is also refreshed once the check (debounced in the worker) must be done.
  let settle: ReturnType<typeof setTimeout> | undefined;
  const refresh = (): void => {
    clearTimeout(settle);
    showProblems(editor, list, status);
  };
  const checking = (): void => {
    status.textContent = 'Checking…';
    clearTimeout(settle);
    settle = setTimeout(refresh, 2000);
  };
  monaco.editor.onDidChangeMarkers(refresh);
  editor.onDidChangeModelContent(checking);
  checking();
  document.body.dataset.ready = 'true';
  editor.focus();
}

main().catch((error: unknown) => {
  document.body.dataset.ready = 'error';
  const status = document.getElementById('status');
  if (status) status.textContent = `The playground did not start: ${String(error)}`;
});
