// The rollout dashboard's page (a VS Code webview): draws the state the extension posts (webview's
// protocol in src/dashboard/protocol.ts) and hosts the upgrade planner's YAML editor. It only talks to the
// extension; every change to the cluster goes through the extension's upgrade steps.
import type { DashboardState, FromPage, MachineTile, OwnerView, TimelineEntry, ToPage } from '../../src/dashboard/protocol';
import { createYamlEditor, markersOf, monaco } from '../editor/yamlEditor';
import './dashboard.css';

declare function acquireVsCodeApi(): { postMessage(message: FromPage): void };
const vscode = acquireVsCodeApi();

type Child = Node | string | false | undefined;

/** A DOM element with attributes and children; text is always text (never parsed as HTML). */
function h(tag: string, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== false && c !== undefined) el.append(c);
  return el;
}

function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour12: false });
}

function machineTile(m: MachineTile): HTMLElement {
  const state = m.deleting ? 'deleting' : m.ready ? 'ready' : 'not ready';
  const moving = m.inMotion === 'deleting' ? 'being replaced' : m.inMotion === 'creating' ? 'coming up' : undefined;
  const label = [m.name, m.generation === 'unknown' ? undefined : m.generation, state, moving, m.version, m.problem].filter(Boolean).join(', ');
  return h(
    'li',
    { class: `machine gen-${m.generation} ${m.deleting ? 'deleting' : m.ready ? 'ready' : 'pending'}${m.inMotion ? ' in-motion' : ''}`, tabindex: '-1', 'data-key': `machine:${m.name}`, 'aria-label': label, title: label },
    h('span', { class: 'machine-name' }, m.name),
    h('span', { class: 'badges' }, h('span', { class: `badge gen` }, m.generation === 'unknown' ? '?' : m.generation), h('span', { class: 'badge state' }, state)),
    moving && h('span', { class: 'moving' }, moving),
    h('span', { class: 'machine-meta' }, [m.version, m.node].filter(Boolean).join(' · ')),
    m.problem && h('span', { class: 'machine-problem' }, m.problem),
  );
}

function progressBar(o: OwnerView): HTMLElement {
  const total = Math.max(o.desired, o.newMachines + o.oldMachines, 1);
  const newReady = Math.min(o.machines.filter((m) => m.generation === 'new' && m.ready && !m.deleting).length, total);
  const segment = (cls: string, n: number): HTMLElement => {
    const el = h('span', { class: `segment ${cls}` });
    el.style.width = `${(100 * n) / total}%`;
    return el;
  };
  return h(
    'div',
    { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(o.percent), 'aria-label': `${o.name} rollout ${o.percent}%` },
    segment('new-ready', newReady),
    segment('new-pending', Math.max(0, o.newMachines - newReady)),
    segment('old', o.oldMachines),
  );
}

function timelineItem(e: TimelineEntry): HTMLElement {
  const what = { created: 'created', ready: 'ready', deleting: 'deleting', deleted: 'deleted' }[e.event];
  const took = e.durationMs === undefined ? undefined : e.event === 'created' ? (e.done ? `ready after ${duration(e.durationMs)}` : `not ready for ${duration(e.durationMs)}`) : e.done ? `gone after ${duration(e.durationMs)}` : `deleting for ${duration(e.durationMs)}`;
  return h('li', { class: `event ${e.event}${e.done ? '' : ' running'}` }, h('time', { datetime: e.at }, clock(e.at)), ' ', h('strong', {}, e.machine), ` ${what}`, took && h('span', { class: 'took' }, ` · ${took}`));
}

function ownerSection(o: OwnerView): HTMLElement {
  const headingId = `h-${o.id.replace(/\W+/g, '-')}`;
  const status = o.rollingOut ? `rolling out ${o.percent}%` : 'rolled out';
  return h(
    'section',
    { class: `owner${o.rollingOut ? ' rolling' : ''}`, 'aria-labelledby': headingId, 'data-owner': o.name },
    h('h2', { id: headingId }, `${o.kind === 'KubeadmControlPlane' ? 'Control plane' : 'Machine deployment'} ${o.name}`, h('span', { class: 'owner-status' }, ` · ${o.version} · ${status}${o.paused ? ' · paused' : ''}`)),
    progressBar(o),
    h('p', { class: 'counts' }, `${o.newMachines} new · ${o.oldMachines} old · ${o.ready}/${o.desired} ready`, o.inMotion && h('span', { class: 'in-motion-text' }, ` · ${o.inMotion}`)),
    o.blocking && h('p', { class: 'blocking', role: 'note' }, h('strong', {}, 'Blocked: '), o.blocking),
    h('ul', { class: 'machines', 'aria-label': `Machines of ${o.name} (arrow keys move between them)` }, ...o.machines.map(machineTile)),
    o.conditions.length > 0 && h(
      'table',
      { class: 'conditions' },
      h('caption', {}, 'Conditions holding it up'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Reason'), h('th', { scope: 'col' }, 'Message'))),
      h('tbody', {}, ...o.conditions.map((c) => h('tr', {}, h('td', {}, c.type), h('td', {}, c.status), h('td', {}, c.reason), h('td', {}, c.message)))),
    ),
    h('details', { class: 'timeline', open: o.rollingOut ? '' : undefined }, h('summary', {}, `Replacements (${o.timeline.length} events)`), h('ol', {}, ...o.timeline.map(timelineItem))),
  );
}

// ---- the rollout picture ----

const app = document.getElementById('app') ?? document.body;
const header = h('header', {});
const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
const ownersBox = h('div', { class: 'owners' });

function drawState(state: DashboardState): void {
  const focusedKey = (document.activeElement as HTMLElement | null)?.dataset.key;
  header.replaceChildren(
    h('h1', {}, `Cluster ${state.cluster}`),
    h('p', { class: 'meta' }, [state.namespace, state.context, state.version, state.phase, state.paused ? 'paused' : '', state.connection === 'ready' ? '' : state.connection].filter(Boolean).join(' · ')),
  );
  const rolling = state.owners.filter((o) => o.rollingOut);
  summary.textContent = !state.found
    ? 'This cluster is not in the management cluster (or not watched).'
    : rolling.length === 0 ? 'No rollout in progress.' : `Rolling out: ${rolling.map((o) => `${o.name} ${o.percent}%${o.inMotion ? ` (${o.inMotion})` : ''}`).join(', ')}`;
  ownersBox.replaceChildren(...state.owners.map(ownerSection));
  for (const list of ownersBox.querySelectorAll<HTMLElement>('.machines')) {
    const first = list.querySelector<HTMLElement>('.machine');
    if (first) first.tabIndex = 0;
  }
  if (focusedKey) ownersBox.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
  document.body.dataset.updated = state.at;
}

/** Arrow keys, Home and End move the focus between the Machines of one list (one tab stop per list). */
ownersBox.addEventListener('keydown', (event) => {
  const current = event.target as HTMLElement;
  if (!current.classList.contains('machine')) return;
  const tiles = [...(current.parentElement?.querySelectorAll<HTMLElement>('.machine') ?? [])];
  const i = tiles.indexOf(current);
  const next = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: tiles.length - 1 }[event.key];
  const target = next === undefined ? undefined : tiles[Math.max(0, Math.min(tiles.length - 1, next))];
  if (!target) return;
  event.preventDefault();
  for (const t of tiles) t.tabIndex = -1;
  target.tabIndex = 0;
  target.focus();
});

// ---- the upgrade planner ----

const planButton = h('button', { type: 'button', id: 'plan' }, 'Plan Upgrade…') as HTMLButtonElement;
const applyButton = h('button', { type: 'button', id: 'apply', disabled: '' }, 'Apply…') as HTMLButtonElement;
const planStatus = h('p', { class: 'plan-status', 'aria-live': 'polite' }, 'Pick the version and VM template: the manifests the upgrade would apply appear here, to read and edit before applying.');
const editorBox = h('div', { id: 'editor', role: 'region', 'aria-label': 'Upgrade manifests (YAML)', hidden: '' });
let schema: unknown;
let editor: monaco.editor.IStandaloneCodeEditor | undefined;

function monacoTheme(): string {
  const cls = document.body.classList;
  const base = cls.contains('vscode-high-contrast') ? 'hc-black' : cls.contains('vscode-dark') ? 'vs-dark' : 'vs';
  const css = getComputedStyle(document.body);
  const colors: Record<string, string> = {};
  for (const [key, name] of [['editor.background', '--vscode-editor-background'], ['editor.foreground', '--vscode-editor-foreground']] as const) {
    const value = css.getPropertyValue(name).trim();
    if (/^#[0-9a-f]{3,8}$/i.test(value)) colors[key] = value;
  }
  monaco.editor.defineTheme('capi-dcs', { base, inherit: true, rules: [], colors });
  return 'capi-dcs';
}

function showPlan(yaml: string, text: string): void {
  editorBox.hidden = false;
  if (!editor) {
    editor = createYamlEditor(editorBox, { workerBase: document.body.dataset.workerBase ?? './', schema, value: yaml, path: 'upgrade-plan.yaml', theme: monacoTheme() });
    monaco.editor.onDidChangeMarkers(() => {
      const model = editor?.getModel();
      const problems = model ? markersOf(model).length : 0;
      editorBox.dataset.problems = String(problems);
    });
  } else editor.setValue(yaml);
  applyButton.disabled = false;
  planStatus.textContent = text;
}

planButton.addEventListener('click', () => {
  planStatus.textContent = 'Answer the questions at the top of the window…';
  vscode.postMessage({ type: 'planUpgrade' });
});
applyButton.addEventListener('click', () => {
  if (!editor) return;
  planStatus.textContent = 'Dry run, then the diff and a confirmation in VS Code…';
  vscode.postMessage({ type: 'apply', yaml: editor.getValue() });
});

app.replaceChildren(
  header,
  summary,
  ownersBox,
  h('section', { class: 'planner', 'aria-labelledby': 'planner-h' }, h('h2', { id: 'planner-h' }, 'Upgrade planner'), h('div', { class: 'actions' }, planButton, applyButton), planStatus, editorBox),
);

window.addEventListener('message', (event: MessageEvent<ToPage>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      drawState(message.state);
      return;
    case 'schema':
      schema = message.schema;
      return;
    case 'plan':
      showPlan(message.yaml, `Plan: ${message.summary}. Edit if needed, then Apply (a dry run and a diff come first).`);
      return;
    case 'planError':
      planStatus.textContent = message.message;
      return;
    case 'applied':
      planStatus.textContent = message.message;
      return;
  }
});
vscode.postMessage({ type: 'ready' });
