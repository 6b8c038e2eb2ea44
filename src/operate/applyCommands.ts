// Apply the current file, the selection or a folder: parse and order the objects, dry-run them on the chosen
// management cluster, offer a forced apply for conflicts, show live vs result in the diff editor, confirm,
// then apply in order with one result per object. Refusals appear as diagnostics at the field they name.
import * as vscode from 'vscode';
import { looksLikeKubernetesYaml } from '../../server/engine/manifest';
import { describeFailure } from './apiErrors';
import { showApplyDiagnostics } from './applyDiagnostics';
import { planApply, type ApplyPlan, type ManifestSource } from './applyPlan';
import { commitApply, isConflict, isServerRefusal, previewApply, type CommitEntry, type PreviewEntry } from './applyRun';
import { diffTexts } from './diff';
import { describeRef } from './objectApi';
import { confirm, confirmAfterReview, UserCancelled, type OperateServices } from './operateServices';
import { withCancellableProgress } from './progress';
import { checkReachable } from './reachability';

const MAX_FOLDER_FILES = 2_000;
/** Diagnostics of the CAPI DCS language server carry this source. */
const LANGUAGE_SERVER_SOURCE = 'capi-dcs';
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export async function applyManifest(services: OperateServices, arg: unknown): Promise<void> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri) throw new Error('open a YAML file first, or pick one in the Explorer');
  if (arg instanceof vscode.Uri && (await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) {
    await applySources(services, await folderSources(uri), vscode.workspace.asRelativePath(uri));
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  await applySources(services, [{ uri: doc.uri.toString(), text: doc.getText() }], vscode.workspace.asRelativePath(uri));
}

export async function applySelection(services: OperateServices): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selections = editor?.selections.filter((s) => !s.isEmpty) ?? [];
  if (!editor || selections.length === 0) throw new Error('select the YAML documents to apply first');
  const sources = selections.map((s) => ({ uri: editor.document.uri.toString(), text: editor.document.getText(s), offset: editor.document.offsetAt(s.start) }));
  await applySources(services, sources, `the selection in ${vscode.workspace.asRelativePath(editor.document.uri)}`);
}

export async function applyFolder(services: OperateServices, arg: unknown): Promise<void> {
  const folder = arg instanceof vscode.Uri ? arg : (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Apply Folder', title: 'Folder of manifests to apply' }))?.[0];
  if (!folder) throw new UserCancelled();
  await applySources(services, await folderSources(folder), vscode.workspace.asRelativePath(folder));
}

async function applySources(services: OperateServices, sources: readonly ManifestSource[], what: string): Promise<void> {
  for (const s of sources) services.diagnostics.delete(vscode.Uri.parse(s.uri));
  const plan = planApply(sources);
  if (plan.problems.length > 0) {
    await showApplyDiagnostics(services.diagnostics, plan.problems, []);
    throw new Error(`${plan.problems.length} document${plan.problems.length === 1 ? '' : 's'} in ${what} cannot be applied (see Problems); nothing was applied`);
  }
  if (plan.objects.length === 0) throw new Error(`${what} holds no Kubernetes objects`);
  await confirmDespiteErrors(sources, what);
  const context = await services.pickContext(`Apply ${what}`);
  if (!context) throw new UserCancelled();
  const api = services.objectApi(context);
  await withCancellableProgress(`Connecting to ${context}`, (_p, signal) => checkReachable(api.client, signal));

  const force = new Set<string>();
  let preview = await dryRun(services, api, plan, force, context);
  const conflicts = preview.filter((e) => isConflict(e.error));
  const refused = preview.filter((e) => e.outcome === 'failed' && !isConflict(e.error));
  if (refused.length > 0) {
    await showApplyDiagnostics(services.diagnostics, [], refused.map((e) => ({ planned: e.planned, error: e.error })));
    for (const e of refused) services.ctx.log.error(`apply: ${describeRef(e.ref)} refused`, e.error);
    throw new Error(`the API server refuses ${refused.map((e) => `${describeRef(e.ref)} (${describeFailure(e.error)})`).join('; ')}. Nothing was applied`);
  }
  if (conflicts.length > 0) {
    const detail = conflicts.map((e) => `${describeRef(e.ref)}: ${describeFailure(e.error)}`).join('\n');
    await confirm(`${conflicts.length} object${conflicts.length === 1 ? ' has' : 's have'} fields another field manager owns.`, `${detail}\n\nForce apply takes these fields over; the other manager may set them back.`, 'Force Apply');
    for (const e of conflicts) force.add(e.planned.key);
    preview = await dryRun(services, api, plan, force, context);
  }

  const changed = preview.filter((e) => e.outcome === 'create' || e.outcome === 'configure');
  if (changed.length === 0) {
    void vscode.window.showInformationMessage(`Nothing to apply: the ${plan.objects.length} objects of ${what} are unchanged on ${context}.`);
    return;
  }
  await services.diff.show(`Apply ${what} to ${context}: live ↔ after apply`, 'apply', ...diffDocuments(changed));
  const count = (o: string): number => preview.filter((e) => e.outcome === o).length;
  const summary = [`${count('create')} to create`, `${count('configure')} to change`, `${count('unchanged')} unchanged`].join(', ');
  await confirmAfterReview(`Apply ${what} to ${context}? ${summary}${force.size > 0 ? `, ${force.size} forced` : ''}. The diff editor shows every change.`, 'Apply');

  const result = await withCancellableProgress(`Applying to ${context}`, (progress, signal) =>
    commitApply(api, plan, { force, signal, onProgress: (done, total, label) => { progress.report(`${done + 1}/${total}: ${label}`, done / total); } }),
  );
  report(services, result.entries, context);
  const failed = result.entries.filter((e) => e.outcome === 'failed');
  if (failed.length > 0) {
    // Only what the server said about an object belongs at that object; a lost connection does not.
    const refusals = failed.filter((e) => isServerRefusal(e.error));
    await showApplyDiagnostics(services.diagnostics, [], refusals.map((e) => ({ planned: e.planned, error: e.error })));
    throw new Error(`${failed.map((e) => `${describeRef(e.ref)}: ${describeFailure(e.error)}`).join('; ')}. ${result.entries.filter((e) => e.outcome === 'skipped').length} objects after it were not applied`);
  }
  const applied = result.entries.filter((e) => e.outcome === 'created' || e.outcome === 'configured').length;
  if (result.cancelled) {
    const inFlight = result.entries.find((e) => e.outcome === 'cancelled');
    const maybe = inFlight ? ` ${describeRef(inFlight.ref)} was being applied and may have been.` : '';
    void vscode.window.showWarningMessage(`Apply cancelled after ${applied} of ${changed.length} changes.${maybe} The log lists every object.`, 'Open Log').then((choice) => {
      if (choice) services.ctx.log.show();
    });
  } else void vscode.window.showInformationMessage(`Applied ${what} to ${context}: ${summaryOf(result.entries)}.`);
  await services.followInExplorer(context);
}

/** The language server's errors in what is applied: the API server may refuse it, or accept a mistake. */
async function confirmDespiteErrors(sources: readonly ManifestSource[], what: string): Promise<void> {
  const errors = [...new Set(sources.map((s) => s.uri))]
    .flatMap((uri) => vscode.languages.getDiagnostics(vscode.Uri.parse(uri)))
    .filter((d) => d.source === LANGUAGE_SERVER_SOURCE && d.severity === vscode.DiagnosticSeverity.Error);
  if (errors.length === 0) return;
  const first = errors[0]?.message ?? '';
  await confirm(`${what} has ${errors.length} error${errors.length === 1 ? '' : 's'} (see Problems). Apply anyway?`, `First: ${first}\n\nThe dry run still asks the API server before anything is applied.`, 'Apply Anyway');
}

async function dryRun(services: OperateServices, api: ReturnType<OperateServices['objectApi']>, plan: ApplyPlan, force: ReadonlySet<string>, context: string): Promise<PreviewEntry[]> {
  return withCancellableProgress(`Dry run on ${context}`, (progress, signal) =>
    previewApply(api, plan, { force, signal, onProgress: (done, total, label) => { progress.report(`${done + 1}/${total}: ${label}`, done / total); } }),
  ).then((entries) => {
    for (const e of entries) services.ctx.log.info(`dry run ${describeRef(e.ref)}: ${e.outcome}${e.awaitsNamespace ? ' (its namespace is created by this apply)' : ''}${tookOverText(e.tookOverFrom)}`);
    return entries;
  });
}

/** Both sides of the diff: one YAML document per changed object, under the same header on each side. */
function diffDocuments(entries: readonly PreviewEntry[]): [string, string] {
  const left: string[] = [];
  const right: string[] = [];
  for (const e of entries) {
    if (!e.result) continue;
    const texts = diffTexts(e.live, e.result);
    const header = `# ${describeRef(e.ref)}: ${e.outcome === 'create' ? 'created' : 'changed'}${e.awaitsNamespace ? ' (checked by the server once its namespace exists)' : ''}\n`;
    left.push(`${header}${texts.live || '# (does not exist)\n'}`);
    right.push(`${header}${texts.result}`);
  }
  return [left.join('---\n'), right.join('---\n')];
}

function report(services: OperateServices, entries: readonly CommitEntry[], context: string): void {
  for (const e of entries) {
    const line = `apply to ${context}: ${describeRef(e.ref)} ${e.outcome}${e.outcome === 'cancelled' ? ' while its request was out: it may have been applied' : ''}${tookOverText(e.tookOverFrom)}`;
    if (e.outcome === 'failed') services.ctx.log.error(line, e.error);
    else if (e.outcome === 'cancelled') services.ctx.log.warn(line);
    else services.ctx.log.info(line);
  }
}

/** Fields the extension's own earlier change (an upgrade, a scale) owned: the applied files take them back without asking. */
function tookOverText(managers: readonly string[] | undefined): string {
  return managers ? ` (takes over fields from ${managers.join(', ')}, this extension's own field manager, without asking)` : '';
}

function summaryOf(entries: readonly CommitEntry[]): string {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.outcome, (counts.get(e.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
}

/** Every Kubernetes YAML file under a folder (open editors' unsaved text wins over the disk). */
async function folderSources(folder: vscode.Uri): Promise<ManifestSource[]> {
  const files: vscode.Uri[] = [];
  const walk = async (dir: vscode.Uri): Promise<void> => {
    for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
      if (files.length >= MAX_FOLDER_FILES) return;
      const child = vscode.Uri.joinPath(dir, name);
      if (type & vscode.FileType.Directory) {
        if (!SKIPPED_DIRS.has(name) && !name.startsWith('.')) await walk(child);
      } else if (/\.ya?ml$/i.test(name)) files.push(child);
    }
  };
  await walk(folder);
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
  const sources: ManifestSource[] = [];
  for (const uri of files.sort((a, b) => a.path.localeCompare(b.path))) {
    const text = open.get(uri.toString())?.getText() ?? new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    if (looksLikeKubernetesYaml(text)) sources.push({ uri: uri.toString(), text });
  }
  if (sources.length === 0) throw new Error(`${vscode.workspace.asRelativePath(folder)} holds no Kubernetes YAML files`);
  return sources;
}
